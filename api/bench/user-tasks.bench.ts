/**
 * Task list benchmark: `node --import tsx api/bench/user-tasks.bench.ts` (the lead may add it as `npm run bench:api`).
 *
 * Loads BENCH_TASKS (default 100,000) open user tasks over 40 units into PostgreSQL (DATABASE_URL's server, else an
 * embedded PostgreSQL in a temporary folder), then measures through `app.inject()` (routing, auth, JSON schema
 * validation, SQL, serialisation; no network):
 *   1. `POST /v2/user-tasks/search` as an officer, a supervisor and an admin, with one or two variable filters,
 *      a candidate group and sorting on due date: p50/p95/p99 over BENCH_SEARCHES requests (default 300);
 *   2. claims (`POST …/assignment`) per second, each audited in the hash chain;
 *   3. completions through the API against the embedded engine (started as its own process): BENCH_COMPLETIONS
 *      instances (default 300) of a one-user-task diagram, stored by the task worker, completed with 8 requests in
 *      flight; printed are completions per second and p50/p95 latency of `POST …/completion`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import pino from "pino";
import { startEmbeddedPostgres } from "../../scripts/platform/embedded-postgres";
import { buildApp } from "../app";
import { seedDemoUsers } from "../auth/demo-users";
import { runMigrations } from "../db/migrate";
import { apiMigrations } from "../db/migrations";
import { createApiOrm } from "../db/orm";
import { PartRegistry } from "../health/part-registry";
import { startTaskService } from "../tasks/task-service";
import { startEngineProcess } from "../../scripts/testing/engine-process";
import { ZBClient } from "zeebe-node";
import { readFileSync } from "node:fs";

const taskCount = Number(process.env.BENCH_TASKS ?? 100_000);
const searches = Number(process.env.BENCH_SEARCHES ?? 300);
const logger = pino({ level: "warn" });

function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
	let stopDatabase = async () => {};
	let databaseUrl = process.env.DATABASE_URL;
	const dir = mkdtempSync(path.join(tmpdir(), "mizan-bench-api-"));
	if (!databaseUrl) {
		const cluster = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: 0, logger });
		stopDatabase = () => cluster.stop();
		databaseUrl = cluster.adminUrl;
	}
	const admin = new pg.Client({ connectionString: databaseUrl });
	await admin.connect();
	const name = `bench_api_${Date.now()}`;
	await admin.query(`create database ${name}`);
	const url = new URL(databaseUrl);
	url.pathname = `/${name}`;
	const benchUrl = url.toString();
	try {
		await runMigrations({ databaseUrl: benchUrl, tableName: "api_migrations", migrations: apiMigrations, logger });
		const orm = await createApiOrm({ databaseUrl: benchUrl });
		await seedDemoUsers(orm, logger);
		const loadStart = performance.now();
		// Units RUH-OLY and RUH-MLZ are among the 40, so the demo officers see about 1/40 of the tasks each.
		await orm.em.fork().execute(
			`insert into user_task (key, tenant_id, state, name, element_id, element_instance_key, process_definition_id,
				process_definition_key, process_definition_version, process_instance_key, case_number, assignee, candidate_groups,
				units, due_date, priority, creation_date, variables)
			select (2251799813685248 + i * 3)::text, 'public-security', 'CREATED', 'Review report', 'review-report', (2251799813685248 + i * 3 + 1)::text,
				'report-intake', '2251799813600000', 1, (2251799813685248 + i * 3 + 2)::text,
				'RUH-' || u.unit || '-1447-' || lpad(i::text, 6, '0') || '-0',
				case when i % 400 = 0 then 'officer.olaya' end,
				array['investigation-officer:RUH-' || u.unit], array['RUH-' || u.unit],
				now() + (i % 500) * interval '1 hour', (i % 100), now() - i * interval '1 second',
				jsonb_build_object('district', 'D' || (i % 25), 'severity', i % 5, 'caseNumber', 'RUH-' || u.unit || '-1447-' || lpad(i::text, 6, '0') || '-0')
			from generate_series(1, ?) as i,
				lateral (select case when i % 40 = 0 then 'OLY' when i % 40 = 1 then 'MLZ' else 'U' || (i % 40)::text end as unit) as u`,
			[taskCount],
		);
		await orm.em.fork().execute("vacuum analyze user_task");
		console.log(`loaded ${taskCount} open tasks in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`);

		const app = await buildApp({
			logger,
			parts: new PartRegistry(),
			api: { orm, mode: "demo", auth: { loginRateLimit: { max: 1000, timeWindowMs: 60_000 } } },
		});
		const tokens: Record<string, string> = {};
		for (const username of ["officer.olaya", "supervisor.olaya", "admin"]) {
			const login = await app.inject({
				method: "POST",
				url: "/v2/auth/login",
				payload: { username, password: "mizan-demo-2026" },
			});
			tokens[username] = `Bearer ${login.json().token}`;
		}
		const bodies = [
			{
				filter: { state: "CREATED", variables: [{ name: "district", value: '"D7"' }] },
				sort: [{ field: "dueDate" }],
				page: { limit: 50 },
			},
			{
				filter: {
					state: "CREATED",
					variables: [
						{ name: "district", value: '"D3"' },
						{ name: "severity", value: "2" },
					],
				},
				page: { limit: 50 },
			},
			{
				filter: { state: "CREATED", candidateGroup: "investigation-officer:RUH-OLY" },
				sort: [{ field: "priority", order: "DESC" }],
				page: { limit: 50 },
			},
			{ filter: { state: "CREATED" }, sort: [{ field: "dueDate" }], page: { limit: 50 } },
		];
		for (const username of Object.keys(tokens)) {
			const latencies: number[] = [];
			let total = 0;
			for (let i = 0; i < searches; i++) {
				const started = performance.now();
				const response = await app.inject({
					method: "POST",
					url: "/v2/user-tasks/search",
					headers: { authorization: tokens[username]! },
					payload: bodies[i % bodies.length],
				});
				latencies.push(performance.now() - started);
				if (response.statusCode !== 200) throw new Error(`search failed: ${response.body}`);
				total += response.json().page.totalItems;
			}
			latencies.sort((a, b) => a - b);
			console.log(
				`search as ${username.padEnd(17)} p50 ${percentile(latencies, 50).toFixed(1)} ms  p95 ${percentile(latencies, 95).toFixed(1)} ms  p99 ${percentile(latencies, 99).toFixed(1)} ms  (avg ${Math.round(total / searches)} matches)`,
			);
		}
		const keys = (
			await orm.em
				.fork()
				.execute<Array<{ key: string }>>(
					"select key from user_task where units @> '{RUH-OLY}' and assignee is null limit 300",
				)
		).map((row) => row.key);
		const claimStart = performance.now();
		for (const key of keys) {
			const response = await app.inject({
				method: "POST",
				url: `/v2/user-tasks/${key}/assignment`,
				headers: { authorization: tokens["officer.olaya"]! },
				payload: { assignee: "officer.olaya" },
			});
			if (response.statusCode !== 204) throw new Error(`claim failed: ${response.body}`);
		}
		console.log(
			`claims: ${(keys.length / ((performance.now() - claimStart) / 1000)).toFixed(0)} per second (sequential, each audited)`,
		);
		await app.close();
		await completionBench(benchUrl, orm);
		await orm.close(true);
	} finally {
		await admin.query(`drop database if exists ${name} with (force)`);
		await admin.end();
		await stopDatabase();
		rmSync(dir, { recursive: true, force: true });
	}
}

async function completionBench(databaseUrl: string, orm: Awaited<ReturnType<typeof createApiOrm>>): Promise<void> {
	const count = Number(process.env.BENCH_COMPLETIONS ?? 300);
	const engine = await startEngineProcess(databaseUrl);
	const zbc = new ZBClient(engine.gatewayAddress, { useTLS: false, loglevel: "NONE" });
	const tasks = startTaskService({ zbc, orm, logger });
	const app = await buildApp({
		logger,
		parts: new PartRegistry(),
		api: {
			orm,
			mode: "demo",
			auth: { loginRateLimit: { max: 1000, timeWindowMs: 60_000 } },
			tasks: { zbc, events: tasks.events },
		},
	});
	try {
		// Its own process id, so the loaded search tasks stay out of this phase.
		const xml = readFileSync(new URL("../tasks/fixtures/report-review.bpmn", import.meta.url), "utf8").replaceAll(
			"report-review",
			"bench-review",
		);
		await zbc.deployResource({ name: "bench-review.bpmn", process: Buffer.from(xml) });
		const login = await app.inject({
			method: "POST",
			url: "/v2/auth/login",
			payload: { username: "officer.olaya", password: "mizan-demo-2026" },
		});
		const authorization = `Bearer ${login.json().token}`;
		const instances: string[] = [];
		for (let i = 0; i < count; i++) {
			instances.push(
				String(
					(await zbc.createProcessInstance({ bpmnProcessId: "bench-review", variables: { caseNumber: `BENCH-${i}` } }))
						.processInstanceKey,
				),
			);
		}
		const deadline = Date.now() + 120_000;
		let keys: string[] = [];
		while (Date.now() < deadline) {
			keys = (
				await orm.em
					.fork()
					.execute<Array<{ key: string }>>(
						"select key from user_task where process_definition_id = 'bench-review' and state = 'CREATED'",
					)
			).map((row) => row.key);
			if (keys.length >= count) break;
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
		const latencies: number[] = [];
		const started = performance.now();
		let next = 0;
		const lane = async () => {
			while (next < keys.length) {
				const key = keys[next++]!;
				const begin = performance.now();
				const response = await app.inject({
					method: "POST",
					url: `/v2/user-tasks/${key}/completion`,
					headers: { authorization },
					payload: { variables: { reviewed: true } },
				});
				latencies.push(performance.now() - begin);
				if (response.statusCode !== 204) throw new Error(`completion failed: ${response.body}`);
			}
		};
		await Promise.all(Array.from({ length: 8 }, lane));
		const seconds = (performance.now() - started) / 1000;
		latencies.sort((a, b) => a - b);
		console.log(
			`completions: ${(keys.length / seconds).toFixed(0)} per second (8 in flight, ${keys.length} tasks; each audited and acknowledged by the engine)  p50 ${percentile(latencies, 50).toFixed(1)} ms  p95 ${percentile(latencies, 95).toFixed(1)} ms`,
		);
	} finally {
		await app.close();
		await tasks.close();
		await zbc.close();
		await engine.stop();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
