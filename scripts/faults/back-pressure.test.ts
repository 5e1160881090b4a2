import type { FastifyInstance } from "fastify";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ZBClient } from "zeebe-node";
import { oneTaskProcess } from "../../engine/gateway/test-diagrams";
import { runMigrations } from "../../api/db/migrate";
import { apiMigrations } from "../../api/db/migrations";
import { PartRegistry } from "../../api/health/part-registry";
import { startApi } from "../../api/platform";
import { migrateDomainSchema } from "../../domain/index";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { type EngineProcess, startEngineProcess } from "../testing/engine-process";
import { grpcCode, management, plainClient, RESOURCE_EXHAUSTED, residentBytes, withClient } from "./fault-kit";

const MB = 1024 * 1024;
/** The engine's queue in this test (ENGINE_MAX_QUEUED_COMMANDS; 10,000 by default). */
const QUEUE = 200;
/** Commands sent at once: several times what the queue holds. */
const FLOOD = Number(process.env.FAULTS_FLOOD ?? 6_000);
/** A generous bound on how much the engine's resident memory may grow during the flood. */
const RSS_GROWTH_BOUND = 400 * MB;

describe("back-pressure under a flood of commands", () => {
	let db: TestDatabase;
	let engine: EngineProcess;
	let zb: ZBClient;

	beforeAll(async () => {
		db = await createTestDatabase("faults_flood");
		engine = await startEngineProcess(db.url, 60_000, { env: { ENGINE_MAX_QUEUED_COMMANDS: String(QUEUE) } });
		zb = plainClient(engine.gatewayAddress);
		await zb.deployResource({ process: Buffer.from(oneTaskProcess("flood", "flood-job")), name: "flood.bpmn" });
	});
	afterAll(async () => {
		await zb?.close();
		await engine?.stop();
		await db?.drop();
	});

	it("should refuse what its queue cannot hold with RESOURCE_EXHAUSTED, keep its memory bounded and serve again after", async () => {
		await zb.createProcessInstance({ bpmnProcessId: "flood", variables: {} });
		const baseline = residentBytes(engine.pid);
		let peak = baseline;
		const sampler = setInterval(() => {
			peak = Math.max(peak, residentBytes(engine.pid));
		}, 50);
		const payload = { note: "x".repeat(1_000) };
		const started = Date.now();
		// The engine is paused (SIGSTOP) while the flood is sent, so that it meets the whole burst at once however fast
		// this machine happens to be: what arrives beyond its queue must be refused, not buffered.
		process.kill(engine.pid, "SIGSTOP");
		const resume = setTimeout(() => process.kill(engine.pid, "SIGCONT"), 1_000);
		const flood = Promise.all(
			Array.from({ length: FLOOD }, () =>
				zb.createProcessInstance({ bpmnProcessId: "flood", variables: payload }).then(
					(created) => ({ ok: true as const, key: created.processInstanceKey }),
					(error) => ({ ok: false as const, code: grpcCode(error), message: (error as Error).message }),
				),
			),
		);
		const outcomes = await flood.finally(() => {
			clearTimeout(resume);
			process.kill(engine.pid, "SIGCONT");
		});
		const floodMs = Date.now() - started;
		clearInterval(sampler);
		peak = Math.max(peak, residentBytes(engine.pid));

		const accepted = outcomes.filter((outcome) => outcome.ok);
		const refused = outcomes.filter((outcome) => !outcome.ok && outcome.code === RESOURCE_EXHAUSTED);
		const other = outcomes.filter((outcome) => !outcome.ok && outcome.code !== RESOURCE_EXHAUSTED);
		const metrics = await management(engine.managementPort, "/actuator/prometheus");
		const dropped = /zeebe_dropped_request_count_total(?:\{[^}]*\})? (\d+)/.exec(String(metrics.body));
		console.log(
			`flood: ${FLOOD} creates in ${floodMs} ms: ${accepted.length} accepted, ${refused.length} RESOURCE_EXHAUSTED, ${other.length} other; ` +
				`engine RSS ${Math.round(baseline / MB)} MB before, peak ${Math.round(peak / MB)} MB (growth bound ${RSS_GROWTH_BOUND / MB} MB); dropped-request metric ${dropped?.[1]}`,
		);
		expect(other.slice(0, 3)).toEqual([]);
		expect(refused.length).toBeGreaterThan(0);
		expect(accepted.length).toBeGreaterThan(0);
		expect(Number(dropped?.[1])).toBe(refused.length);
		expect(peak - baseline).toBeLessThan(RSS_GROWTH_BOUND);

		// Everything acknowledged is stored, nothing refused is, and the engine serves again at once.
		const stored = await withClient(db.url, async (client) => Number((await client.query("select count(*) from engine_process_instance where bpmn_process_id = 'flood'")).rows[0].count));
		expect(stored).toBe(accepted.length + 1);
		const after = await zb.createProcessInstance({ bpmnProcessId: "flood", variables: {} });
		expect(after.processInstanceKey).toBeTruthy();
	}, 120_000);
});

describe("back-pressure through the API", () => {
	let db: TestDatabase;
	let engine: EngineProcess;
	let api: FastifyInstance;

	beforeAll(async () => {
		db = await createTestDatabase("faults_flood_api");
		const logger = pino({ level: "silent" });
		await runMigrations({ databaseUrl: db.url, tableName: "api_migrations", migrations: apiMigrations, logger });
		await migrateDomainSchema(db.url, logger);
		// A queue of 2 commands, so that the API's own database pool (10) is not what holds the flood back.
		engine = await startEngineProcess(db.url, 60_000, { env: { ENGINE_MAX_QUEUED_COMMANDS: "2" } });
		api = await startApi({ databaseUrl: db.url, logger, parts: new PartRegistry(), mode: "demo", auth: { jwtSecret: "faults-test-secret-long-enough-0123456789" }, gatewayAddress: engine.gatewayAddress, embeddedEngine: true });
		const zb = plainClient(engine.gatewayAddress);
		await zb.deployResource({ process: Buffer.from(oneTaskProcess("flood-api", "flood-api-job")), name: "flood-api.bpmn" });
		await zb.close();
	});
	afterAll(async () => {
		await api?.close();
		await engine?.stop();
		await db?.drop();
	});

	it("should answer 429 RATE_LIMITED to what the busy engine refuses, 200 to the rest, and nothing else", async () => {
		const login = await api.inject({ method: "POST", url: "/v2/auth/login", payload: { username: "officer.olaya", password: "mizan-demo-2026" } });
		const authorization = `Bearer ${login.json().token}`;
		const started = Date.now();
		const responses = await Promise.all(
			Array.from({ length: 300 }, async () => {
				const begun = Date.now();
				const response = await api.inject({ method: "POST", url: "/v2/process-instances", headers: { authorization }, payload: { processDefinitionId: "flood-api" } });
				return { status: response.statusCode, code: response.statusCode === 200 ? undefined : (response.json() as { code: string }).code, ms: Date.now() - begun };
			}),
		);
		const statuses: Record<string, typeof responses> = {};
		for (const response of responses) (statuses[String(response.status)] ??= []).push(response);
		const slowest = Math.max(...responses.map((response) => response.ms));
		console.log(`API flood: 300 starts in ${Date.now() - started} ms: ${statuses["200"]?.length ?? 0} × 200, ${statuses["429"]?.length ?? 0} × 429, slowest ${slowest} ms`);
		expect(Object.keys(statuses).sort()).toEqual(["200", "429"]);
		for (const response of statuses["429"] ?? []) expect(response.code).toBe("RATE_LIMITED");
		expect(slowest).toBeLessThan(15_000);
	}, 60_000);
});
