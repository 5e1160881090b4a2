import { describe, expect, it } from "vitest";
import { EngineHarness } from "./testing/engine-harness";

async function expectReplayEqualsProcessing(engine: EngineHarness) {
	const { processed, replayed } = await engine.replayed();
	expect(replayed).toEqual(processed);
}

describe("exclusive gateway", () => {
	it("should take the first true condition in model order", async () => {
		const engine = new EngineHarness();
		await engine.deploy("exclusive-gateway.bpmn");
		await engine.createInstance("xor", { amount: 500 });
		expect(engine.elementIntents("big")).toContain("ELEMENT_COMPLETED");
		expect(engine.elementIntents("small")).toEqual([]);
		expect(engine.elementIntents("decide")).toEqual([
			"ELEMENT_ACTIVATING",
			"ELEMENT_ACTIVATED",
			"ELEMENT_COMPLETING",
			"ELEMENT_COMPLETED",
		]);
		await expectReplayEqualsProcessing(engine);
	});

	it("should take the default flow when no condition is true", async () => {
		const engine = new EngineHarness();
		await engine.deploy("exclusive-gateway.bpmn");
		const { processInstanceKey } = await engine.createInstance("xor", { amount: -1 });
		expect(engine.elementIntents("other")).toContain("ELEMENT_COMPLETED");
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_COMPLETED");
	});

	it("should raise EXTRACT_VALUE_ERROR when a condition is null, and continue once the variable is set and the incident resolved", async () => {
		const engine = new EngineHarness();
		await engine.deploy("exclusive-gateway.bpmn");
		const { processInstanceKey } = await engine.createInstance("xor", {});
		const incident = engine.records("INCIDENT", "CREATED")[0];
		expect(incident.value).toMatchObject({ errorType: "EXTRACT_VALUE_ERROR", elementId: "decide", jobKey: -1 });
		expect((incident.value as { errorMessage: string }).errorMessage).toContain("'BOOLEAN', but was 'NULL'");
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_ACTIVATED");

		const again = await engine.send({ valueType: "INCIDENT", intent: "RESOLVE", key: incident.key, value: {} });
		const second = again.records.find((record) => record.valueType === "INCIDENT" && record.intent === "CREATED");
		expect(second?.key).not.toBe(incident.key);

		await engine.send({
			valueType: "VARIABLE_DOCUMENT",
			intent: "UPDATE",
			key: -1,
			value: { scopeKey: processInstanceKey, updateSemantics: "PROPAGATE", variables: { amount: 5 } },
		});
		await engine.send({ valueType: "INCIDENT", intent: "RESOLVE", key: second!.key, value: {} });
		expect(engine.elementIntents("small")).toContain("ELEMENT_COMPLETED");
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_COMPLETED");
		await expectReplayEqualsProcessing(engine);
	});

	it("should raise CONDITION_ERROR when no condition is true and there is no default flow", async () => {
		const engine = new EngineHarness();
		await engine.deploy("exclusive-gateway.bpmn");
		await engine.createInstance("xor-no-default", { score: 5 });
		const incident = engine.records("INCIDENT", "CREATED")[0];
		expect(incident.value).toMatchObject({ errorType: "CONDITION_ERROR", elementId: "decide2" });
		expect((incident.value as { errorMessage: string }).errorMessage).toBe(
			"Expected at least one condition to evaluate to true, or to have a default flow",
		);
	});
});

describe("parallel gateway", () => {
	it("should fork into both branches and join once both arrived", async () => {
		const engine = new EngineHarness();
		await engine.deploy("parallel.bpmn");
		const { processInstanceKey } = await engine.createInstance("parallel");
		const a = (await engine.activateJobs("a")).jobs[0];
		const b = (await engine.activateJobs("b")).jobs[0];
		await engine.completeJob(a.key, { fromA: 1 });
		expect(engine.elementIntents("join")).toEqual([]);
		await engine.completeJob(b.key, { fromB: 2 });
		expect(engine.elementIntents("join")).toEqual([
			"ELEMENT_ACTIVATING",
			"ELEMENT_ACTIVATED",
			"ELEMENT_COMPLETING",
			"ELEMENT_COMPLETED",
		]);
		const after = (await engine.activateJobs("after")).jobs[0];
		expect(after.variables).toEqual({ fromA: 1, fromB: 2 });
		await engine.completeJob(after.key);
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_COMPLETED");
		expect(engine.state.elementInstances.size).toBe(0);
		await expectReplayEqualsProcessing(engine);
	});
});
