import { describe, expect, it } from "vitest";
import { EngineHarness } from "./testing/engine-harness";

async function expectReplayEqualsProcessing(engine: EngineHarness) {
	const { processed, replayed } = await engine.replayed();
	expect(replayed).toEqual(processed);
}

async function started(processId: string, jobType: string, variables: Record<string, unknown> = {}) {
	const engine = new EngineHarness();
	await engine.deploy("errors.bpmn");
	const { processInstanceKey } = await engine.createInstance(processId, variables);
	const job = (await engine.activateJobs(jobType)).jobs[0];
	return { engine, processInstanceKey, job };
}

describe("BPMN errors", () => {
	it("should catch a thrown error at the boundary event with the matching code rather than the catch-all", async () => {
		const { engine, processInstanceKey, job } = await started("boundary-error", "lookup");
		const result = await engine.job("THROW_ERROR", job.key, {
			errorCode: "NOT_FOUND",
			errorMessage: "no such person",
			variables: { reason: "gone" },
		});
		expect(result.responses[0].record.intent).toBe("ERROR_THROWN");
		expect(engine.elementIntents("lookup")).toEqual([
			"ELEMENT_ACTIVATING",
			"ELEMENT_ACTIVATED",
			"ELEMENT_TERMINATING",
			"ELEMENT_TERMINATED",
		]);
		expect(engine.elementIntents("onNotFound")).toContain("ELEMENT_COMPLETED");
		expect(engine.elementIntents("onAnyError")).toEqual([]);
		expect(engine.elementIntents("notFound")).toContain("ELEMENT_COMPLETED");
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_COMPLETED");
		// An error boundary event keeps the error variables local unless mapped (§8.1).
		const reason = engine
			.records("VARIABLE", "CREATED")
			.find((record) => (record.value as { name: string }).name === "reason");
		expect(reason).toBeDefined();
		expect((reason!.value as { scopeKey: number }).scopeKey).not.toBe(processInstanceKey);
		await expectReplayEqualsProcessing(engine);
	});

	it("should fall back to the catch-all boundary event for any other code", async () => {
		const { engine, job } = await started("boundary-error", "lookup");
		await engine.job("THROW_ERROR", job.key, { errorCode: "TIMEOUT", errorMessage: "", variables: {} });
		expect(engine.elementIntents("onAnyError")).toContain("ELEMENT_COMPLETED");
		expect(engine.elementIntents("onNotFound")).toEqual([]);
	});

	it("should raise UNHANDLED_ERROR_EVENT when nothing catches the error, and make the job activatable when resolved", async () => {
		const { engine, job } = await started("uncaught-error", "risky");
		await engine.job("THROW_ERROR", job.key, { errorCode: "BOOM", errorMessage: "it broke", variables: {} });
		const incident = engine.records("INCIDENT", "CREATED")[0];
		expect(incident.value).toMatchObject({ errorType: "UNHANDLED_ERROR_EVENT", elementId: "u-task", jobKey: job.key });
		expect((incident.value as { errorMessage: string }).errorMessage).toBe(
			"Expected to throw an error event with the code 'BOOM' with message 'it broke', but it was not caught. No error events are available in the scope.",
		);
		expect((await engine.activateJobs("risky")).jobs).toHaveLength(0);
		const resolved = await engine.send({ valueType: "INCIDENT", intent: "RESOLVE", key: incident.key, value: {} });
		expect(resolved.jobsAvailable).toEqual(["risky"]);
		expect((await engine.activateJobs("risky")).jobs.map((j) => j.key)).toEqual([job.key]);
		await expectReplayEqualsProcessing(engine);
	});

	it("should interrupt the scope and run the error event sub-process, passing the error variables up", async () => {
		const { engine, processInstanceKey, job } = await started("error-subprocess", "check");
		const other = (await engine.activateJobs("other-work")).jobs[0];
		await engine.job("THROW_ERROR", job.key, { errorCode: "FRAUD", errorMessage: "", variables: { suspect: "x" } });
		expect(engine.elementIntents("other-work")).toEqual([
			"ELEMENT_ACTIVATING",
			"ELEMENT_ACTIVATED",
			"ELEMENT_TERMINATING",
			"ELEMENT_TERMINATED",
		]);
		expect(engine.records("JOB", "CANCELED").map((record) => record.key)).toContain(other.key);
		expect(engine.elementIntents("on-fraud")).toEqual(["ELEMENT_ACTIVATING", "ELEMENT_ACTIVATED"]);
		const report = (await engine.activateJobs("report-fraud")).jobs[0];
		expect(report.variables).toMatchObject({ suspect: "x" });
		await engine.completeJob(report.key);
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_COMPLETED");
		expect(engine.variableFromLog(processInstanceKey, "suspect")).toBe("x");
		expect(engine.state.elementInstances.size).toBe(0);
		await expectReplayEqualsProcessing(engine);
	});

	it("should catch an error end event at the boundary event of the enclosing sub-process", async () => {
		const engine = new EngineHarness();
		await engine.deploy("errors.bpmn");
		const { processInstanceKey } = await engine.createInstance("error-end");
		expect(engine.elementIntents("inner")).toEqual([
			"ELEMENT_ACTIVATING",
			"ELEMENT_ACTIVATED",
			"ELEMENT_TERMINATING",
			"ELEMENT_TERMINATED",
		]);
		expect(engine.elementIntents("throw-not-found")).toEqual([
			"ELEMENT_ACTIVATING",
			"ELEMENT_TERMINATING",
			"ELEMENT_TERMINATED",
		]);
		expect(engine.elementIntents("x-handled")).toContain("ELEMENT_COMPLETED");
		expect(engine.elementIntents("x-normal")).toEqual([]);
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_COMPLETED");
		await expectReplayEqualsProcessing(engine);
	});

	it("should raise UNHANDLED_ERROR_EVENT on an uncaught error end event, which stays ACTIVATING", async () => {
		const engine = new EngineHarness();
		await engine.deploy("errors.bpmn");
		await engine.createInstance("error-end-uncaught");
		expect(engine.elementIntents("y-throw")).toEqual(["ELEMENT_ACTIVATING"]);
		expect(engine.records("INCIDENT", "CREATED")[0].value).toMatchObject({
			errorType: "UNHANDLED_ERROR_EVENT",
			elementId: "y-throw",
			jobKey: -1,
		});
	});
});
