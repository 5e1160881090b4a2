import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ZBClient } from "zeebe-node";
import { freePort } from "../platform/embedded-postgres";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { exited, startPlatform, waitReady } from "../testing/platform-process";
import { assignedUserTaskProcess } from "./fault-diagrams";
import { management, plainClient, runSeed, seededRandom, sleep, withClient } from "./fault-kit";
import { drainTimersAndMessages, deployMixedLoad, grpcLoad, emptyLedger, untilStopped, verifyLedger } from "./ledger";

/** How many times the whole platform (`npm start`) is SIGKILLed under load (env FAULTS_PLATFORM_KILLS). */
const KILLS = Number(process.env.FAULTS_PLATFORM_KILLS ?? 3);

const userTaskProcess = assignedUserTaskProcess("crash-task", "officer.olaya");

/**
 * `npm start` — engine, API, task service and workers in one process — SIGKILLed at random points while clients use
 * every door at once: instances created and jobs completed over gRPC, messages published, timers falling due on the
 * controlled clock, instances started and user tasks completed through the API. PostgreSQL (DATABASE_URL) survives,
 * as it does in a deployment. After each restart every acknowledged effect is there exactly once, the API's tasks
 * and audit entries included, and the audit chain verifies.
 */
describe("SIGKILL of the whole platform (npm start) under mixed load, at random points", () => {
	let db: TestDatabase;
	let platform: { child: ChildProcess; output: () => string } | undefined;

	beforeAll(async () => {
		db = await createTestDatabase("faults_whole_platform");
	});
	afterAll(async () => {
		if (platform && platform.child.exitCode === null) {
			platform.child.kill("SIGKILL");
			await exited(platform.child);
		}
		await db?.drop();
	});

	it("should keep every acknowledged instance, job, message, timer, API start and task completion exactly once", async () => {
		const seed = runSeed();
		const random = seededRandom(seed);
		const env = {
			DATABASE_URL: db.url,
			PORT: String(await freePort()),
			GATEWAY_PORT: String(await freePort()),
			MANAGEMENT_PORT: String(await freePort()),
			ENGINE_CLOCK_CONTROLLED: "true",
			DEMO_DATA: "false",
			LOG_LEVEL: "warn",
			// A fixed key: tokens signed before a kill stay valid after the restart, as in production.
			JWT_SECRET: "faults-whole-platform-secret-0123456789abcdef",
		};
		const api = `http://127.0.0.1:${env.PORT}`;
		const gateway = `127.0.0.1:${env.GATEWAY_PORT}`;
		const ledger = emptyLedger();
		const apiStarted = new Set<string>();
		const apiCompleted = new Set<string>();
		const killPoints: number[] = [];
		const restartMs: number[] = [];
		let caseCounter = 0;

		const start = async () => {
			const started = Date.now();
			platform = startPlatform(env);
			await waitReady(Number(env.PORT), platform.output);
			restartMs.push(Date.now() - started);
			if (ledger.clockOffsetMs > 0) {
				const moved = await management(Number(env.MANAGEMENT_PORT), "/actuator/clock/add", {
					offsetMilli: ledger.clockOffsetMs,
				});
				expect(moved.status).toBe(200);
			}
		};
		const call = (method: string, path: string, token?: string, body?: unknown) =>
			fetch(`${api}${path}`, {
				method,
				headers: { "content-type": "application/json", ...(token ? { authorization: token } : {}) },
				body: body === undefined ? undefined : JSON.stringify(body),
				signal: AbortSignal.timeout(10_000),
			});
		const token = async (username: string) =>
			`Bearer ${(await (await call("POST", "/v2/auth/login", undefined, { username, password: "mizan-demo-2026" })).json()).token}`;

		await start();
		let zb: ZBClient = plainClient(gateway);
		await deployMixedLoad(zb);
		await zb.deployResource({ process: Buffer.from(userTaskProcess), name: "crash-task.bpmn" });
		const officer = await token("officer.olaya");
		const auditor = await token("auditor");

		try {
			for (let round = 0; round < KILLS; round++) {
				let stop = false;
				const loop = (body: () => Promise<void>) => untilStopped(() => stop, body);
				const loops = [
					...grpcLoad(zb, ledger, {
						stopped: () => stop,
						managementPort: Number(env.MANAGEMENT_PORT),
						nextCaseId: () => `case-${round}-${caseCounter++}`,
					}),
					loop(async () => {
						const response = await call("POST", "/v2/process-instances", officer, {
							processDefinitionId: "crash-task",
						});
						if (response.status === 200) apiStarted.add(String((await response.json()).processInstanceKey));
						else await sleep(50);
					}),
					loop(async () => {
						const search = await call("POST", "/v2/user-tasks/search", officer, {
							filter: { state: "CREATED" },
							page: { limit: 10 },
						});
						if (search.status !== 200) {
							await sleep(50);
							return;
						}
						const items = (await search.json()).items as Array<{ userTaskKey: string }>;
						if (items.length === 0) await sleep(50);
						for (const task of items) {
							const response = await call("POST", `/v2/user-tasks/${task.userTaskKey}/completion`, officer, {
								variables: { reviewed: true },
							});
							if (response.status === 204) apiCompleted.add(task.userTaskKey);
						}
					}),
				];
				const killAfter = Math.round(1_000 + random() * 2_000);
				killPoints.push(killAfter);
				await sleep(killAfter);
				platform!.child.kill("SIGKILL");
				await exited(platform!.child);
				stop = true;
				await Promise.all(loops);
				await zb.close();

				await start();
				zb = plainClient(gateway);
				await verifyLedger(db.url, ledger);
				await verifyApi();
			}

			// Finally every timer falls due and every published message has correlated, each exactly once.
			await drainTimersAndMessages(db.url, Number(env.MANAGEMENT_PORT), ledger, 20_000);
			await verifyLedger(db.url, ledger);
			await verifyApi();

			console.log(
				`whole platform crash: seed ${seed} (FAULTS_SEED=${seed} replays it), ${KILLS} kill points after ${killPoints.join(", ")} ms of load; ` +
					`acknowledged: ${ledger.jobInstances.size + ledger.messageInstances.size + ledger.timerInstances.size} gRPC instances, ${ledger.completedJobs.size} job completions, ` +
					`${ledger.published.size} messages, ${ledger.timerInstances.size} timers, ${apiStarted.size} API starts, ${apiCompleted.size} API task completions; ` +
					`restart to ready: ${restartMs.join(", ")} ms`,
			);
			expect(ledger.completedJobs.size).toBeGreaterThan(0);
			expect(ledger.published.size).toBeGreaterThan(0);
			expect(apiStarted.size).toBeGreaterThan(0);
			expect(apiCompleted.size).toBeGreaterThan(0);
		} finally {
			await zb.close();
		}

		/** What the API acknowledged: instances it started, tasks it completed (one task, one audit entry each), the chain. */
		async function verifyApi(): Promise<void> {
			const state = await withClient(db.url, async (client) => ({
				instances: new Set(
					(
						await client.query("select key::text from engine_process_instance where bpmn_process_id = 'crash-task'")
					).rows.map((row) => row.key as string),
				),
				tasks: (await client.query("select key, state, process_instance_key as instance from user_task"))
					.rows as Array<{ key: string; state: string; instance: string }>,
				completions: (
					await client.query(
						"select entity_id, count(*)::int as n from audit_log where action = 'USER_TASK_COMPLETED' and entity_type = 'user-task' group by 1",
					)
				).rows as Array<{ entity_id: string; n: number }>,
			}));
			for (const key of apiStarted)
				expect(state.instances.has(key), `instance ${key} the API answered 200 for`).toBe(true);
			const perInstance = new Map<string, number>();
			for (const task of state.tasks) perInstance.set(task.instance, (perInstance.get(task.instance) ?? 0) + 1);
			for (const [instance, n] of perInstance) expect(n, `tasks of instance ${instance}`).toBe(1);
			const byKey = new Map(state.tasks.map((task) => [task.key, task]));
			const audits = new Map(state.completions.map((row) => [row.entity_id, row.n]));
			for (const key of apiCompleted) {
				expect(byKey.get(key)?.state, `task ${key} the API answered 204 for`).toBe("COMPLETED");
				expect(audits.get(key), `USER_TASK_COMPLETED entries of task ${key}`).toBe(1);
			}
			for (const [key, n] of audits) expect(n, `USER_TASK_COMPLETED entries of task ${key}`).toBe(1);
			const verification = await call("POST", "/v2/audit-logs/verification", auditor, {});
			expect(verification.status).toBe(200);
			expect(await verification.json()).toMatchObject({ valid: true, problems: [] });
		}
	}, 600_000);
});
