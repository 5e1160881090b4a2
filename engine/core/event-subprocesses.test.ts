import { describe, expect, it } from "vitest";
import { EngineHarness } from "./testing/engine-harness";

describe("event sub-processes (§8.7)", () => {
	it("should run non-interrupting escalation and signal event sub-processes beside the flow, and let a message one interrupt it", async () => {
		const engine = new EngineHarness();
		await engine.deploy("event-subprocesses.bpmn");
		const { processInstanceKey } = await engine.createInstance("custody", { personId: "P-9" });
		// The escalation started the ESP without stopping the main flow.
		expect(engine.records("ESCALATION", "ESCALATED")).toHaveLength(1);
		expect(engine.elementIntents("on-breach")).toEqual(["ELEMENT_ACTIVATING", "ELEMENT_ACTIVATED"]);
		const hold = (await engine.activateJobs("hold")).jobs[0];
		expect(hold).toBeDefined();
		const notify = (await engine.activateJobs("notify")).jobs[0];
		await engine.completeJob(notify.key);
		expect(engine.elementIntents("on-breach")).toContain("ELEMENT_COMPLETED");

		await engine.send({
			valueType: "SIGNAL",
			intent: "BROADCAST",
			key: -1,
			value: { signalName: "audit", variables: {}, tenantId: "" },
		});
		await engine.send({
			valueType: "SIGNAL",
			intent: "BROADCAST",
			key: -1,
			value: { signalName: "audit", variables: {}, tenantId: "" },
		});
		expect(engine.elementIntents("audit-end").filter((intent) => intent === "ELEMENT_COMPLETED")).toHaveLength(2);
		expect(engine.elementIntents("hold")).toEqual(["ELEMENT_ACTIVATING", "ELEMENT_ACTIVATED"]);

		await engine.send({
			valueType: "MESSAGE",
			intent: "PUBLISH",
			key: -1,
			value: {
				name: "release",
				correlationKey: "P-9",
				timeToLive: 0,
				messageId: "",
				variables: { releasedBy: "judge" },
				tenantId: "",
			},
		});
		expect(engine.elementIntents("hold")).toContain("ELEMENT_TERMINATED");
		expect(engine.elementIntents("release-end")).toContain("ELEMENT_COMPLETED");
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_COMPLETED");
		expect(engine.variableFromLog(processInstanceKey, "releasedBy")).toBe("judge");
		expect(engine.state.elementInstances.size).toBe(0);
		expect(engine.state.signalSubscriptions.size).toBe(0);
		expect(engine.state.subscriptions.size).toBe(0);
		const { processed, replayed } = await engine.replayed();
		expect(replayed).toEqual(processed);
	});
});
