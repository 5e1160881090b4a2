import { describe, expect, it } from "vitest";
import { EngineHarness } from "./testing/engine-harness";

async function expectReplayEqualsProcessing(engine: EngineHarness) {
	const { processed, replayed } = await engine.replayed();
	expect(replayed).toEqual(processed);
}

describe("variable scoping and mappings (§3, App. C 1–2)", () => {
	it("should evaluate input mappings as locals in order and let them capture job results of the same name", async () => {
		const engine = new EngineHarness();
		await engine.deploy("variables.bpmn");
		const { processInstanceKey } = await engine.createInstance("scoping", { order: { id: "A1" }, counter: 9 });
		const job = (await engine.activateJobs("work")).jobs[0];
		expect(job.variables).toMatchObject({ orderId: "A1", ref: "A1-x", mode: "static", captured: null, counter: 0 });
		// counter exists locally on the sub-process (input mapping): the job result updates it there;
		// captured is a local input of the task: it stays local and vanishes; fresh is created at the root.
		await engine.completeJob(job.key, { counter: 1, captured: "kept?", fresh: true });
		const subKey = engine
			.records("PROCESS_INSTANCE", "ELEMENT_ACTIVATING")
			.find((r) => (r.value as { elementId: string }).elementId === "sub")!.key;
		expect(engine.variableFromLog(subKey, "counter")).toBe(1);
		expect(engine.variables(processInstanceKey)).toMatchObject({ counter: 9, fresh: true });
		expect(engine.variables(processInstanceKey)).not.toHaveProperty("captured");
		expect(engine.variables(processInstanceKey)).not.toHaveProperty("orderId");
		await expectReplayEqualsProcessing(engine);
	});

	it("should propagate only output-mapped results, merging dotted targets into the existing object", async () => {
		const engine = new EngineHarness();
		await engine.deploy("variables.bpmn");
		const { processInstanceKey } = await engine.createInstance("scoping", { order: { id: "A1" } });
		await engine.completeJob((await engine.activateJobs("work")).jobs[0].key);
		const mapped = (await engine.activateJobs("mapped")).jobs[0];
		await engine.completeJob(mapped.key, { result: { total: 42, status: "done" } });
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_COMPLETED");
		expect(engine.variableFromLog(processInstanceKey, "total")).toBe(42);
		expect(engine.variableFromLog(processInstanceKey, "order")).toEqual({ id: "A1", status: "done" });
		expect(engine.variableFromLog(processInstanceKey, "result")).toBeUndefined();
		await expectReplayEqualsProcessing(engine);
	});

	it("should write no record when a variable is set to the value it already has", async () => {
		const engine = new EngineHarness();
		await engine.deploy("one-task.bpmn");
		const { processInstanceKey } = await engine.createInstance("one-task", { a: 1 });
		const before = engine.records("VARIABLE").length;
		await engine.send({
			valueType: "VARIABLE_DOCUMENT",
			intent: "UPDATE",
			key: -1,
			value: { scopeKey: processInstanceKey, updateSemantics: "LOCAL", variables: { a: 1 } },
		});
		expect(engine.records("VARIABLE").length).toBe(before);
		await engine.send({
			valueType: "VARIABLE_DOCUMENT",
			intent: "UPDATE",
			key: -1,
			value: { scopeKey: processInstanceKey, updateSemantics: "LOCAL", variables: { a: 2 } },
		});
		const updated = engine.records("VARIABLE", "UPDATED");
		expect(updated).toHaveLength(1);
		expect(updated[0].value).toMatchObject({
			name: "a",
			value: "2",
			scopeKey: processInstanceKey,
			processInstanceKey,
			bpmnProcessId: "one-task",
		});
	});

	it("should write SetVariables LOCAL into the task scope only, and reject unknown scopes with NOT_FOUND", async () => {
		const engine = new EngineHarness();
		await engine.deploy("one-task.bpmn");
		const { processInstanceKey } = await engine.createInstance("one-task");
		const job = (await engine.activateJobs("do-it")).jobs[0];
		const result = await engine.send({
			valueType: "VARIABLE_DOCUMENT",
			intent: "UPDATE",
			key: -1,
			value: { scopeKey: job.elementInstanceKey, updateSemantics: "LOCAL", variables: { note: "x" } },
		});
		expect(result.responses[0].record.intent).toBe("UPDATED");
		expect(engine.variables(job.elementInstanceKey as number)).toEqual({ note: "x" });
		expect(engine.variables(processInstanceKey)).toEqual({});
		const missing = await engine.send({
			valueType: "VARIABLE_DOCUMENT",
			intent: "UPDATE",
			key: -1,
			value: { scopeKey: 123, updateSemantics: "LOCAL", variables: {} },
		});
		expect(missing.responses[0].record.rejectionType).toBe("NOT_FOUND");
	});
});
