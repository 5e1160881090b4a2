import { describe, expect, it } from "vitest";
import { MAX_JOB_BATCH_BYTES } from "./processors/job-batch-activate.processor";
import { EngineHarness } from "./testing/engine-harness";

/** Job batches that would not fit into one gRPC message (4 MiB): truncated, or an incident for a job too large alone. */
describe("job batch size", () => {
	it("should end a batch before it exceeds the size limit and deliver the rest in the next batch", async () => {
		const engine = new EngineHarness();
		await engine.deploy("one-task.bpmn");
		const half = "x".repeat(Math.floor(MAX_JOB_BATCH_BYTES / 2) - 1000);
		for (let index = 0; index < 3; index++) await engine.createInstance("one-task", { index, blob: half });
		const first = await engine.activateJobs("do-it", { max: 10 });
		expect(first.jobs.map((job) => job.variables.index)).toEqual([0, 1]);
		expect(first.result.responses[0].record.value).toMatchObject({ truncated: true });
		expect((await engine.activateJobs("do-it", { max: 10 })).jobs.map((job) => job.variables.index)).toEqual([2]);
		const { processed, replayed } = await engine.replayed();
		expect(replayed).toEqual(processed);
	});

	it("should fail a job too large for any batch with an incident MESSAGE_SIZE_EXCEEDED instead of activating it forever", async () => {
		const engine = new EngineHarness();
		await engine.deploy("one-task.bpmn");
		const huge = await engine.createInstance("one-task", { blob: "y".repeat(MAX_JOB_BATCH_BYTES + 1) });
		const small = await engine.createInstance("one-task", { small: true });
		const batch = await engine.activateJobs("do-it", { max: 10 });
		// The small job behind the huge one is still delivered.
		expect(batch.jobs.map((job) => job.processInstanceKey)).toEqual([small.processInstanceKey]);
		const incident = engine.records("INCIDENT", "CREATED")[0];
		expect(incident.value).toMatchObject({
			errorType: "MESSAGE_SIZE_EXCEEDED",
			processInstanceKey: huge.processInstanceKey,
		});
		expect((incident.value as { errorMessage: string }).errorMessage).toContain("can not be activated");
		expect((await engine.activateJobs("do-it")).jobs).toEqual([]);
		// Shrinking the variable, giving retries back and resolving the incident makes the job deliverable.
		const jobKey = (incident.value as { jobKey: number }).jobKey;
		await engine.send({
			valueType: "VARIABLE_DOCUMENT",
			intent: "UPDATE",
			key: -1,
			value: { scopeKey: huge.processInstanceKey, updateSemantics: "PROPAGATE", variables: { blob: "small now" } },
		});
		await engine.job("UPDATE_RETRIES", jobKey, { retries: 1 });
		await engine.send({ valueType: "INCIDENT", intent: "RESOLVE", key: incident.key, value: {} });
		expect((await engine.activateJobs("do-it")).jobs.map((job) => job.key)).toEqual([jobKey]);
		const { processed, replayed } = await engine.replayed();
		expect(replayed).toEqual(processed);
	});
});
