import { describe, expect, it } from "vitest";
import { engineCore } from "./engine-core";
import { EngineHarness } from "./testing/engine-harness";

describe("event-based gateway (§7)", () => {
	it("should follow the message when it comes first, closing the timer", async () => {
		const engine = new EngineHarness();
		await engine.deploy("event-gateway.bpmn");
		const { processInstanceKey } = await engine.createInstance("objection-window", { caseId: "C1" });
		expect(engine.elementIntents("wait")).toEqual(["ELEMENT_ACTIVATING", "ELEMENT_ACTIVATED"]);
		await engine.send({
			valueType: "MESSAGE",
			intent: "PUBLISH",
			key: -1,
			value: {
				name: "objection",
				correlationKey: "C1",
				timeToLive: 0,
				messageId: "",
				variables: { reason: "unfair" },
				tenantId: "",
			},
		});
		expect(engine.elementIntents("wait")).toContain("ELEMENT_COMPLETED");
		expect(engine.elementIntents("objected")).toContain("ELEMENT_COMPLETED");
		expect(engine.elementIntents("review")).toContain("ELEMENT_COMPLETED");
		expect(engine.records("TIMER", "CANCELED")).toHaveLength(1);
		expect(engine.variableFromLog(processInstanceKey, "reason")).toBe("unfair");
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_COMPLETED");
		const { processed, replayed } = await engine.replayed();
		expect(replayed).toEqual(processed);
	});

	it("should follow the timer when nothing else comes, closing the message subscription", async () => {
		const engine = new EngineHarness();
		await engine.deploy("event-gateway.bpmn");
		const { processInstanceKey } = await engine.createInstance("objection-window", { caseId: "C2" });
		engine.now += 30 * 86_400_000;
		for (const command of engineCore.dueWork(engine.state, engine.now).commands) await engine.send(command);
		expect(engine.elementIntents("window-over")).toContain("ELEMENT_COMPLETED");
		expect(engine.elementIntents("final")).toContain("ELEMENT_COMPLETED");
		expect(engine.records("PROCESS_MESSAGE_SUBSCRIPTION", "DELETED")).toHaveLength(1);
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_COMPLETED");
	});
});
