import { describe, expect, it } from "vitest";
import type { EngineCommand } from "./contract";
import { engineCore } from "./engine-core";
import { EngineHarness } from "./testing/engine-harness";

describe("snapshot and restore", () => {
	it("should round-trip the state through JSON and keep running from it", async () => {
		const engine = new EngineHarness();
		await engine.deploy("one-task.bpmn", "parallel.bpmn");
		const { processInstanceKey } = await engine.createInstance("one-task", { a: 1 });
		await engine.createInstance("parallel");
		await engine.activateJobs("a");
		const json = JSON.stringify(engineCore.snapshot(engine.state));
		const restored = await engineCore.restore(JSON.parse(json));
		expect(engineCore.snapshot(restored)).toEqual(engineCore.snapshot(engine.state));
		expect(engineCore.lastPosition(restored)).toBe(engine.log.length);

		engine.state = restored;
		const job = (await engine.activateJobs("do-it")).jobs[0];
		expect(job.variables).toEqual({ a: 1 });
		await engine.completeJob(job.key);
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_COMPLETED");
		// Keys continue from the snapshot's counter.
		const keys = engine.log.map((record) => record.key);
		expect(new Set(keys.filter((key) => key > 0)).size).toBeGreaterThan(0);
		expect(Math.max(...keys)).toBeLessThan(engine.state.nextKey);
	});

	it("should replay records after a snapshot onto the restored state", async () => {
		const engine = new EngineHarness();
		await engine.deploy("one-task.bpmn");
		await engine.createInstance("one-task");
		const snapshot = JSON.parse(JSON.stringify(engineCore.snapshot(engine.state)));
		const from = engine.log.length;
		const job = (await engine.activateJobs("do-it")).jobs[0];
		await engine.completeJob(job.key);
		const restored = await engineCore.restore(snapshot);
		await engineCore.replay(restored, engine.log.slice(from));
		expect(engineCore.snapshot(restored)).toEqual(engineCore.snapshot(engine.state));
	});

	it("should not move the key counter on replay for a key a client made up (rejected command)", async () => {
		const engine = new EngineHarness();
		await engine.deploy("one-task.bpmn");
		await engine.createInstance("one-task");
		const madeUp = 2 ** 52;
		const rejected = await engine.send({ valueType: "PROCESS_INSTANCE", intent: "CANCEL", key: madeUp, value: {} });
		expect(rejected.records.map((record) => record.recordType)).toEqual(["COMMAND", "COMMAND_REJECTION"]);
		const { processed, replayed } = await engine.replayed();
		expect(replayed).toEqual(processed);
		expect((replayed as { nextKey: number }).nextKey).toBeLessThan(madeUp);
	});
});

describe("performance", () => {
	it("should run a start → task → end instance end to end in well under a millisecond of CPU", async () => {
		const engine = new EngineHarness();
		await engine.deploy("one-task.bpmn");
		const state = engine.state;
		const create: EngineCommand = {
			valueType: "PROCESS_INSTANCE_CREATION",
			intent: "CREATE",
			key: -1,
			requestId: 1,
			value: {
				processDefinitionKey: -1,
				bpmnProcessId: "one-task",
				version: -1,
				variables: { amount: 1 },
				startInstructions: [],
				tenantId: "",
			},
		};
		const activate: EngineCommand = {
			valueType: "JOB_BATCH",
			intent: "ACTIVATE",
			key: -1,
			requestId: 2,
			value: { type: "do-it", worker: "w", timeout: 60_000, maxJobsToActivate: 32, fetchVariable: [], tenantIds: [] },
		};
		const run = (instances: number) => {
			for (let index = 0; index < instances; index++) engineCore.processCommand(state, create, engine.now);
			let done = 0;
			while (done < instances) {
				const result = engineCore.processCommand(state, activate, engine.now);
				const jobs = (result.records[result.records.length - 1].value as { jobKeys: number[] }).jobKeys;
				for (const key of jobs) {
					engineCore.processCommand(
						state,
						{ valueType: "JOB", intent: "COMPLETE", key, requestId: 3, value: { variables: { ok: true } } },
						engine.now,
					);
					done++;
				}
			}
		};
		run(500); // warm-up
		const instances = 3000;
		const started = process.cpuUsage();
		run(instances);
		const used = process.cpuUsage(started);
		const perInstanceMs = (used.user + used.system) / 1000 / instances;
		console.log(`core: ${perInstanceMs.toFixed(3)} ms CPU per instance (create, activate share, complete)`);
		expect(state.elementInstances.size).toBe(0);
		expect(perInstanceMs).toBeLessThan(1);
	});
});
