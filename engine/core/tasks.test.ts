import { describe, expect, it } from "vitest";
import { EngineHarness } from "./testing/engine-harness";

describe("task kinds", () => {
	it("should run script, manual and undefined tasks through, and create a job-based user task with reserved headers", async () => {
		const engine = new EngineHarness();
		await engine.deploy("tasks.bpmn");
		const { processInstanceKey } = await engine.createInstance("tasks", {
			a: 2,
			b: 3,
			reviewer: "omar",
			channel: "sms",
		});
		expect(engine.variableFromLog(processInstanceKey, "sum")).toBe(5);
		expect(engine.elementIntents("manual")).toContain("ELEMENT_COMPLETED");
		expect(engine.elementIntents("undefined-task")).toContain("ELEMENT_COMPLETED");
		const review = (await engine.activateJobs("io.camunda.zeebe:userTask")).jobs[0];
		expect(review.retries).toBe(1);
		expect(review.customHeaders).toEqual({
			stage: "review",
			"io.camunda.zeebe:assignee": "omar",
			"io.camunda.zeebe:candidateGroups": '["officers","supervisors"]',
			"io.camunda.zeebe:candidateUsers": '["u1","u2"]',
			"io.camunda.zeebe:dueDate": "2026-02-01T10:00:00Z",
			"io.camunda.zeebe:formKey": "camunda-forms:bpmn:review-form",
		});
		await engine.completeJob(review.key, { approved: true });
		const notify = (await engine.activateJobs("notify-sms")).jobs[0];
		expect(notify.retries).toBe(5);
		await engine.completeJob(notify.key);
		expect(engine.elementIntents("milestone")).toContain("ELEMENT_COMPLETED");
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_COMPLETED");
		const { processed, replayed } = await engine.replayed();
		expect(replayed).toEqual(processed);
	});

	it("should leave out user task headers whose expression gives null", async () => {
		const engine = new EngineHarness();
		await engine.deploy("tasks.bpmn");
		await engine.createInstance("tasks", { a: 1, b: 1 });
		const review = (await engine.activateJobs("io.camunda.zeebe:userTask")).jobs[0];
		expect(review.customHeaders).not.toHaveProperty("io.camunda.zeebe:assignee");
		expect(review.customHeaders).toHaveProperty("io.camunda.zeebe:candidateGroups");
	});

	it("should raise EXTRACT_VALUE_ERROR when the job type expression gives no string", async () => {
		const engine = new EngineHarness();
		await engine.deploy("tasks.bpmn");
		await engine.createInstance("tasks", { a: 1, b: 1, reviewer: "omar" });
		const review = (await engine.activateJobs("io.camunda.zeebe:userTask")).jobs[0];
		await engine.completeJob(review.key);
		expect(engine.records("INCIDENT", "CREATED")[0].value).toMatchObject({
			errorType: "EXTRACT_VALUE_ERROR",
			elementId: "notify",
		});
	});
});
