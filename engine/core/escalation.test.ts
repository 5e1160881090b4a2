import { describe, expect, it } from "vitest";
import { EngineHarness } from "./testing/engine-harness";

describe("escalations (§8.2)", () => {
	it("should start a non-interrupting catch beside the sub-process, and let uncaught escalations pass", async () => {
		const engine = new EngineHarness();
		await engine.deploy("escalation.bpmn");
		const { processInstanceKey } = await engine.createInstance("escalate", { abort: false });
		expect(
			engine
				.records("ESCALATION")
				.map((record) => `${record.intent} ${(record.value as { escalationCode: string }).escalationCode}`),
		).toEqual(["ESCALATED LATE", "NOT_ESCALATED OTHER"]);
		expect(engine.elementIntents("late-noted")).toContain("ELEMENT_COMPLETED");
		expect(engine.elementIntents("raise-other")).toContain("ELEMENT_COMPLETED");
		expect(engine.elementIntents("done")).toContain("ELEMENT_COMPLETED");
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_COMPLETED");
		const { processed, replayed } = await engine.replayed();
		expect(replayed).toEqual(processed);
	});

	it("should terminate the sub-process when an escalation end event is caught by an interrupting boundary event", async () => {
		const engine = new EngineHarness();
		await engine.deploy("escalation.bpmn");
		const { processInstanceKey } = await engine.createInstance("escalate", { abort: true });
		expect(engine.elementIntents("work")).toContain("ELEMENT_TERMINATED");
		expect(engine.elementIntents("aborted")).toContain("ELEMENT_COMPLETED");
		expect(engine.elementIntents("done")).toEqual([]);
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_COMPLETED");
	});
});
