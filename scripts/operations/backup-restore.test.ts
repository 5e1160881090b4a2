import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { FastifyInstance } from "fastify";
import pg from "pg";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { runMigrations } from "../../api/db/migrate";
import { apiMigrations } from "../../api/db/migrations";
import { PartRegistry } from "../../api/health/part-registry";
import { startApi } from "../../api/platform";
import { migrateDomainSchema } from "../../domain/index";
import { type RunningEngine, startEngine } from "../../engine/index";
import { migrateWorkersSchema } from "../../workers/index";
import { type RunningWorkers, startWorkers } from "../../workers/runtime/start-workers";
import { seedDemoData } from "../platform/demo-data";
import { freePort } from "../platform/embedded-postgres";
import { type SystemPostgres, startSystemPostgres } from "./system-postgres";

const run = promisify(execFile);
const logger = pino({ level: "silent" });

/** The parts `npm start` runs, on one database: migrations, engine, API with task service, workers. */
interface Parts {
	app: FastifyInstance;
	engine: RunningEngine;
	workers: RunningWorkers;
	stop(): Promise<void>;
}

async function startParts(databaseUrl: string, seed: boolean): Promise<Parts> {
	await runMigrations({ databaseUrl, tableName: "api_migrations", migrations: apiMigrations, logger });
	await migrateDomainSchema(databaseUrl, logger);
	await migrateWorkersSchema(databaseUrl, logger);
	const engine = await startEngine({ databaseUrl, gatewayPort: await freePort(), gatewayHost: "127.0.0.1", managementPort: await freePort(), logger });
	const gatewayAddress = `127.0.0.1:${engine.gatewayPort}`;
	const app = await startApi({
		databaseUrl,
		logger,
		parts: new PartRegistry(),
		mode: "demo",
		auth: { jwtSecret: "backup-test-secret-long-enough-0123456789" },
		gatewayAddress,
		embeddedEngine: true,
		formsDir: fileURLToPath(new URL("../../forms/", import.meta.url)),
	});
	const workers = await startWorkers({ zeebeAddress: gatewayAddress, databaseUrl, logger });
	if (seed) await seedDemoData({ databaseUrl, zeebeAddress: gatewayAddress, logger });
	return {
		app,
		engine,
		workers,
		stop: async () => {
			await app.close();
			await workers.stop();
			await engine.stop();
		},
	};
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

/** HTTP calls as demo users against one app. */
function client(app: FastifyInstance) {
	const tokens = new Map<string, string>();
	const call = async <T>(username: string, method: "GET" | "POST", url: string, payload?: unknown): Promise<{ status: number; body: T }> => {
		if (!tokens.has(username)) {
			const login = await app.inject({ method: "POST", url: "/v2/auth/login", payload: { username, password: "mizan-demo-2026" } });
			expect(login.statusCode, login.body).toBe(200);
			tokens.set(username, login.json().token);
		}
		const answer = await app.inject({ method, url, headers: { authorization: `Bearer ${tokens.get(username)}` }, payload: payload as never });
		return { status: answer.statusCode, body: (answer.body ? answer.json() : undefined) as T };
	};
	const openTask = (username: string, elementId: string) =>
		eventually(`${username}'s ${elementId}`, async () => {
			const found = await call<{ items: Array<{ userTaskKey: string; caseNumber: string | null; assignee: string | null }> }>(username, "POST", "/v2/user-tasks/search", {
				filter: { state: "CREATED", elementId },
			});
			return found.body.items[0];
		});
	const complete = async (username: string, elementId: string, variables: Record<string, unknown>) => {
		const task = await openTask(username, elementId);
		if (task.assignee !== username) {
			const claimed = await call(username, "POST", `/v2/user-tasks/${task.userTaskKey}/assignment`, { assignee: username, allowOverride: false });
			expect(claimed.status).toBe(204);
		}
		const done = await call(username, "POST", `/v2/user-tasks/${task.userTaskKey}/completion`, { variables });
		expect(done.status, JSON.stringify(done.body)).toBe(204);
		return task;
	};
	return { call, openTask, complete };
}

type Instance = { processInstanceKey: string; processDefinitionId: string; state: string; parentProcessInstanceKey: string | null };
type Task = { userTaskKey: string; elementId: string; state: string; caseNumber: string | null; assignee: string | null };

/** What a restored copy must serve the same: the case file, every instance and every task, as the API answers them. */
async function servedState(api: ReturnType<typeof client>, caseNumber: string) {
	const caseFile = await api.call<Record<string, unknown>>("officer.olaya", "GET", `/v2/cases/${caseNumber}`);
	expect(caseFile.status).toBe(200);
	const instances = await api.call<{ items: Instance[] }>("admin", "POST", "/v2/process-instances/search", { page: { limit: 100 } });
	const tasks = await api.call<{ items: Task[] }>("admin", "POST", "/v2/user-tasks/search", { page: { limit: 100 } });
	const byKey = <T>(items: T[], key: keyof T) => [...items].sort((a, b) => String(a[key]).localeCompare(String(b[key])));
	return {
		caseFile: caseFile.body,
		instances: byKey(instances.body.items, "processInstanceKey").map(({ processInstanceKey, processDefinitionId, state, parentProcessInstanceKey }) => ({
			processInstanceKey,
			processDefinitionId,
			state,
			parentProcessInstanceKey,
		})),
		tasks: byKey(tasks.body.items, "userTaskKey").map(({ userTaskKey, elementId, state, caseNumber: number, assignee }) => ({ userTaskKey, elementId, state, caseNumber: number, assignee })),
	};
}

describe("backup and restore with pg_dump / pg_restore of a running system", () => {
	let cluster: SystemPostgres | undefined;
	let live: Parts | undefined;
	let copy: Parts | undefined;
	const folder = mkdtempSync(path.join(tmpdir(), "mizan-backup-"));
	afterAll(async () => {
		await copy?.stop().catch(() => undefined);
		await live?.stop().catch(() => undefined);
		await cluster?.stop();
		rmSync(folder, { recursive: true, force: true });
	});

	it("should restore a dump taken while the platform runs into a fresh database that serves the same case, instances and tasks and goes on working", async () => {
		cluster = await startSystemPostgres();
		const admin = new pg.Client({ connectionString: cluster.urlFor("postgres") });
		await admin.connect();
		try {
			await admin.query('create database "mizan_live"');
			await admin.query('create database "mizan_copy"');
		} finally {
			await admin.end();
		}

		// A running platform with a real case: report reviewed and approved, case number issued, inquiry started.
		live = await startParts(cluster.urlFor("mizan_live"), true);
		const onLive = client(live.app);
		const reportedAt = new Date().toISOString();
		const started = await onLive.call<{ processInstanceKey: string }>("officer.olaya", "POST", "/v2/process-instances", {
			processDefinitionId: "case-lifecycle",
			variables: {
				unitCode: "RUH-OLY",
				channel: "911",
				reportedAt,
				reporterNationalId: "2000000212",
				reporterPhone: "+966561234567",
				categoryCode: "THEFT",
				offenceCode: "THF-001",
				inFlagrante: true,
				ongoingDanger: false,
				weaponInvolved: false,
				injuries: false,
				juvenileInvolved: false,
				location: { district: "العليا", street: "شارع العليا" },
				statementParties: [{ role: "COMPLAINANT", nationalId: "2000000212" }],
			},
		});
		expect(started.status, JSON.stringify(started.body)).toBe(200);
		await onLive.complete("officer.olaya", "Task_ReviewReport", {
			reportSummary: "مدير المتجر أبلغ عن عميل يغادر بهاتفين لم يدفع ثمنهما",
			categoryCode: "THEFT",
			offenceCode: "THF-001",
			incidentAt: reportedAt,
			locationDescription: "متجر هواتف، شارع العليا",
			inFlagrante: true,
		});
		await onLive.complete("supervisor.olaya", "Task_ApproveReport", { reportApproved: true });
		const scene = await onLive.openTask("officer.olaya", "Task_AttendScene");
		const caseNumber = scene.caseNumber as string;
		expect(caseNumber).toMatch(/^RUH-OLY-\d{4}-\d{6}-\d$/);
		const before = await servedState(onLive, caseNumber);
		expect(before.instances.length).toBeGreaterThanOrEqual(2);
		expect(before.tasks.map((task) => task.state).sort()).toEqual(["COMPLETED", "COMPLETED", "CREATED"]);

		// pg_dump of the running system (one consistent snapshot; the platform keeps serving meanwhile).
		const dump = path.join(folder, "mizan.dump");
		const reads = Promise.all(Array.from({ length: 5 }, () => onLive.call("admin", "POST", "/v2/process-instances/search", {})));
		await run(path.join(cluster.bin, "pg_dump"), ["--format=custom", `--file=${dump}`, `--dbname=${cluster.urlFor("mizan_live")}`]);
		expect((await reads).every((answer) => answer.status === 200)).toBe(true);
		expect(statSync(dump).size).toBeGreaterThan(10_000);
		await live.stop();
		live = undefined;

		await run(path.join(cluster.bin, "pg_restore"), ["--no-owner", "--exit-on-error", `--dbname=${cluster.urlFor("mizan_copy")}`, dump]);
		copy = await startParts(cluster.urlFor("mizan_copy"), false);
		const onCopy = client(copy.app);
		expect(await servedState(onCopy, caseNumber)).toEqual(before);
		const chain = await onCopy.call<{ valid: boolean; entriesChecked: number }>("auditor", "POST", "/v2/audit-logs/verification", {});
		expect(chain.body).toMatchObject({ valid: true });
		expect(chain.body.entriesChecked).toBeGreaterThan(3);

		// The copy goes on with the case: the open task completes and the inquiry's next task appears.
		await onCopy.complete("officer.olaya", "Task_AttendScene", {
			arrivedAt: reportedAt,
			sceneDescription: "ضُبط المشتبه به عند باب المتجر ومعه هاتفان",
			tracesPreserved: true,
		});
		const next = await onCopy.openTask("officer.olaya", "Task_TakeStatements");
		expect(next.caseNumber).toBe(caseNumber);
	}, 300_000);
});
