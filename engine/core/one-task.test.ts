import { describe, expect, it } from "vitest";
import { EngineHarness } from "./testing/engine-harness";

describe("start → service task → end", () => {
	it("should run an instance to completion when its job is completed", async () => {
		const engine = new EngineHarness();
		const deployed = await engine.deploy("one-task.bpmn");
		expect(deployed.records.map((r) => `${r.recordType} ${r.valueType} ${r.intent}`)).toEqual([
			"COMMAND DEPLOYMENT CREATE",
			"EVENT PROCESS CREATED",
			"EVENT DEPLOYMENT CREATED",
		]);
		expect(deployed.responses[0].record.intent).toBe("CREATED");
		const { processInstanceKey, result } = await engine.createInstance("one-task", { amount: 5 });
		expect(processInstanceKey).toBe(2251799813685251);
		expect(result.jobsAvailable).toEqual(["do-it"]);
		expect(result.responses[0].record.value).toMatchObject({
			bpmnProcessId: "one-task",
			version: 1,
			processInstanceKey,
		});

		const { jobs } = await engine.activateJobs("do-it");
		expect(jobs).toHaveLength(1);
		expect(jobs[0]).toMatchObject({
			elementId: "task",
			variables: { amount: 5 },
			customHeaders: { kind: "test" },
			retries: 3,
		});

		const completed = await engine.completeJob(jobs[0].key, { result: "ok" });
		expect(completed.responses[0].record.intent).toBe("COMPLETED");
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_COMPLETED");
		expect(engine.elementIntents("task")).toEqual([
			"ELEMENT_ACTIVATING",
			"ELEMENT_ACTIVATED",
			"ELEMENT_COMPLETING",
			"ELEMENT_COMPLETED",
		]);
		expect(engine.variableFromLog(processInstanceKey, "result")).toBe("ok");
		expect(engine.state.elementInstances.size).toBe(0);
		expect(engine.state.jobs.size).toBe(0);

		const { processed, replayed } = await engine.replayed();
		expect(replayed).toEqual(processed);
	});

	it("should keep positions strictly increasing and every source position pointing at a command", async () => {
		const engine = new EngineHarness();
		await engine.deploy("one-task.bpmn");
		await engine.createInstance("one-task");
		const { jobs } = await engine.activateJobs("do-it");
		await engine.completeJob(jobs[0].key);
		const byPosition = new Map(engine.log.map((record) => [record.position, record]));
		engine.log.forEach((record, index) => {
			expect(record.position).toBe(index + 1);
			if (record.sourceRecordPosition !== -1)
				expect(byPosition.get(record.sourceRecordPosition)?.recordType).toBe("COMMAND");
		});
	});
});
