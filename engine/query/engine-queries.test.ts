import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../scripts/testing/database";
import type { EngineRecord } from "../core/contract";
import { EngineStore } from "../store/engine-store";
import { migrateEngineSchema } from "../store/migrate-engine-schema";
import { EngineQueries } from "./engine-queries";

// The records a core writes for two instances of a one-task process; the queries must read what the
// store projected from them, in the same transaction.
const DEF = 2251799813685250;
const PI1 = 2251799813685300;
const PI2 = 2251799813685400;
let position = 0;
const at = Date.parse("2026-11-28T10:00:00.000Z");
function event(valueType: string, intent: string, key: number, value: Record<string, unknown>, timestamp = at): EngineRecord {
	position += 1;
	return { position, sourceRecordPosition: -1, key, recordType: "EVENT", valueType: valueType as EngineRecord["valueType"], intent, value, timestamp };
}
const base = (pi: number) => ({ bpmnProcessId: "case", version: 1, processDefinitionKey: DEF, processInstanceKey: pi, tenantId: "<default>" });
const element = (pi: number, intent: string, key: number, elementId: string, type: string, timestamp = at) =>
	event("PROCESS_INSTANCE", intent, key, { ...base(pi), elementId, bpmnElementType: type, flowScopeKey: type === "PROCESS" ? -1 : pi, parentProcessInstanceKey: -1, parentElementInstanceKey: -1 }, timestamp);

describe("engine queries", () => {
	let db: TestDatabase;
	let store: EngineStore;
	let queries: EngineQueries;
	beforeAll(async () => {
		db = await createTestDatabase("engine_query");
		const logger = pino({ level: "silent" });
		await migrateEngineSchema(db.url, logger);
		store = await EngineStore.open({ databaseUrl: db.url, logger });
		queries = new EngineQueries(store.knex);
		await store.appendBatch([
			event("PROCESS", "CREATED", DEF, { ...base(-1), resourceName: "case.bpmn", resource: "<xml v1/>" }),
			element(PI1, "ELEMENT_ACTIVATING", PI1, "case", "PROCESS"),
			event("VARIABLE", "CREATED", PI1 + 1, { ...base(PI1), name: "caseNo", value: '"C-1"', scopeKey: PI1 }),
			event("VARIABLE", "CREATED", PI1 + 5, { ...base(PI1), name: "unit", value: '"RUH-OLY"', scopeKey: PI1 }),
			element(PI1, "ELEMENT_ACTIVATING", PI1 + 2, "review", "SERVICE_TASK"),
			element(PI2, "ELEMENT_ACTIVATING", PI2, "case", "PROCESS", at + 60_000),
			event("VARIABLE", "CREATED", PI2 + 1, { ...base(PI2), name: "caseNo", value: '"C-2"', scopeKey: PI2 }),
			event("VARIABLE", "CREATED", PI2 + 5, { ...base(PI2), name: "unit", value: '"RUH-OLY"', scopeKey: PI2 + 2 }),
			element(PI2, "ELEMENT_ACTIVATING", PI2 + 2, "review", "SERVICE_TASK"),
			event("INCIDENT", "CREATED", PI2 + 3, { ...base(PI2), errorType: "JOB_NO_RETRIES", errorMessage: "boom", elementId: "review", elementInstanceKey: PI2 + 2, jobKey: -1, variableScopeKey: PI2 + 2 }),
		]);
		await store.appendBatch([
			element(PI1, "ELEMENT_COMPLETED", PI1 + 2, "review", "SERVICE_TASK"),
			element(PI1, "ELEMENT_COMPLETED", PI1, "case", "PROCESS", at + 5_000),
		]);
	});
	afterAll(async () => {
		await store.close();
		await db.drop();
	});

	it("should list definitions and return one with its XML", async () => {
		expect(await queries.listDefinitions()).toEqual([
			{ key: String(DEF), bpmnProcessId: "case", version: 1, resourceName: "case.bpmn", tenantId: "<default>", deploymentKey: null, deployedAt: "2026-11-28T10:00:00.000Z" },
		]);
		expect((await queries.getDefinition(String(DEF)))?.xml).toBe("<xml v1/>");
		expect((await queries.latestDefinition("case"))?.version).toBe(1);
		expect(await queries.getDefinition("1")).toBeNull();
	});

	it("should stop listing a deleted definition version but still return it by key, marked deleted", async () => {
		const v2 = DEF + 10_000;
		const v3 = DEF + 10_001;
		const deleted = (key: number, version: number) =>
			event("PROCESS", "DELETED", key + 1, { ...base(-1), processDefinitionKey: key, version, resourceName: "case.bpmn", deploymentKey: key - 1 }, at + 120_000);
		await store.appendBatch([event("PROCESS", "CREATED", v2, { ...base(-1), processDefinitionKey: v2, version: 2, resourceName: "case.bpmn", resource: "<xml v2/>" })]);
		expect((await queries.latestDefinition("case"))?.version).toBe(2);
		// Deleted in a later batch, and a version created and deleted in one batch.
		await store.appendBatch([
			deleted(v2, 2),
			event("PROCESS", "CREATED", v3, { ...base(-1), processDefinitionKey: v3, version: 3, resourceName: "case.bpmn", resource: "<xml v3/>" }),
			deleted(v3, 3),
		]);
		expect((await queries.listDefinitions({ bpmnProcessId: "case" })).map((definition) => definition.version)).toEqual([1]);
		expect(await queries.latestDefinition("case")).toMatchObject({ version: 1, deletedAt: null });
		expect(await queries.getDefinition(String(v2))).toMatchObject({ version: 2, xml: "<xml v2/>", deletedAt: "2026-11-28T10:02:00.000Z" });
		expect(await queries.getDefinition(String(v3))).toMatchObject({ version: 3, xml: "<xml v3/>", deletedAt: "2026-11-28T10:02:00.000Z" });
	});

	it("should search instances by state, incident flag and variable, with paging", async () => {
		const all = await queries.searchInstances();
		expect(all.total).toBe(2);
		expect(all.items.map((item) => [item.key, item.state, item.hasIncident])).toEqual([
			[String(PI2), "ACTIVE", true],
			[String(PI1), "COMPLETED", false],
		]);
		expect(all.items[1]?.endTime).toBe("2026-11-28T10:00:05.000Z");
		expect((await queries.searchInstances({ state: "COMPLETED" })).items.map((item) => item.key)).toEqual([String(PI1)]);
		expect((await queries.searchInstances({ hasIncident: true })).items.map((item) => item.key)).toEqual([String(PI2)]);
		expect((await queries.searchInstances({ variable: { name: "caseNo", value: "C-1" } })).items.map((item) => item.key)).toEqual([String(PI1)]);
		const both = (caseNo: string) => queries.searchInstances({ variables: [{ name: "unit", value: "RUH-OLY" }, { name: "caseNo", value: caseNo }] });
		expect((await queries.searchInstances({ variables: [{ name: "unit", value: "RUH-OLY" }] })).total).toBe(2);
		expect((await both("C-2")).items.map((item) => item.key)).toEqual([String(PI2)]);
		expect((await both("C-3")).items).toEqual([]);
		expect((await queries.searchInstances({ variable: { name: "caseNo", value: "C-1" }, variables: [{ name: "unit", value: "RUH-MLZ" }] })).total).toBe(0);
		expect((await queries.searchInstances({ startedAfter: "2026-11-28T10:00:30Z" })).items.map((item) => item.key)).toEqual([String(PI2)]);
		const second = await queries.searchInstances({}, { from: 1, limit: 1 });
		expect(second).toMatchObject({ total: 2, items: [{ key: String(PI1) }] });
	});

	it("should give variables, element instances and incidents of an instance", async () => {
		expect(await queries.rootVariableOf([String(PI1), String(PI2), "1"], "caseNo")).toEqual(
			new Map([
				[String(PI1), "C-1"],
				[String(PI2), "C-2"],
			]),
		);
		// `unit` of PI2 lives in the task's scope, not the root.
		expect([...(await queries.rootVariableOf([String(PI1), String(PI2)], "unit")).keys()]).toEqual([String(PI1)]);
		expect(await queries.rootVariableOf([], "caseNo")).toEqual(new Map());
		expect(await queries.instanceVariables(String(PI2))).toEqual([
			{ name: "caseNo", value: "C-2", scopeKey: String(PI2), processInstanceKey: String(PI2) },
			{ name: "unit", value: "RUH-OLY", scopeKey: String(PI2 + 2), processInstanceKey: String(PI2) },
		]);
		expect((await queries.elementInstances(String(PI1))).map((row) => [row.elementId, row.state])).toEqual([
			["case", "COMPLETED"],
			["review", "COMPLETED"],
		]);
		const incidents = await queries.searchIncidents({ processInstanceKey: String(PI2), state: "ACTIVE" });
		expect(incidents.items).toMatchObject([{ errorType: "JOB_NO_RETRIES", errorMessage: "boom", elementId: "review", jobKey: null }]);
	});

	it("should read instance lifecycle changes and incidents from the log after a position, and read on from nextPosition", async () => {
		const all = await queries.instanceChanges(0);
		expect(all.changes.map((change) => [change.type, change.processInstanceKey, change.incidentKey])).toEqual([
			["created", String(PI1), null],
			["created", String(PI2), null],
			["incidentCreated", String(PI2), String(PI2 + 3)],
			["completed", String(PI1), null],
		]);
		expect(all.changes[0]).toMatchObject({ bpmnProcessId: "case", processDefinitionKey: String(DEF), tenantId: "<default>" });
		expect(all.nextPosition).toBe(await queries.latestPosition());
		const paged = await queries.instanceChanges(0, 2);
		expect(paged.changes).toHaveLength(2);
		const rest = await queries.instanceChanges(paged.nextPosition, 10);
		expect(rest.changes.map((change) => change.type)).toEqual(["incidentCreated", "completed"]);
		expect(await queries.instanceChanges(all.nextPosition)).toEqual({ changes: [], nextPosition: all.nextPosition });
	});

	it("should count element instances and open incidents per element of a definition", async () => {
		expect(await queries.elementStatistics(String(DEF))).toEqual([{ elementId: "review", active: 1, completed: 1, terminated: 0, incidents: 1 }]);
	});
});
