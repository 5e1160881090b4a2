import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiTestKit, createApiTestKit } from "../testing/api-test-kit";
import { AuditLog } from "../audit/audit-log.repository";
import { recordLostCompletion } from "../testing/audit-fixtures";
import { TaskEvents, type TaskEvent } from "./task-events";
import type { UserTaskJob } from "./user-task-job";
import { endedJobsFromEngine, type InstanceJobsSource, startUserTaskReconciler } from "./user-task.reconciler";
import { storeUserTaskJob } from "./user-task.worker";

const job = (key: string, instance: string): UserTaskJob => ({
	key,
	type: "io.camunda.zeebe:userTask",
	processInstanceKey: instance,
	bpmnProcessId: "p",
	processDefinitionVersion: 1,
	processKey: "1",
	elementId: "t",
	elementInstanceKey: "2",
	customHeaders: { "io.camunda.zeebe:assignee": "officer.olaya" },
	deadline: "0",
	variables: {},
});

describe("user task reconciler", () => {
	let kit: ApiTestKit;
	beforeAll(async () => {
		kit = await createApiTestKit("reconcile");
	});
	afterAll(async () => kit.close());

	it("should take tasks off the lists whose jobs the engine canceled or another client completed", async () => {
		const logger = pino({ level: "silent" });
		for (const [key, instance] of [
			["701", "70"],
			["702", "70"],
			["703", "71"],
			["704", "72"],
		])
			await storeUserTaskJob(job(key!, instance!), { orm: kit.orm, logger });
		// The engine's job projection as engine/query reports it: 701 still activated, 702 canceled by a boundary
		// event, 703 completed through zbctl, instance 72 has no such job any more.
		const engineJobs: InstanceJobsSource = {
			instanceJobs: async (instance) =>
				({
					"70": [
						{ key: "701", state: "ACTIVATED" },
						{ key: "702", state: "CANCELED" },
					],
					"71": [{ key: "703", state: "COMPLETED" }],
					"72": [],
				})[instance] ?? [],
		};
		const events = new TaskEvents();
		const seen: TaskEvent[] = [];
		events.subscribe((event) => seen.push(event));
		const reconciler = startUserTaskReconciler({
			orm: kit.orm,
			logger,
			endedJobs: endedJobsFromEngine(engineJobs),
			events,
			intervalMs: 60_000,
		});
		expect(await reconciler.sweep()).toBe(3);
		await reconciler.close();
		const states = await kit.orm.em
			.fork()
			.execute<Array<{ key: string; state: string }>>("select key, state from user_task order by key");
		expect(states).toEqual([
			{ key: "701", state: "CREATED" },
			{ key: "702", state: "CANCELED" },
			{ key: "703", state: "COMPLETED" },
			{ key: "704", state: "CANCELED" },
		]);
		expect(seen.map((event) => `${event.type} ${event.userTaskKey}`).sort()).toEqual([
			"userTask.canceled 702",
			"userTask.canceled 704",
			"userTask.completed 703",
		]);
	});

	it("should audit every task it ends, and give a job completed by a lost answer to the user who asked", async () => {
		const logger = pino({ level: "silent" });
		await storeUserTaskJob(job("801", "80"), { orm: kit.orm, logger });
		await storeUserTaskJob(job("802", "81"), { orm: kit.orm, logger });
		// officer.olaya's completion of 801 reached the engine but its answer was lost (engine killed).
		await recordLostCompletion(kit.orm, { username: "officer.olaya", userTaskKey: "801", variables: ["reviewed"] });
		const reconciler = startUserTaskReconciler({
			orm: kit.orm,
			logger,
			endedJobs: endedJobsFromEngine({
				instanceJobs: async (instance) =>
					({
						"70": [{ key: "701", state: "ACTIVATED" }],
						"80": [{ key: "801", state: "COMPLETED" }],
						"81": [{ key: "802", state: "CANCELED" }],
					})[instance] ?? [],
			}),
			intervalMs: 60_000,
		});
		expect(await reconciler.sweep()).toBe(2);
		await reconciler.close();
		const em = kit.orm.em.fork();
		expect(
			await em.execute("select key, state, completed_by from user_task where key in ('801', '802') order by key"),
		).toEqual([
			{ key: "801", state: "COMPLETED", completed_by: "officer.olaya" },
			{ key: "802", state: "CANCELED", completed_by: null },
		]);
		expect(
			await em.execute(
				"select entity_id, actor_username, detail from audit_log where action = 'USER_TASK_ENDED_IN_ENGINE' and entity_id in ('801', '802') order by entity_id",
			),
		).toEqual([
			{ entity_id: "801", actor_username: null, detail: { state: "COMPLETED", by: "reconciler", completedBy: "officer.olaya" } },
			{ entity_id: "802", actor_username: null, detail: { state: "CANCELED", by: "reconciler" } },
		]);
		expect((await new AuditLog(kit.orm).verify()).valid).toBe(true);
	});
});
