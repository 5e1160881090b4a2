import { describe, expect, it } from "vitest";
import { EngineHarness } from "./testing/engine-harness";

async function run(variables: Record<string, unknown>) {
	const engine = new EngineHarness();
	await engine.deploy("inclusive.bpmn");
	const { processInstanceKey } = await engine.createInstance("inclusive", variables);
	return { engine, processInstanceKey };
}

describe("inclusive gateway (§7)", () => {
	it("should fork into every true branch and join when all taken branches arrived", async () => {
		const { engine, processInstanceKey } = await run({ x: 1, y: 1 });
		const a = (await engine.activateJobs("a")).jobs[0];
		const b = (await engine.activateJobs("b")).jobs[0];
		expect((await engine.activateJobs("c")).jobs).toHaveLength(0);
		await engine.completeJob(a.key);
		expect(engine.elementIntents("join")).toEqual([]);
		await engine.completeJob(b.key);
		expect(engine.elementIntents("join")).toContain("ELEMENT_COMPLETED");
		expect(engine.elementIntents("join").filter((intent) => intent === "ELEMENT_ACTIVATING")).toHaveLength(1);
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_COMPLETED");
		const { processed, replayed } = await engine.replayed();
		expect(replayed).toEqual(processed);
	});

	it("should join a single taken branch without waiting for the others", async () => {
		const { engine, processInstanceKey } = await run({ x: 1, y: 0 });
		await engine.completeJob((await engine.activateJobs("a")).jobs[0].key);
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_COMPLETED");
	});

	it("should take the default flow when no condition is true", async () => {
		const { engine, processInstanceKey } = await run({ x: 0, y: 0 });
		await engine.completeJob((await engine.activateJobs("c")).jobs[0].key);
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_COMPLETED");
	});
});
