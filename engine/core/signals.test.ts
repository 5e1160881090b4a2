import { describe, expect, it } from "vitest";
import { EngineHarness } from "./testing/engine-harness";
import { fixture } from "./testing/fixtures";

describe("signals (§8.3)", () => {
	it("should interrupt a task with a signal boundary event and start instances from a thrown signal", async () => {
		const engine = new EngineHarness();
		await engine.deploy("signals.bpmn");
		const first = await engine.createInstance("patrol");
		const second = await engine.createInstance("patrol");
		const result = await engine.send({
			valueType: "SIGNAL",
			intent: "BROADCAST",
			key: -1,
			value: { signalName: "lockdown", variables: { level: 3 }, tenantId: "" },
		});
		expect(result.responses[0].record).toMatchObject({ valueType: "SIGNAL", intent: "BROADCASTED" });
		for (const { processInstanceKey } of [first, second]) {
			expect(engine.processState(processInstanceKey)).toBe("ELEMENT_COMPLETED");
			expect(engine.variableFromLog(processInstanceKey, "level")).toBe(3);
		}
		// Each patrol threw "alert", which starts one on-alert instance per throw.
		const started = engine
			.records("PROCESS_INSTANCE_CREATION", "CREATED")
			.filter((r) => (r.value as { bpmnProcessId: string }).bpmnProcessId === "on-alert");
		expect(started).toHaveLength(2);
		expect(engine.state.elementInstances.size).toBe(0);
		const { processed, replayed } = await engine.replayed();
		expect(replayed).toEqual(processed);
	});
});

describe("link events (§8.8)", () => {
	it("should continue at the link catch event of the same name", async () => {
		const engine = new EngineHarness();
		await engine.deploy("links.bpmn");
		const { processInstanceKey } = await engine.createInstance("links");
		expect(engine.elementIntents("arrive-b")).toContain("ELEMENT_COMPLETED");
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_COMPLETED");
		const broken = fixture("links.bpmn").replace(
			'name="B" /></bpmn:intermediateCatchEvent>',
			'name="C" /></bpmn:intermediateCatchEvent>',
		);
		const rejected = await engine.deploy({ resourceName: "links.bpmn", resource: broken });
		expect(rejected.responses[0].record.rejectionReason).toContain("no link catch event named 'B'");
	});
});
