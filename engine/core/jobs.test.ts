import { describe, expect, it } from "vitest";
import { engineCore } from "./engine-core";
import { EngineHarness } from "./testing/engine-harness";

async function expectReplayEqualsProcessing(engine: EngineHarness) {
	const { processed, replayed } = await engine.replayed();
	expect(replayed).toEqual(processed);
}

async function oneJob(variables: Record<string, unknown> = {}) {
	const engine = new EngineHarness();
	await engine.deploy("one-task.bpmn");
	const { processInstanceKey } = await engine.createInstance("one-task", variables);
	const job = (await engine.activateJobs("do-it", { timeout: 1000 })).jobs[0];
	return { engine, processInstanceKey, job };
}

describe("jobs (§4)", () => {
	it("should activate jobs FIFO by key, at most maxJobsToActivate, and answer an empty batch when none are left", async () => {
		const engine = new EngineHarness();
		await engine.deploy("one-task.bpmn");
		for (let index = 0; index < 3; index++) await engine.createInstance("one-task", { index });
		const first = await engine.activateJobs("do-it", { max: 2, fetchVariable: ["index", "missing"] });
		expect(first.jobs.map((job) => job.variables)).toEqual([{ index: 0 }, { index: 1 }]);
		expect(first.jobs[0].key).toBeLessThan(first.jobs[1].key);
		expect(first.result.responses[0].record.value).toMatchObject({ truncated: true });
		expect((await engine.activateJobs("do-it")).jobs.map((job) => job.variables)).toEqual([{ index: 2 }]);
		const empty = await engine.activateJobs("do-it");
		expect(empty.jobs).toEqual([]);
		expect(empty.result.responses[0].record).toMatchObject({ intent: "ACTIVATED", recordType: "EVENT" });
		await expectReplayEqualsProcessing(engine);
	});

	it("should reject invalid activation requests with INVALID_ARGUMENT", async () => {
		const engine = new EngineHarness();
		const result = await engine.activateJobs("x", { max: 0 });
		expect(result.result.responses[0].record).toMatchObject({ rejectionType: "INVALID_ARGUMENT" });
		expect(result.result.responses[0].record.rejectionReason).toContain("max jobs to activate to be greater than zero");
	});

	it("should make a failed job with retries activatable again at once, keeping the client's retries", async () => {
		const { engine, job } = await oneJob();
		const failed = await engine.job("FAIL", job.key, {
			retries: 2,
			errorMessage: "try again",
			retryBackoff: 0,
			variables: { attempt: 1 },
		});
		expect(failed.jobsAvailable).toEqual(["do-it"]);
		const again = (await engine.activateJobs("do-it")).jobs[0];
		expect(again).toMatchObject({ key: job.key, retries: 2 });
		// FailJob variables are local to the task.
		expect(engine.variables(job.elementInstanceKey as number)).toEqual({ attempt: 1 });
		await expectReplayEqualsProcessing(engine);
	});

	it("should hide a job during its back-off and recur it when dueWork says so", async () => {
		const { engine, job } = await oneJob();
		await engine.job("FAIL", job.key, { retries: 2, errorMessage: "", retryBackoff: 5000, variables: {} });
		expect((await engine.activateJobs("do-it")).jobs).toHaveLength(0);
		expect(engineCore.dueWork(engine.state, engine.now)).toEqual({ commands: [], nextDueAt: engine.now + 5000 });
		engine.now += 5000;
		const due = engineCore.dueWork(engine.state, engine.now);
		expect(due.commands).toEqual([{ valueType: "JOB", intent: "RECUR_AFTER_BACKOFF", key: job.key, value: {} }]);
		const recurred = await engine.send(due.commands[0]);
		expect(recurred.records.map((record) => record.intent)).toEqual(["RECUR_AFTER_BACKOFF", "RECURRED_AFTER_BACKOFF"]);
		expect(recurred.jobsAvailable).toEqual(["do-it"]);
		expect((await engine.activateJobs("do-it")).jobs).toHaveLength(1);
		await expectReplayEqualsProcessing(engine);
	});

	it("should raise JOB_NO_RETRIES at zero retries; resolving needs retries first, then the job is activatable", async () => {
		const { engine, job } = await oneJob();
		await engine.job("FAIL", job.key, { retries: 0, errorMessage: "", retryBackoff: 0, variables: {} });
		const incident = engine.records("INCIDENT", "CREATED")[0];
		expect(incident.value).toMatchObject({
			errorType: "JOB_NO_RETRIES",
			errorMessage: "No more retries left.",
			jobKey: job.key,
			elementId: "task",
			variableScopeKey: job.elementInstanceKey,
		});
		const refused = await engine.send({ valueType: "INCIDENT", intent: "RESOLVE", key: incident.key, value: {} });
		expect(refused.responses[0].record.rejectionType).toBe("INVALID_STATE");
		const complete = await engine.completeJob(job.key);
		expect(complete.responses[0].record.rejectionType).toBe("INVALID_STATE");
		expect(complete.responses[0].record.rejectionReason).toContain(
			`Expected to complete job with key '${job.key}', but it is in state 'FAILED'`,
		);
		const retried = await engine.job("UPDATE_RETRIES", job.key, { retries: 3 });
		expect(retried.responses[0].record.intent).toBe("RETRIES_UPDATED");
		expect((await engine.activateJobs("do-it")).jobs).toHaveLength(0);
		const resolved = await engine.send({ valueType: "INCIDENT", intent: "RESOLVE", key: incident.key, value: {} });
		expect(resolved.responses[0].record.intent).toBe("RESOLVED");
		expect((await engine.activateJobs("do-it")).jobs[0]).toMatchObject({ key: job.key, retries: 3 });
		await expectReplayEqualsProcessing(engine);
	});

	it("should time out an activated job with its retries unchanged, and still accept its completion", async () => {
		const { engine, processInstanceKey, job } = await oneJob();
		expect(engineCore.dueWork(engine.state, engine.now).nextDueAt).toBe(engine.now + 1000);
		engine.now += 1000;
		const due = engineCore.dueWork(engine.state, engine.now);
		expect(due.commands).toEqual([{ valueType: "JOB", intent: "TIME_OUT", key: job.key, value: {} }]);
		const timedOut = await engine.send(due.commands[0]);
		expect(timedOut.records[1]).toMatchObject({ intent: "TIMED_OUT", key: job.key });
		expect(timedOut.jobsAvailable).toEqual(["do-it"]);
		expect(engine.state.jobs.get(job.key)).toMatchObject({ state: "ACTIVATABLE", retries: 3 });
		// A worker whose activation timed out can still complete the job (§4.3).
		await engine.completeJob(job.key);
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_COMPLETED");
		expect(engineCore.dueWork(engine.state, engine.now + 10 * 3_600_000)).toEqual({ commands: [], nextDueAt: null });
		const duplicate = await engine.completeJob(job.key);
		expect(duplicate.responses[0].record.rejectionType).toBe("NOT_FOUND");
		await expectReplayEqualsProcessing(engine);
	});

	it("should update the timeout of an activated job only", async () => {
		const { engine, job } = await oneJob();
		const updated = await engine.job("UPDATE_TIMEOUT", job.key, { timeout: 30_000 });
		expect(updated.responses[0].record.value).toMatchObject({ deadline: engine.now + 30_000 });
		await engine.job("FAIL", job.key, { retries: 1, errorMessage: "", retryBackoff: 0, variables: {} });
		const refused = await engine.job("UPDATE_TIMEOUT", job.key, { timeout: 30_000 });
		expect(refused.responses[0].record.rejectionType).toBe("INVALID_STATE");
	});

	it("should reject retries ≤ 0 in UpdateJobRetries", async () => {
		const { engine, job } = await oneJob();
		const result = await engine.job("UPDATE_RETRIES", job.key, { retries: 0 });
		expect(result.responses[0].record.rejectionType).toBe("INVALID_ARGUMENT");
	});
});

describe("process instance commands", () => {
	it("should cancel an instance: job canceled, incidents resolved, everything terminated", async () => {
		const { engine, processInstanceKey, job } = await oneJob();
		await engine.job("FAIL", job.key, { retries: 0, errorMessage: "down", retryBackoff: 0, variables: {} });
		const result = await engine.send({
			valueType: "PROCESS_INSTANCE",
			intent: "CANCEL",
			key: processInstanceKey,
			value: {},
		});
		expect(result.responses[0].record).toMatchObject({ intent: "ELEMENT_TERMINATING", key: processInstanceKey });
		expect(result.records.filter((r) => r.recordType === "EVENT").map((r) => `${r.valueType} ${r.intent}`)).toEqual([
			"PROCESS_INSTANCE ELEMENT_TERMINATING",
			"PROCESS_INSTANCE ELEMENT_TERMINATING",
			"INCIDENT RESOLVED",
			"JOB CANCELED",
			"PROCESS_INSTANCE ELEMENT_TERMINATED",
			"PROCESS_INSTANCE ELEMENT_TERMINATED",
		]);
		expect(engine.state.elementInstances.size).toBe(0);
		expect(engine.state.jobs.size).toBe(0);
		expect(engine.state.incidents.size).toBe(0);
		const again = await engine.send({
			valueType: "PROCESS_INSTANCE",
			intent: "CANCEL",
			key: processInstanceKey,
			value: {},
		});
		expect(again.responses[0].record.rejectionType).toBe("NOT_FOUND");
		await expectReplayEqualsProcessing(engine);
	});

	it("should answer CREATE_WITH_AWAITING_RESULT when the instance completes, with the fetched variables", async () => {
		const engine = new EngineHarness();
		await engine.deploy("one-task.bpmn");
		const created = await engine.send({
			valueType: "PROCESS_INSTANCE_CREATION",
			intent: "CREATE_WITH_AWAITING_RESULT",
			key: -1,
			requestId: 77,
			value: {
				processDefinitionKey: -1,
				bpmnProcessId: "one-task",
				version: -1,
				variables: { a: 1, b: 2 },
				startInstructions: [],
				fetchVariables: ["b", "c"],
				tenantId: "",
			},
		});
		expect(created.responses).toEqual([]);
		const job = (await engine.activateJobs("do-it")).jobs[0];
		const done = await engine.completeJob(job.key, { c: 3 });
		const answer = done.responses.find((response) => response.requestId === 77);
		expect(answer?.record).toMatchObject({ valueType: "PROCESS_INSTANCE_RESULT", intent: "COMPLETED" });
		expect(answer?.record.value).toMatchObject({ bpmnProcessId: "one-task", version: 1, variables: { b: 2, c: 3 } });
	});

	it("should start at the given elements when start instructions are sent", async () => {
		const engine = new EngineHarness();
		await engine.deploy("one-task.bpmn");
		const { processInstanceKey } = await engine.createInstance(
			"one-task",
			{},
			{ startInstructions: [{ elementId: "end" }] },
		);
		expect(engine.elementIntents("start")).toEqual([]);
		expect(engine.elementIntents("task")).toEqual([]);
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_COMPLETED");
		const bad = await engine.createInstance("one-task", {}, { startInstructions: [{ elementId: "nope" }] });
		expect(bad.result.responses[0].record.rejectionType).toBe("INVALID_ARGUMENT");
	});
});
