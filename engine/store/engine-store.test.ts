import { Migration } from "@mikro-orm/migrations";
import pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../scripts/testing/database";
import type { EngineRecord } from "../core/contract";
import { EngineStore } from "./engine-store";
import { EngineMigrationError, migrateEngineSchema } from "./migrate-engine-schema";

const logger = pino({ level: "silent" });
const PI = 2251799813685260;
const base = { bpmnProcessId: "order", version: 1, processDefinitionKey: 2251799813685250, processInstanceKey: PI, tenantId: "<default>" };
let position = 0;
function event(valueType: string, intent: string, key: number, value: Record<string, unknown>, timestamp = 1_700_000_000_000): EngineRecord {
	position += 1;
	return { position, sourceRecordPosition: -1, key, recordType: "EVENT", valueType: valueType as EngineRecord["valueType"], intent, value, timestamp };
}
const element = (intent: string, key: number, elementId: string, bpmnElementType: string, flowScopeKey: number) =>
	event("PROCESS_INSTANCE", intent, key, { ...base, elementId, bpmnElementType, flowScopeKey, parentProcessInstanceKey: -1, parentElementInstanceKey: -1 });

class Broken extends Migration {
	override async up() {
		this.addSql("alter table no_such_table add column x int");
	}
}

describe("engine store", () => {
	let db: TestDatabase;
	let store: EngineStore;
	let client: pg.Client;
	beforeAll(async () => {
		db = await createTestDatabase("engine_store");
		await migrateEngineSchema(db.url, logger);
		store = await EngineStore.open({ databaseUrl: db.url, logger });
		client = new pg.Client({ connectionString: db.url });
		await client.connect();
	});
	afterAll(async () => {
		await client.end();
		await store.close();
		await db.drop();
	});

	it("should apply the engine migrations once and record them in engine_migrations", async () => {
		expect(await migrateEngineSchema(db.url, logger)).toEqual([]);
		const rows = await client.query("select name from engine_migrations order by name");
		expect(rows.rows.map((row) => row.name)).toEqual(["Migration20261128Engine", "Migration20261202DefinitionDeleted"]);
	});

	it("should name the failing migration and the database's error", async () => {
		const run = migrateEngineSchema(db.url, logger, [{ name: "Migration99Broken", class: Broken }], "engine_migrations_broken");
		await expect(run).rejects.toBeInstanceOf(EngineMigrationError);
		await expect(run).rejects.toThrow(/Migration99Broken failed: .*relation "no_such_table" does not exist/);
	});

	it("should append records and project definitions, instances, elements, variables, jobs and incidents in one batch", async () => {
		const xml = "<definitions/>";
		await store.appendBatch([
			{ ...event("DEPLOYMENT", "CREATE", -1, { resources: [{ resourceName: "order.bpmn", resource: new TextEncoder().encode(xml) }], prepared: { big: true } }), recordType: "COMMAND" },
			event("PROCESS", "CREATED", base.processDefinitionKey, { ...base, resourceName: "order.bpmn", resource: new TextEncoder().encode(xml) }),
			element("ELEMENT_ACTIVATING", PI, "order", "PROCESS", -1),
			element("ELEMENT_ACTIVATED", PI, "order", "PROCESS", -1),
			event("VARIABLE", "CREATED", PI + 1, { ...base, name: "amount", value: "12", scopeKey: PI }),
			element("ELEMENT_ACTIVATING", PI + 2, "start", "START_EVENT", PI),
			element("ELEMENT_COMPLETED", PI + 2, "start", "START_EVENT", PI),
			element("ELEMENT_ACTIVATING", PI + 3, "pay", "SERVICE_TASK", PI),
			event("JOB", "CREATED", PI + 4, { ...base, type: "pay", retries: 3, elementId: "pay", elementInstanceKey: PI + 3, customHeaders: { a: "1" } }),
			element("ELEMENT_ACTIVATED", PI + 3, "pay", "SERVICE_TASK", PI),
		]);
		await store.appendBatch([
			event("JOB_BATCH", "ACTIVATED", PI + 5, { type: "pay", jobKeys: [PI + 4], jobs: [{ key: PI + 4, worker: "w1", deadline: 1_700_000_060_000, retries: 3 }] }),
			event("JOB", "FAILED", PI + 4, { ...base, retries: 0, retryBackoff: 0, errorMessage: "card declined" }),
			event("INCIDENT", "CREATED", PI + 6, { ...base, errorType: "JOB_NO_RETRIES", errorMessage: "card declined", elementId: "pay", elementInstanceKey: PI + 3, jobKey: PI + 4, variableScopeKey: PI + 3 }),
			event("VARIABLE", "UPDATED", PI + 1, { ...base, name: "amount", value: "13", scopeKey: PI }),
		]);
		const definitions = await client.query("select key::text, bpmn_process_id, version, xml from engine_process_definition");
		expect(definitions.rows).toEqual([{ key: String(base.processDefinitionKey), bpmn_process_id: "order", version: 1, xml }]);
		const elements = await client.query("select element_id, state, end_time is not null as ended from engine_element_instance order by key");
		expect(elements.rows).toEqual([
			{ element_id: "order", state: "ACTIVE", ended: false },
			{ element_id: "start", state: "COMPLETED", ended: true },
			{ element_id: "pay", state: "ACTIVE", ended: false },
		]);
		const instance = await client.query("select state, parent_process_instance_key::int from engine_process_instance");
		expect(instance.rows).toEqual([{ state: "ACTIVE", parent_process_instance_key: -1 }]);
		const variables = await client.query("select name, value from engine_variable");
		expect(variables.rows).toEqual([{ name: "amount", value: "13" }]);
		const jobs = await client.query("select type, state, worker, retries, error_message, custom_headers from engine_job");
		expect(jobs.rows).toEqual([{ type: "pay", state: "FAILED", worker: "w1", retries: 0, error_message: "card declined", custom_headers: { a: "1" } }]);
		const incidents = await client.query("select state, error_type from engine_incident");
		expect(incidents.rows).toEqual([{ state: "ACTIVE", error_type: "JOB_NO_RETRIES" }]);

		await store.appendBatch([
			event("JOB", "RETRIES_UPDATED", PI + 4, { ...base, retries: 2 }),
			event("INCIDENT", "RESOLVED", PI + 6, { ...base, jobKey: PI + 4 }),
		]);
		const resolved = await client.query("select j.state, j.retries, i.state as incident from engine_job j, engine_incident i");
		expect(resolved.rows).toEqual([{ state: "ACTIVATABLE", retries: 2, incident: "RESOLVED" }]);
	});

	it("should read records back in order with numbers for keys and positions, without the parsed model", async () => {
		const records = await store.readRecords(0, 2);
		expect(records.map((record) => record.position)).toEqual([1, 2]);
		expect(records[0]?.value).toEqual({ resources: [{ resourceName: "order.bpmn", resource: "<definitions/>" }] });
		expect(records[1]?.key).toBe(base.processDefinitionKey);
		expect(records[1]?.rejectionType).toBeUndefined();
		expect(await store.lastPosition()).toBe(position);
	});

	it("should roll the whole batch back when one statement fails", async () => {
		const before = await store.lastPosition();
		const duplicate = { ...event("JOB", "COMPLETED", PI + 4, {}), position: 1 };
		await expect(store.appendBatch([event("JOB", "COMPLETED", PI + 4, {}), duplicate])).rejects.toThrow(/duplicate key/);
		expect(await store.lastPosition()).toBe(before);
		const job = await client.query("select state from engine_job");
		expect(job.rows[0]?.state).toBe("ACTIVATABLE");
	});

	it("should keep the newest snapshots and return the latest", async () => {
		expect(await store.latestSnapshot()).toBeNull();
		// Compaction at snapshot time is the `since-previous-snapshot` policy; the default one is in retention.test.ts.
		const compacting = await EngineStore.open({ databaseUrl: db.url, logger, retention: { records: "since-previous-snapshot" } });
		await compacting.saveSnapshot(5, { a: 1 });
		await compacting.saveSnapshot(9, { a: 2 });
		await compacting.saveSnapshot(12, { a: 3 });
		await compacting.close();
		expect(await store.latestSnapshot()).toEqual({ position: 12, state: { a: 3 } });
		const count = await client.query("select count(*)::int as n from engine_snapshot");
		expect(count.rows[0]?.n).toBe(2);
		// Records up to the older kept snapshot are not needed by either snapshot: the log drops them.
		const oldest = await client.query("select min(position)::int as p from engine_record");
		expect(oldest.rows[0]?.p).toBe(10);
	});
});
