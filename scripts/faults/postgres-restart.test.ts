import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMigrations } from "../../api/db/migrate";
import { apiMigrations } from "../../api/db/migrations";
import { PartRegistry } from "../../api/health/part-registry";
import { startApi } from "../../api/platform";
import { migrateDomainSchema } from "../../domain/index";
import { oneTaskProcess } from "../../engine/gateway/test-diagrams";
import { type RunningPostgres, startEmbeddedPostgres } from "../platform/embedded-postgres";
import { type EngineProcess, startEngineProcess } from "../testing/engine-process";
import { grpcCode, management, plainClient, sleep, UNAVAILABLE, withClient } from "./fault-kit";

/** One client call as the test saw it. */
interface Call {
	startedAt: number;
	endedAt: number;
	ok: boolean;
	/** gRPC status code, or HTTP status for the API. */
	code?: number;
	key?: string;
}

/** Longest a call made while PostgreSQL is down may take: an answer, not a hang. */
const ANSWER_BOUND_MS = 2_000;
/** Longest any call may take, also one caught in PostgreSQL's shutdown or start-up. */
const ANY_CALL_BOUND_MS = 5_000;
/** Longest the engine may take to accept commands again once PostgreSQL is back. */
const RECOVERY_BOUND_MS = 15_000;

/**
 * The test owns its PostgreSQL (an embedded cluster in a temporary folder, not the run's shared one) so it can stop
 * and start the server while the engine, a separate process, serves clients.
 */
describe("PostgreSQL restarted under load", () => {
	let dataDir: string;
	let postgres: RunningPostgres;
	let engine: EngineProcess | undefined;
	let api: FastifyInstance | undefined;
	let databaseUrl: string;

	beforeAll(async () => {
		dataDir = mkdtempSync(path.join(tmpdir(), "mizan-faults-pg-"));
		postgres = await startEmbeddedPostgres({ dataDir, port: 0 });
		await withClient(postgres.adminUrl, (client) => client.query("create database faults"));
		databaseUrl = postgres.urlFor("faults");
		engine = await startEngineProcess(databaseUrl);
		const logger = pino({ level: "silent" });
		await runMigrations({ databaseUrl, tableName: "api_migrations", migrations: apiMigrations, logger });
		await migrateDomainSchema(databaseUrl, logger);
		api = await startApi({
			databaseUrl,
			logger,
			parts: new PartRegistry(),
			mode: "demo",
			auth: { jwtSecret: "faults-test-secret-long-enough-0123456789" },
			gatewayAddress: engine.gatewayAddress,
			embeddedEngine: true,
		});
	});
	afterAll(async () => {
		await api?.close();
		await engine?.kill("SIGKILL");
		await postgres?.stop();
		if (dataDir) rmSync(dataDir, { recursive: true, force: true });
	});

	it("should answer UNAVAILABLE within 2 s while the database is down and take commands again by itself once it is back", async () => {
		const running = engine as EngineProcess;
		const zb = plainClient(running.gatewayAddress);
		await zb.deployResource({
			process: Buffer.from(oneTaskProcess("pg-restart", "pg-restart-job")),
			name: "pg-restart.bpmn",
		});

		const calls: Call[] = [];
		let stop = false;
		const client = async () => {
			while (!stop) {
				const startedAt = Date.now();
				try {
					const created = await zb.createProcessInstance({ bpmnProcessId: "pg-restart", variables: {} });
					calls.push({ startedAt, endedAt: Date.now(), ok: true, key: created.processInstanceKey });
				} catch (error) {
					calls.push({ startedAt, endedAt: Date.now(), ok: false, code: grpcCode(error) });
					await sleep(50);
				}
			}
		};
		const login = await (api as FastifyInstance).inject({
			method: "POST",
			url: "/v2/auth/login",
			payload: { username: "officer.olaya", password: "mizan-demo-2026" },
		});
		const authorization = `Bearer ${login.json().token}`;
		const apiCalls: Call[] = [];
		const apiClient = async () => {
			while (!stop) {
				const startedAt = Date.now();
				const response = await (api as FastifyInstance).inject({
					method: "POST",
					url: "/v2/process-instances",
					headers: { authorization },
					payload: { processDefinitionId: "pg-restart" },
				});
				const ok = response.statusCode === 200;
				apiCalls.push({
					startedAt,
					endedAt: Date.now(),
					ok,
					code: response.statusCode,
					key: ok ? response.json().processInstanceKey : response.body,
				});
				if (!ok) await sleep(50);
			}
		};
		const clients = [...Array.from({ length: 4 }, client), apiClient(), apiClient()];
		try {
			await sleep(700);
			const stopping = Date.now();
			await postgres.stop();
			const down = Date.now();
			await sleep(2_000);
			const health = await management(running.managementPort, "/actuator/health");
			expect(health.status, JSON.stringify(health.body)).toBe(503);
			const starting = Date.now();
			postgres = await startEmbeddedPostgres({ dataDir, port: postgres.port });
			const up = Date.now();
			const firstSuccess = async (list: Call[]) => {
				for (;;) {
					const first = list.find((call) => call.ok && call.startedAt >= up);
					if (first) return first;
					if (Date.now() - up > RECOVERY_BOUND_MS) return undefined;
					await sleep(50);
				}
			};
			const recovered = await firstSuccess(calls);
			const apiRecovered = await firstSuccess(apiCalls);
			await sleep(500);
			stop = true;
			await Promise.all(clients);

			const duringOutage = calls.filter((call) => call.startedAt >= down && call.endedAt <= starting);
			const slowestOf = (list: Call[]) => Math.max(...list.map((call) => call.endedAt - call.startedAt));
			const slowest = slowestOf(duringOutage);
			console.log(
				`postgres restart: stop took ${down - stopping} ms, start ${up - starting} ms; ${duringOutage.length} calls while down (codes ${[...new Set(duringOutage.map((call) => call.code))].join(",")}), ` +
					`slowest then ${slowest} ms, slowest of all ${slowestOf(calls)} ms; first command accepted ${recovered ? recovered.endedAt - up : "never"} ms after PostgreSQL was back; ${calls.filter((call) => call.ok).length} creates acknowledged`,
			);
			const apiDuringOutage = apiCalls.filter((call) => call.startedAt >= down && call.endedAt <= starting);
			const apiSlowest = slowestOf(apiDuringOutage);
			console.log(
				`API: ${apiDuringOutage.length} requests while down (statuses ${[...new Set(apiDuringOutage.map((call) => call.code))].join(",")}), slowest then ${apiSlowest} ms, slowest of all ${slowestOf(apiCalls)} ms; ` +
					`first instance started ${apiRecovered ? apiRecovered.endedAt - up : "never"} ms after PostgreSQL was back; ${apiCalls.filter((call) => call.ok).length} acknowledged`,
			);
			expect(duringOutage.length).toBeGreaterThan(10);
			for (const call of duringOutage) expect(call).toMatchObject({ ok: false, code: UNAVAILABLE });
			expect(slowest).toBeLessThan(ANSWER_BOUND_MS);
			expect(
				recovered,
				`no command was accepted within ${RECOVERY_BOUND_MS} ms after PostgreSQL came back:\n${running.output().slice(-1500)}`,
			).toBeDefined();
			expect((await management(running.managementPort, "/actuator/health")).status).toBe(200);
			expect(apiDuringOutage.length).toBeGreaterThan(5);
			for (const call of apiDuringOutage) expect(call, String(call.key)).toMatchObject({ ok: false, code: 503 });
			expect(apiSlowest).toBeLessThan(ANSWER_BOUND_MS);
			expect(apiRecovered, "the API started no instance after PostgreSQL came back").toBeDefined();
			expect(slowestOf([...calls, ...apiCalls])).toBeLessThan(ANY_CALL_BOUND_MS);

			// Every acknowledged create is stored, and the engine's own state has it: its job can be activated.
			const acknowledged = [...calls, ...apiCalls].filter((call) => call.ok).map((call) => call.key as string);
			const stored = await withClient(databaseUrl, async (db) => {
				const result = await db.query(
					"select key::text from engine_process_instance where bpmn_process_id = 'pg-restart'",
				);
				return new Set(result.rows.map((row) => row.key as string));
			});
			for (const key of acknowledged) expect(stored.has(key), `instance ${key}`).toBe(true);
			const jobs = await zb.activateJobs({
				type: "pg-restart-job",
				worker: "after",
				maxJobsToActivate: 10_000,
				timeout: 60_000,
				requestTimeout: -1,
			});
			const withJobs = new Set(jobs.map((job) => job.processInstanceKey));
			for (const key of acknowledged) expect(withJobs.has(key), `job of instance ${key}`).toBe(true);
		} finally {
			stop = true;
			await Promise.all(clients);
			await zb.close();
		}
	}, 60_000);
});
