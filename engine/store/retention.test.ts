import pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZBClient } from "zeebe-node";
import { createTestDatabase, type TestDatabase } from "../../scripts/testing/database";
import { engineCore } from "../core/index";
import { oneTaskProcess } from "../gateway/test-diagrams";
import { hostEngine, type RunningEngine } from "../runtime/engine-host";
import { EngineStore } from "./engine-store";

const DAY = 86_400_000;
const logger = pino({ level: "silent" });

async function eventually<T>(probe: () => Promise<T | false>, what: string, timeoutMs = 15_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== false) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

describe("record retention on real PostgreSQL", () => {
	let db: TestDatabase;
	let client: pg.Client;
	let engine: RunningEngine;
	let zb: ZBClient;
	let now = Date.UTC(2026, 0, 1);
	let finished = "";
	let running = "";
	let nudges = 0;

	const start = () =>
		hostEngine(engineCore, {
			databaseUrl: db.url,
			gatewayPort: 0,
			managementPort: 0,
			logger,
			clock: () => now,
			retention: { records: "instances", recordDays: 30, completedInstanceDays: 365 },
			// A snapshot after every batch and retention after every snapshot, so each nudge applies the policy.
			loop: { snapshotEveryRecords: 1, retentionIntervalMs: 0 },
		});
	const count = async (sql: string, values: unknown[] = []) => Number((await client.query(sql, values)).rows[0].count);
	const recordsOf = (instanceKey: string) => count("select count(*) from engine_record where value->>'processInstanceKey' = $1", [instanceKey]);
	/** A command with no instance: its batch makes a snapshot, which applies the policy as of `now`. */
	const nudge = () => zb.publishMessage({ name: "nudge", correlationKey: `n-${nudges++}`, timeToLive: 0, variables: {} });
	const metric = async (name: string) => {
		const text = await (await fetch(`http://127.0.0.1:${engine.managementPort}/actuator/prometheus`)).text();
		return Number(text.match(new RegExp(`^${name} (\\d+)$`, "m"))?.[1] ?? Number.NaN);
	};

	beforeAll(async () => {
		db = await createTestDatabase("engine_retention");
		engine = await start();
		zb = new ZBClient(engine.gatewayAddress, { useTLS: false, loglevel: "NONE" });
		client = new pg.Client({ connectionString: db.url });
		await client.connect();
		await zb.deployResource({ process: Buffer.from(oneTaskProcess("retained", "retained-job")), name: "retained.bpmn" });
		finished = (await zb.createProcessInstance({ bpmnProcessId: "retained", variables: { caseNumber: "RUH-OLY-1447-000001-1" } })).processInstanceKey;
		const [job] = await zb.activateJobs({ type: "retained-job", worker: "w", maxJobsToActivate: 1, timeout: 60_000, requestTimeout: 5_000 });
		if (!job) throw new Error("no job to complete");
		await zb.completeJob({ jobKey: job.key, variables: { done: true } });
		running = (await zb.createProcessInstance({ bpmnProcessId: "retained", variables: { caseNumber: "RUH-OLY-1447-000002-1" } })).processInstanceKey;
		await eventually(async () => (await engine.queries.getInstance(finished))?.state === "COMPLETED" || false, "the first instance to complete");
	});
	afterAll(async () => {
		await zb?.close();
		await engine?.stop();
		await client?.end();
		await db?.drop();
	});

	it("should keep every record of an ended instance within its retention days and drop records of no instance", async () => {
		const before = await recordsOf(finished);
		expect(before).toBeGreaterThan(5);
		await nudge();
		await nudge();
		// deployment and message records name no instance: gone once two snapshots are past them
		await eventually(async () => (await count("select count(*) from engine_record where value_type = 'DEPLOYMENT'")) === 0 || false, "deployment records to go");
		expect(await recordsOf(finished)).toBe(before);
		expect(await recordsOf(running)).toBeGreaterThan(0);
		expect(await count("select count(*) from engine_snapshot")).toBe(2);
	});

	it("should delete an ended instance's records after recordDays but keep it in the query side and keep running instances whole", async () => {
		const runningRecords = await recordsOf(running);
		now += 31 * DAY;
		await nudge();
		await nudge();
		await eventually(async () => (await recordsOf(finished)) === 0 || false, "the ended instance's records to go");
		expect(await recordsOf(running)).toBe(runningRecords);
		expect(await engine.queries.getInstance(finished)).toMatchObject({ state: "COMPLETED" });
		expect(await metric("mizan_engine_retention_deleted_records_total")).toBeGreaterThan(0);
	});

	it("should delete an ended instance from the query side after completedInstanceDays, and nothing of a running one", async () => {
		expect(await count("select count(*) from engine_variable where process_instance_key = $1", [finished])).toBeGreaterThan(0);
		now += 335 * DAY;
		await nudge();
		await nudge();
		await eventually(async () => (await engine.queries.getInstance(finished)) === null || false, "the ended instance to leave the query side");
		for (const table of ["engine_element_instance", "engine_variable", "engine_job"]) {
			expect(await count(`select count(*) from ${table} where process_instance_key = $1`, [finished]), table).toBe(0);
			expect(await count(`select count(*) from ${table} where process_instance_key = $1`, [running]), table).toBeGreaterThan(0);
		}
		expect(await engine.queries.getInstance(running)).toMatchObject({ state: "ACTIVE" });
		expect(await metric("mizan_engine_retention_deleted_instances_total")).toBe(1);
	});

	it("should recover after retention: the running instance's job is still there and completes after a restart", async () => {
		await zb.close();
		await engine.stop();
		engine = await start();
		zb = new ZBClient(engine.gatewayAddress, { useTLS: false, loglevel: "NONE" });
		const [job] = await zb.activateJobs({ type: "retained-job", worker: "w", maxJobsToActivate: 1, timeout: 60_000, requestTimeout: 5_000 });
		expect(job?.processInstanceKey).toBe(running);
		await zb.completeJob({ jobKey: job?.key ?? "", variables: {} });
		await eventually(async () => (await engine.queries.getInstance(running))?.state === "COMPLETED" || false, "the running instance to complete");
	});

	it("should keep every record under policy all, whatever the clock says", async () => {
		const store = await EngineStore.open({ databaseUrl: db.url, logger, retention: { records: "all", completedInstanceDays: null } });
		try {
			const records = await count("select count(*) from engine_record");
			expect(await store.applyRetention(now + 10_000 * DAY)).toEqual({ records: 0, instances: 0 });
			expect(await count("select count(*) from engine_record")).toBe(records);
		} finally {
			await store.close();
		}
	});
});
