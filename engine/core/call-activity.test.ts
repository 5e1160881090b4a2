import { describe, expect, it } from "vitest";
import { EngineHarness } from "./testing/engine-harness";

async function expectReplayEqualsProcessing(engine: EngineHarness) {
	const { processed, replayed } = await engine.replayed();
	expect(replayed).toEqual(processed);
}

async function started() {
	const engine = new EngineHarness();
	await engine.deploy("call-activity.bpmn");
	const { processInstanceKey } = await engine.createInstance("parent", { childId: "child", caseNo: 7 });
	const job = (await engine.activateJobs("child-work")).jobs[0];
	return { engine, processInstanceKey, job };
}

describe("call activity (§3.6, §8.6)", () => {
	it("should run the called process with the parent's variables and take back its variables", async () => {
		const { engine, processInstanceKey, job } = await started();
		expect(job.variables).toEqual({ childId: "child", caseNo: 7 });
		const childKey = job.processInstanceKey as number;
		expect(childKey).not.toBe(processInstanceKey);
		const childProcess = engine
			.records("PROCESS_INSTANCE", "ELEMENT_ACTIVATING")
			.find((record) => record.key === childKey)!;
		expect(childProcess.value).toMatchObject({
			bpmnProcessId: "child",
			parentProcessInstanceKey: processInstanceKey,
			flowScopeKey: -1,
		});
		await engine.completeJob(job.key, { verdict: "ok" });
		expect(engine.processState(childKey)).toBe("ELEMENT_COMPLETED");
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_COMPLETED");
		expect(engine.variableFromLog(processInstanceKey, "verdict")).toBe("ok");
		await expectReplayEqualsProcessing(engine);
	});

	it("should catch an error thrown in the child at the call activity's boundary event", async () => {
		const { engine, processInstanceKey, job } = await started();
		await engine.job("THROW_ERROR", job.key, { errorCode: "REJECTED", errorMessage: "", variables: {} });
		expect(engine.processState(job.processInstanceKey as number)).toBe("ELEMENT_TERMINATED");
		expect(engine.elementIntents("p-rejected")).toContain("ELEMENT_COMPLETED");
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_COMPLETED");
		await expectReplayEqualsProcessing(engine);
	});

	it("should terminate the child when the parent is canceled, and refuse to cancel the child alone", async () => {
		const { engine, processInstanceKey, job } = await started();
		const refused = await engine.send({
			valueType: "PROCESS_INSTANCE",
			intent: "CANCEL",
			key: job.processInstanceKey as number,
			value: {},
		});
		expect(refused.responses[0].record.rejectionType).toBe("INVALID_STATE");
		await engine.send({ valueType: "PROCESS_INSTANCE", intent: "CANCEL", key: processInstanceKey, value: {} });
		expect(engine.processState(job.processInstanceKey as number)).toBe("ELEMENT_TERMINATED");
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_TERMINATED");
		expect(engine.state.elementInstances.size).toBe(0);
		expect(engine.state.jobs.size).toBe(0);
		await expectReplayEqualsProcessing(engine);
	});

	it("should raise CALLED_ELEMENT_ERROR when the called process is not deployed", async () => {
		const engine = new EngineHarness();
		await engine.deploy("call-activity.bpmn");
		await engine.createInstance("parent", { childId: "nope" });
		expect(engine.records("INCIDENT", "CREATED")[0].value).toMatchObject({
			errorType: "CALLED_ELEMENT_ERROR",
			elementId: "call-child",
		});
	});
});
