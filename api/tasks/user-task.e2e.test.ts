import { readFileSync } from "node:fs";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZBClient } from "zeebe-node";
import { type EngineQueries, openEngineQueries } from "../../engine/query/index";
import { type EngineProcess, startEngineProcess } from "../../scripts/testing/engine-process";
import { AuditLog } from "../audit/audit-log.repository";
import { recordLostCompletion } from "../testing/audit-fixtures";
import { type ApiTestKit, createApiTestKit } from "../testing/api-test-kit";
import { elementNameResolver } from "./element-name.resolver";
import { endedJobsFromEngine, startUserTaskReconciler } from "./user-task.reconciler";
import { startUserTaskWorker } from "./user-task.worker";

/** Polls until `probe` answers something truthy. */
async function eventually<T>(
	probe: () => Promise<T | null | undefined | false>,
	what: string,
	timeoutMs = 10_000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

describe("user tasks end to end on the embedded engine", () => {
	const logger = pino({ level: "silent" });
	let kit: ApiTestKit;
	let engine: EngineProcess;
	let closeQueries: () => Promise<void>;
	let zbc: ZBClient;
	let queries: EngineQueries;
	let worker: { close(): Promise<void> };

	beforeAll(async () => {
		// The app is built with the client below; kit.db is shared by the engine's and the API's tables.
		let client: ZBClient | undefined;
		kit = await createApiTestKit("tasks_e2e", {
			api: {
				tasks: {
					zbc: { completeJob: (request) => client!.completeJob(request) },
					jobState: async (task) =>
						(await queries.instanceJobs(task.processInstanceKey)).find((job) => String(job.key) === task.key)?.state,
				},
			},
		});
		engine = await startEngineProcess(kit.db.url);
		zbc = new ZBClient(engine.gatewayAddress, { useTLS: false, loglevel: "NONE", retry: false });
		client = zbc;
		({ queries, close: closeQueries } = await openEngineQueries(kit.db.url));
		worker = startUserTaskWorker({
			zbc,
			orm: kit.orm,
			logger,
			resolveName: elementNameResolver(async (key) => (await queries.getDefinition(key))?.xml),
		});
		await zbc.deployResource({
			name: "report-review.bpmn",
			process: readFileSync(new URL("./fixtures/report-review.bpmn", import.meta.url)),
		});
	});
	afterAll(async () => {
		await worker?.close();
		await zbc?.close();
		await closeQueries?.();
		await engine?.stop();
		await kit?.close();
	});

	async function taskOf(processInstanceKey: string) {
		const headers = await kit.as("officer.olaya");
		return eventually(async () => {
			const response = await kit.app.inject({
				method: "POST",
				url: "/v2/user-tasks/search",
				headers,
				payload: { filter: { processInstanceKey } },
			});
			return response.json().items[0] as Record<string, unknown> | undefined;
		}, `the user task of instance ${processInstanceKey}`);
	}

	it("should list the task for the officer's group, complete it through the API, and complete the instance", async () => {
		const instance = await zbc.createProcessInstance({
			bpmnProcessId: "report-review",
			variables: { caseNumber: "RUH-OLY-1447-000153-9", district: "Olaya" },
		});
		const task = await taskOf(instance.processInstanceKey);
		expect(task).toMatchObject({
			name: "Review the report",
			state: "CREATED",
			candidateGroups: ["investigation-officer:RUH-OLY"],
			caseNumber: "RUH-OLY-1447-000153-9",
			dueDate: "2026-12-01T10:00:00.000Z",
			priority: 70,
			processDefinitionId: "report-review",
		});
		expect(task.processDefinitionKey).toMatch(/^[0-9]+$/);
		const malaz = await kit.app.inject({
			url: `/v2/user-tasks/${task.userTaskKey}`,
			headers: await kit.as("officer.malaz"),
		});
		expect(malaz.statusCode).toBe(404);

		const headers = await kit.as("officer.olaya");
		const url = `/v2/user-tasks/${task.userTaskKey}/completion`;
		const done = await kit.app.inject({
			method: "POST",
			url,
			headers,
			payload: { variables: { reviewed: true, decision: "accept" } },
		});
		expect(done.statusCode, done.body).toBe(204);
		const again = await kit.app.inject({ method: "POST", url, headers, payload: { variables: {} } });
		expect(again.json()).toMatchObject({ status: 409, code: "USER_TASK_NOT_ACTIVE" });

		const finished = await eventually(async () => {
			const view = await queries.getInstance(instance.processInstanceKey);
			return view?.state === "COMPLETED" ? view : null;
		}, "the instance to complete");
		expect(finished.state).toBe("COMPLETED");
		const variables = await queries.instanceVariables(instance.processInstanceKey);
		expect(variables).toContainEqual(expect.objectContaining({ name: "decision", value: "accept" }));
		expect((await kit.app.inject({ url: `/v2/user-tasks/${task.userTaskKey}`, headers })).json()).toMatchObject({
			state: "COMPLETED",
			assignee: "officer.olaya",
		});
	});

	it("should mark the task canceled when completion finds its job gone, and the reconciler should take canceled tasks off the lists", async () => {
		const first = await zbc.createProcessInstance({
			bpmnProcessId: "report-review",
			variables: { caseNumber: "RUH-OLY-1447-000154-7" },
		});
		const second = await zbc.createProcessInstance({
			bpmnProcessId: "report-review",
			variables: { caseNumber: "RUH-OLY-1447-000155-4" },
		});
		const firstTask = await taskOf(first.processInstanceKey);
		const secondTask = await taskOf(second.processInstanceKey);
		await zbc.cancelProcessInstance(first.processInstanceKey);
		await zbc.cancelProcessInstance(second.processInstanceKey);

		const headers = await kit.as("officer.olaya");
		const gone = await kit.app.inject({
			method: "POST",
			url: `/v2/user-tasks/${firstTask.userTaskKey}/completion`,
			headers,
			payload: {},
		});
		expect(gone.json()).toMatchObject({ status: 409, code: "USER_TASK_JOB_GONE" });
		expect((await kit.app.inject({ url: `/v2/user-tasks/${firstTask.userTaskKey}`, headers })).json().state).toBe(
			"CANCELED",
		);

		const reconciler = startUserTaskReconciler({
			orm: kit.orm,
			logger,
			endedJobs: endedJobsFromEngine(queries),
			intervalMs: 60_000,
		});
		await eventually(async () => (await reconciler.sweep()) > 0 || null, "the reconciler to cancel the second task");
		await reconciler.close();
		expect((await kit.app.inject({ url: `/v2/user-tasks/${secondTask.userTaskKey}`, headers })).json().state).toBe(
			"CANCELED",
		);
	});

	it("should take the task of a canceled instance off the lists within about a second with the reconciler running", async () => {
		const reconciler = startUserTaskReconciler({ orm: kit.orm, logger, endedJobs: endedJobsFromEngine(queries) });
		try {
			const instance = await zbc.createProcessInstance({
				bpmnProcessId: "report-review",
				variables: { caseNumber: "RUH-OLY-1447-000156-1" },
			});
			const task = await taskOf(instance.processInstanceKey);
			await zbc.cancelProcessInstance(instance.processInstanceKey);
			const canceledAt = Date.now();
			// The reconciler sweeps every second; the margin absorbs a loaded 2-core test machine.
			const headers = await kit.as("officer.olaya");
			await eventually(
				async () => {
					const open = await kit.app.inject({
						method: "POST",
						url: "/v2/user-tasks/search",
						headers,
						payload: { filter: { state: "CREATED", processInstanceKey: instance.processInstanceKey } },
					});
					return open.json().page.totalItems === 0;
				},
				"the task to leave the open list",
				2500,
			);
			expect(Date.now() - canceledAt).toBeLessThan(2500);
			expect((await kit.app.inject({ url: `/v2/user-tasks/${task.userTaskKey}`, headers })).json().state).toBe(
				"CANCELED",
			);
		} finally {
			await reconciler.close();
		}
	});

	it("should tell a job completed after a lost answer (204, the user's completion) from one completed by another client (409)", async () => {
		const headers = await kit.as("officer.olaya");
		const audit = new AuditLog(kit.orm);
		const auditOf = async (key: string) =>
			kit.orm.em
				.fork()
				.execute<Array<{ action: string; actor_username: string | null; detail: Record<string, unknown> }>>(
					"select action, actor_username, detail from audit_log where entity_id = ? and entity_type = 'user-task' order by seq",
					[key],
				);
		const lost = await zbc.createProcessInstance({ bpmnProcessId: "report-review", variables: { caseNumber: "RUH-OLY-1447-000156-2" } });
		const other = await zbc.createProcessInstance({ bpmnProcessId: "report-review", variables: { caseNumber: "RUH-OLY-1447-000157-0" } });
		const lostTask = String((await taskOf(lost.processInstanceKey)).userTaskKey);
		const otherTask = String((await taskOf(other.processInstanceKey)).userTaskKey);
		// officer.olaya's first request reached the engine, which completed the job, but the answer was lost: the API
		// recorded the attempt as unconfirmed and answered 503 (what happens when the engine is killed at that moment).
		await zbc.completeJob({ jobKey: lostTask, variables: { reviewed: true } });
		await recordLostCompletion(kit.orm, {
			username: "officer.olaya",
			userTaskKey: lostTask,
			caseNumber: "RUH-OLY-1447-000156-2",
			variables: ["reviewed"],
		});
		const retry = await kit.app.inject({
			method: "POST",
			url: `/v2/user-tasks/${lostTask}/completion`,
			headers,
			payload: { variables: { reviewed: true } },
		});
		expect(retry.statusCode, retry.body).toBe(204);
		expect((await kit.app.inject({ url: `/v2/user-tasks/${lostTask}`, headers })).json()).toMatchObject({ state: "COMPLETED" });
		expect(await auditOf(lostTask)).toEqual([
			expect.objectContaining({ action: "USER_TASK_COMPLETION_UNCONFIRMED", actor_username: "officer.olaya" }),
			expect.objectContaining({
				action: "USER_TASK_COMPLETED",
				actor_username: "officer.olaya",
				detail: { variables: ["reviewed"], confirmedAfterLostAnswer: true },
			}),
		]);

		// Another client (zbctl) completed the other job: the officer is told, the task is completed, not canceled.
		await zbc.completeJob({ jobKey: otherTask, variables: {} });
		const late = await kit.app.inject({
			method: "POST",
			url: `/v2/user-tasks/${otherTask}/completion`,
			headers,
			payload: { variables: { reviewed: true } },
		});
		expect(late.json()).toMatchObject({ status: 409, code: "USER_TASK_NOT_ACTIVE", detail: expect.stringContaining("already completed") });
		expect((await kit.app.inject({ url: `/v2/user-tasks/${otherTask}`, headers })).json()).toMatchObject({ state: "COMPLETED" });
		expect(await auditOf(otherTask)).toEqual([
			expect.objectContaining({ action: "USER_TASK_ENDED_IN_ENGINE", detail: { state: "COMPLETED", by: "another client" } }),
		]);
		expect((await audit.verify()).valid).toBe(true);
	});
});
