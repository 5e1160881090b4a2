import type { FastifyInstance } from "fastify";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMigrations } from "../../api/db/migrate";
import { apiMigrations } from "../../api/db/migrations";
import { PartRegistry } from "../../api/health/part-registry";
import { startApi } from "../../api/platform";
import { migrateDomainSchema } from "../../domain/index";
import { freePort } from "../platform/embedded-postgres";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { type EngineProcess, startEngineProcess } from "../testing/engine-process";
import { assignedUserTaskProcess } from "./fault-diagrams";
import { eventually, plainClient, runSeed, seededRandom, sleep, withClient } from "./fault-kit";

/** How many times the engine is SIGKILLed while the API starts instances and completes user tasks (env FAULTS_API_KILLS). */
const KILLS = Number(process.env.FAULTS_API_KILLS ?? 3);

const userTaskProcess = assignedUserTaskProcess("crash-task", "officer.olaya");

/**
 * The API (this process, with its task service) stays up while the engine under it is SIGKILLed and restarted on the
 * same gateway port: what the API acknowledged (201/200 start, 204 completion) must be in the engine, the task list
 * and the audit chain exactly once.
 */
describe("SIGKILL of the engine while the API starts instances and completes user tasks", () => {
	let db: TestDatabase;
	let engine: EngineProcess | undefined;
	let api: FastifyInstance | undefined;

	beforeAll(async () => {
		db = await createTestDatabase("faults_platform_crash");
		const logger = pino({ level: "silent" });
		await runMigrations({ databaseUrl: db.url, tableName: "api_migrations", migrations: apiMigrations, logger });
		await migrateDomainSchema(db.url, logger);
	});
	afterAll(async () => {
		await api?.close();
		await engine?.kill("SIGKILL");
		await db?.drop();
	});

	it("should keep every instance the API started and every task it completed, once, with an intact audit chain", async () => {
		const seed = runSeed();
		const random = seededRandom(seed);
		const gatewayPort = await freePort();
		engine = await startEngineProcess(db.url, 60_000, { gatewayPort });
		const zb = plainClient(engine.gatewayAddress);
		await zb.deployResource({ process: Buffer.from(userTaskProcess), name: "crash-task.bpmn" });
		await zb.close();
		api = await startApi({
			databaseUrl: db.url,
			logger: pino({ level: "silent" }),
			parts: new PartRegistry(),
			mode: "demo",
			auth: { jwtSecret: "faults-test-secret-long-enough-0123456789", jwtTtlSeconds: 3_600 },
			gatewayAddress: `127.0.0.1:${gatewayPort}`,
			embeddedEngine: true,
		});
		const app = api;
		const token = async (username: string) => {
			const login = await app.inject({
				method: "POST",
				url: "/v2/auth/login",
				payload: { username, password: "mizan-demo-2026" },
			});
			return `Bearer ${login.json().token}`;
		};
		const officer = await token("officer.olaya");
		const auditor = await token("auditor");

		const started = new Set<string>();
		const completed = new Set<string>();
		const killPoints: number[] = [];
		let failures = 0;

		const verify = async () => {
			const state = await withClient(db.url, async (client) => {
				const instances = await client.query(
					"select key::text, state from engine_process_instance where bpmn_process_id = 'crash-task'",
				);
				const jobs = await client.query(
					"select key::text, state, process_instance_key::text as instance from engine_job where bpmn_process_id = 'crash-task'",
				);
				const tasks = await client.query("select key, state, process_instance_key as instance from user_task");
				const audits = await client.query(
					"select entity_id, count(*)::int as n from audit_log where action = 'USER_TASK_COMPLETED' group by 1",
				);
				return {
					instances: new Map(instances.rows.map((row) => [row.key as string, row.state as string])),
					jobs: new Map(jobs.rows.map((row) => [row.key as string, row])),
					jobsPerInstance: jobs.rows.reduce(
						(counts, row) => counts.set(row.instance, (counts.get(row.instance) ?? 0) + 1),
						new Map<string, number>(),
					),
					tasks: new Map(tasks.rows.map((row) => [row.key as string, row])),
					tasksPerInstance: tasks.rows.reduce(
						(counts, row) => counts.set(row.instance, (counts.get(row.instance) ?? 0) + 1),
						new Map<string, number>(),
					),
					audits: new Map(audits.rows.map((row) => [row.entity_id as string, row.n as number])),
				};
			});
			for (const key of started) expect(state.instances.has(key), `instance ${key} started through the API`).toBe(true);
			for (const [instance, n] of state.jobsPerInstance) expect(n, `user task jobs of instance ${instance}`).toBe(1);
			for (const [instance, n] of state.tasksPerInstance) expect(n, `tasks of instance ${instance}`).toBe(1);
			for (const key of completed) {
				expect(state.jobs.get(key)?.state, `job of task ${key} completed through the API`).toBe("COMPLETED");
				expect(state.tasks.get(key)?.state, `task ${key}`).toBe("COMPLETED");
				expect(state.audits.get(key), `audit entries of completing task ${key}`).toBe(1);
			}
			for (const [key, n] of state.audits) expect(n, `audit entries of completing task ${key}`).toBe(1);
			// A job the engine completed although the API's answer was cut (503) still has its user's audit entry
			// (USER_TASK_COMPLETION_UNCONFIRMED), and its task ends COMPLETED by that user, never CANCELED.
			const unaudited = await withClient(db.url, (client) =>
				client.query(`select j.key::text as key from engine_job j where j.bpmn_process_id = 'crash-task' and j.state = 'COMPLETED'
					and not exists (select 1 from audit_log a where a.entity_type = 'user-task' and a.entity_id = j.key::text
						and a.action in ('USER_TASK_COMPLETED', 'USER_TASK_COMPLETION_UNCONFIRMED') and a.actor_username = 'officer.olaya')`),
			);
			expect(unaudited.rows, "engine-completed jobs without the officer's audit entry").toEqual([]);
			let wrongRows: unknown[] = [];
			await eventually(
				async () => {
					const wrong = await withClient(db.url, (client) =>
						client.query(`select t.key, t.state, t.completed_by from user_task t join engine_job j on j.key::text = t.key
							where j.state = 'COMPLETED' and (t.state <> 'COMPLETED' or t.completed_by is distinct from 'officer.olaya')`),
					);
					wrongRows = wrong.rows;
					return wrong.rows.length === 0 ? true : undefined;
				},
				10_000,
				() =>
					`tasks whose jobs completed in the engine to be COMPLETED by officer.olaya; still: ${JSON.stringify(wrongRows)}`,
			);
			const verification = await app.inject({
				method: "POST",
				url: "/v2/audit-logs/verification",
				headers: { authorization: auditor },
				payload: {},
			});
			expect(verification.statusCode, verification.body).toBe(200);
			expect(verification.json()).toMatchObject({ valid: true, problems: [] });
		};

		for (let round = 0; round < KILLS; round++) {
			let stop = false;
			const loop = async (body: () => Promise<void>) => {
				while (!stop) {
					await body().catch(() => undefined);
					await sleep(20);
				}
			};
			const loops = [
				loop(async () => {
					const response = await app.inject({
						method: "POST",
						url: "/v2/process-instances",
						headers: { authorization: officer },
						payload: { processDefinitionId: "crash-task" },
					});
					if (response.statusCode === 200) started.add(String(response.json().processInstanceKey));
					else failures++;
				}),
				loop(async () => {
					const search = await app.inject({
						method: "POST",
						url: "/v2/user-tasks/search",
						headers: { authorization: officer },
						payload: { filter: { state: "CREATED" }, page: { limit: 10 } },
					});
					if (search.statusCode !== 200) return;
					for (const task of search.json().items as Array<{ userTaskKey: string }>) {
						const response = await app.inject({
							method: "POST",
							url: `/v2/user-tasks/${task.userTaskKey}/completion`,
							headers: { authorization: officer },
							payload: { variables: { reviewed: true } },
						});
						if (response.statusCode === 204) completed.add(task.userTaskKey);
						else failures++;
					}
				}),
			];
			const killAfter = Math.round(500 + random() * 2_000);
			killPoints.push(killAfter);
			await sleep(killAfter);
			await engine.kill("SIGKILL");
			await sleep(300);
			stop = true;
			await Promise.all(loops);
			engine = await startEngineProcess(db.url, 60_000, { gatewayPort });
			// The API's client reconnects by itself; wait until it starts instances again, then check everything.
			await eventually(
				async () => {
					const response = await app.inject({
						method: "POST",
						url: "/v2/process-instances",
						headers: { authorization: officer },
						payload: { processDefinitionId: "crash-task" },
					});
					if (response.statusCode !== 200) return undefined;
					started.add(String(response.json().processInstanceKey));
					return true;
				},
				15_000,
				() => "the API started no instance within 15 s after the engine came back",
			);
			await verify();
		}
		console.log(
			`platform crash: seed ${seed}, ${KILLS} kill points after ${killPoints.join(", ")} ms; through the API ${started.size} instances started and ${completed.size} user tasks completed (acknowledged), ${failures} requests refused while the engine was down`,
		);
		expect(completed.size).toBeGreaterThan(0);
	}, 300_000);
});
