import { describe, expect, it } from "vitest";
import { EngineHarness } from "./testing/engine-harness";

describe("multi-instance (§3.5)", () => {
	it("should run parallel inner instances and collect outputs in input order; run sequential ones until the completion condition", async () => {
		const engine = new EngineHarness();
		await engine.deploy("multi-instance.bpmn");
		const { processInstanceKey } = await engine.createInstance("statements", {
			witnesses: ["a", "b", "c"],
			approved: false,
		});
		const body = engine
			.records("PROCESS_INSTANCE", "ELEMENT_ACTIVATING")
			.find((r) => (r.value as { bpmnElementType: string }).bpmnElementType === "MULTI_INSTANCE_BODY")!;
		expect(body.value).toMatchObject({ elementId: "take-statement" });
		const jobs = (await engine.activateJobs("statement")).jobs;
		expect(jobs.map((job) => job.variables.witness)).toEqual(["a", "b", "c"]);
		expect(jobs.map((job) => job.variables.loopCounter)).toEqual([1, 2, 3]);
		await engine.completeJob(jobs[2].key, { text: "third" });
		await engine.completeJob(jobs[0].key, { text: "first" });
		expect(engine.variables(processInstanceKey)).not.toHaveProperty("statements");
		await engine.completeJob(jobs[1].key, { text: "second" });
		expect(engine.variables(processInstanceKey).statements).toEqual(["first", "second", "third"]);
		// `text` stays local to each inner instance (pre-created as a local null).
		expect(engine.variables(processInstanceKey)).not.toHaveProperty("text");

		const first = (await engine.activateJobs("review")).jobs;
		expect(first.map((job) => job.variables.round)).toEqual([1]);
		await engine.completeJob(first[0].key);
		const second = (await engine.activateJobs("review")).jobs;
		expect(second.map((job) => job.variables.round)).toEqual([2]);
		await engine.completeJob(second[0].key, { approved: true });
		expect((await engine.activateJobs("review")).jobs).toHaveLength(0);
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_COMPLETED");
		const { processed, replayed } = await engine.replayed();
		expect(replayed).toEqual(processed);
	});

	it("should complete at once on an empty collection and raise EXTRACT_VALUE_ERROR when it is not a list", async () => {
		const engine = new EngineHarness();
		await engine.deploy("multi-instance.bpmn");
		await engine.createInstance("statements", { witnesses: [] });
		expect(engine.elementIntents("take-statement")).toContain("ELEMENT_COMPLETED");
		await engine.createInstance("statements", { witnesses: "nobody" });
		expect(engine.records("INCIDENT", "CREATED")[0].value).toMatchObject({
			errorType: "EXTRACT_VALUE_ERROR",
			elementId: "take-statement",
		});
	});

	it("should terminate all inner instances when the instance is canceled", async () => {
		const engine = new EngineHarness();
		await engine.deploy("multi-instance.bpmn");
		const { processInstanceKey } = await engine.createInstance("statements", { witnesses: ["a", "b"] });
		await engine.send({ valueType: "PROCESS_INSTANCE", intent: "CANCEL", key: processInstanceKey, value: {} });
		expect(engine.state.elementInstances.size).toBe(0);
		expect(engine.records("JOB", "CANCELED")).toHaveLength(2);
	});

	it("should run 2,000 parallel inner instances in linear time (the input collection is not re-read per instance)", async () => {
		const engine = new EngineHarness();
		await engine.deploy({
			resourceName: "many.bpmn",
			resource: `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d-many" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="many" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:serviceTask id="each"><bpmn:extensionElements><zeebe:taskDefinition type="many-each" /></bpmn:extensionElements>
      <bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=items" inputElement="item" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>
    </bpmn:serviceTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="each" />
    <bpmn:sequenceFlow id="f2" sourceRef="each" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`,
		});
		const count = 2000;
		const started = process.cpuUsage();
		const { processInstanceKey } = await engine.createInstance("many", {
			items: Array.from({ length: count }, (_, i) => i),
		});
		let completed = 0;
		for (;;) {
			const { jobs } = await engine.activateJobs("many-each", { max: 500, fetchVariable: ["item"] });
			if (jobs.length === 0) break;
			for (const job of jobs) await engine.completeJob(job.key);
			completed += jobs.length;
		}
		const used = process.cpuUsage(started);
		const perElementMs = (used.user + used.system) / 1000 / count;
		console.log(`multi-instance: ${perElementMs.toFixed(3)} ms CPU per inner instance (create, activate, complete)`);
		expect(completed).toBe(count);
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_COMPLETED");
		// Re-reading the 2,000-item collection per inner instance cost ~4 ms each (quadratic).
		expect(perElementMs).toBeLessThan(1.5);
	});
});
