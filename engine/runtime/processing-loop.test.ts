import pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../scripts/testing/database";
import type { JobBatchActivatedValue } from "../core/commands";
import type { EngineCommand } from "../core/contract";
import { engineCore, type EngineState } from "../core/index";
import { oneTaskProcess } from "../gateway/test-diagrams";
import { EngineStore } from "../store/engine-store";
import { migrateEngineSchema } from "../store/migrate-engine-schema";
import { ProcessingLoop } from "./processing-loop";
import { EngineBackPressureError, EngineUnavailableError } from "./runtime-errors";

const logger = pino({ level: "silent" });
const deployCommand = (processId: string, jobType: string): EngineCommand => ({
	valueType: "DEPLOYMENT",
	intent: "CREATE",
	key: -1,
	value: { resources: [{ resourceName: `${processId}.bpmn`, resource: oneTaskProcess(processId, jobType) }], tenantId: "<default>" },
});
const createCommand = (processId: string): EngineCommand => ({
	valueType: "PROCESS_INSTANCE_CREATION",
	intent: "CREATE",
	key: -1,
	value: { bpmnProcessId: processId, version: -1, processDefinitionKey: -1, variables: {}, startInstructions: [], tenantId: "<default>" },
});
const activateCommand = (type: string, timeout = 1_000): EngineCommand => ({
	valueType: "JOB_BATCH",
	intent: "ACTIVATE",
	key: -1,
	value: { type, worker: "loop-test", timeout, maxJobsToActivate: 10, fetchVariable: [], tenantIds: ["<default>"] },
});
const jobsOf = (record: { value: unknown }) => (record.value as JobBatchActivatedValue).jobs;

describe("processing loop on the real core", () => {
	let db: TestDatabase;
	let store: EngineStore;
	let admin: pg.Client;
	let now = Date.parse("2026-11-28T12:00:00Z");
	const clock = () => now;
	let loop: ProcessingLoop<EngineState>;

	beforeAll(async () => {
		db = await createTestDatabase("engine_loop");
		await migrateEngineSchema(db.url, logger);
		store = await EngineStore.open({ databaseUrl: db.url, logger });
		loop = await ProcessingLoop.start({ core: engineCore, store, logger, clock, snapshotEveryRecords: 50 });
		admin = new pg.Client({ connectionString: db.url });
		await admin.connect();
		await loop.submit(deployCommand("loop", "loop-job"));
	});
	afterAll(async () => {
		await admin.end();
		await loop.stop();
		await store.close();
		await db.drop();
	});

	it("should time an activated job out by the injected clock and hand it out again", async () => {
		await loop.submit(createCommand("loop"));
		const [job] = jobsOf(await loop.submit(activateCommand("loop-job", 1_000)));
		expect(job).toBeDefined();
		expect(jobsOf(await loop.submit(activateCommand("loop-job")))).toEqual([]);
		now += 1_500;
		loop.checkDueWork();
		for (let attempt = 0; attempt < 50; attempt++) {
			const again = jobsOf(await loop.submit(activateCommand("loop-job")));
			if (again.length > 0) {
				expect(again[0]?.key).toBe(job?.key);
				return;
			}
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
		throw new Error("the timed-out job never came back");
	});

	it("should bring a failed job back after its back-off by the injected clock", async () => {
		await loop.submit(deployCommand("backoff", "backoff-job"));
		await loop.submit(createCommand("backoff"));
		const [job] = jobsOf(await loop.submit(activateCommand("backoff-job", 60_000)));
		const failed = await loop.submit({ valueType: "JOB", intent: "FAIL", key: job?.key ?? -1, value: { retries: 2, errorMessage: "busy", retryBackoff: 5_000, variables: {} } });
		expect(failed.intent).toBe("FAILED");
		expect(jobsOf(await loop.submit(activateCommand("backoff-job")))).toEqual([]);
		now += 5_001;
		loop.checkDueWork();
		for (let attempt = 0; attempt < 50; attempt++) {
			const again = jobsOf(await loop.submit(activateCommand("backoff-job", 60_000)));
			if (again.length > 0) {
				expect(again[0]).toMatchObject({ key: job?.key, retries: 2 });
				return;
			}
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
		throw new Error("the job never came back after its back-off");
	});

	it("should answer UNAVAILABLE when the commit fails, rebuild from the store and go on", async () => {
		const before = await store.lastPosition();
		await admin.query("alter table engine_record rename to engine_record_away");
		try {
			await expect(loop.submit(createCommand("loop"))).rejects.toBeInstanceOf(EngineUnavailableError);
		} finally {
			await admin.query("alter table engine_record_away rename to engine_record");
		}
		for (let attempt = 0; loop.status().status !== "UP" && attempt < 100; attempt++) await new Promise((resolve) => setTimeout(resolve, 20));
		const created = await loop.submit(createCommand("loop"));
		expect(created.recordType).toBe("EVENT");
		// The failed command left nothing: the next record follows the last committed one.
		const records = await store.readRecords(before, 1);
		expect(records[0]?.position).toBe(before + 1);
	});

	it("should answer UNAVAILABLE at once while its connections are gone and reconnect by itself", async () => {
		await loop.submit(createCommand("loop"));
		// What a PostgreSQL restart does to the engine: every connection, the writer's too, is terminated.
		await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()");
		await expect(loop.submit(createCommand("loop"))).rejects.toBeInstanceOf(EngineUnavailableError);
		for (let attempt = 0; loop.status().status !== "UP" && attempt < 200; attempt++) await new Promise((resolve) => setTimeout(resolve, 20));
		expect(loop.status().status).toBe("UP");
		const created = await loop.submit(createCommand("loop"));
		expect(created.recordType).toBe("EVENT");
		expect(loop.status().details.position).toBe(await store.lastPosition());
	});

	it("should refuse commands with back-pressure when the queue is full", async () => {
		const tiny = await ProcessingLoop.start({ core: engineCore, store, logger, clock, maxQueuedCommands: 0 });
		try {
			await expect(tiny.submit(createCommand("loop"))).rejects.toBeInstanceOf(EngineBackPressureError);
		} finally {
			await tiny.stop();
		}
	});

	it("should snapshot, and recover the same state from snapshot plus the records after it", async () => {
		for (let index = 0; index < 5; index++) await loop.submit(createCommand("loop"));
		await loop.stop();
		const snapshot = await store.latestSnapshot();
		expect(snapshot?.position).toBe(await store.lastPosition());
		await loop.submit(createCommand("loop")).catch((error) => expect(error).toBeInstanceOf(EngineUnavailableError));
		loop = await ProcessingLoop.start({ core: engineCore, store, logger, clock, snapshotEveryRecords: 50 });
		const jobs = jobsOf(await loop.submit(activateCommand("loop-job", 60_000)));
		expect(jobs.length).toBeGreaterThanOrEqual(6);
		expect(loop.status().details.position).toBe(await store.lastPosition());
	});
});
