import { type Knex, MikroORM, PostgreSqlDriver } from "@mikro-orm/postgresql";
import type pg from "pg";
import type { Logger } from "pino";
import type { EngineRecord } from "../core/contract";
import { type ProjectionRows, projectionRows, resourceText } from "./projection-rows";

/** A state snapshot as stored: the position of the last record it contains, and the core's JSON. */
export interface StoredSnapshot {
	position: number;
	state: unknown;
}

/*
 * The hot path's statements. Each takes the batch as ONE JSON text parameter, which V8 serialises
 * natively and PostgreSQL expands with json_to_recordset: far cheaper than binding thousands of
 * parameters or array literals, and prepared once per connection (named statements).
 */
const insertRecords = `insert into engine_record
	(position, source_position, key, record_type, value_type, intent, value, timestamp, rejection_type, rejection_reason)
	select position, "sourceRecordPosition", key, "recordType", "valueType", intent, value, timestamp, "rejectionType", "rejectionReason"
	from json_to_recordset($1::json) as r(position bigint, "sourceRecordPosition" bigint, key bigint, "recordType" text,
		"valueType" text, intent text, value json, timestamp bigint, "rejectionType" text, "rejectionReason" text)`;

const ts = (column: string) => `to_timestamp(${column} / 1000.0)`;

// A PROCESS DELETED row only sets deleted_at on the definition's existing row.
const insertDefinitions = `insert into engine_process_definition as t
	(key, bpmn_process_id, version, resource_name, xml, deployment_key, tenant_id, deployed_at, deleted_at)
	select key, "bpmnProcessId", version, "resourceName", xml, "deploymentKey", "tenantId", ${ts('"deployedAt"')}, ${ts('"deletedAt"')}
	from json_to_recordset($1::json) as r(key bigint, "bpmnProcessId" text, version int, "resourceName" text, xml text,
		"deploymentKey" bigint, "tenantId" text, "deployedAt" bigint, "deletedAt" bigint)
	on conflict (key) do update set deleted_at = coalesce(excluded.deleted_at, t.deleted_at)`;

const upsertInstances = `insert into engine_process_instance as t
	(key, process_definition_key, bpmn_process_id, version, state, start_time, end_time, parent_process_instance_key,
	 parent_element_instance_key, tenant_id)
	select key, "processDefinitionKey", "bpmnProcessId", version, state, ${ts('"startTime"')}, ${ts('"endTime"')},
		"parentProcessInstanceKey", "parentElementInstanceKey", "tenantId"
	from json_to_recordset($1::json) as r(key bigint, "processDefinitionKey" bigint, "bpmnProcessId" text, version int, state text,
		"startTime" bigint, "endTime" bigint, "parentProcessInstanceKey" bigint, "parentElementInstanceKey" bigint, "tenantId" text)
	on conflict (key) do update set state = coalesce(excluded.state, t.state), end_time = coalesce(excluded.end_time, t.end_time)`;

const upsertElements = `insert into engine_element_instance as t
	(key, process_instance_key, process_definition_key, element_id, element_type, flow_scope_key, state, start_time, end_time)
	select key, "processInstanceKey", "processDefinitionKey", "elementId", "elementType", "flowScopeKey", state,
		${ts('"startTime"')}, ${ts('"endTime"')}
	from json_to_recordset($1::json) as r(key bigint, "processInstanceKey" bigint, "processDefinitionKey" bigint, "elementId" text,
		"elementType" text, "flowScopeKey" bigint, state text, "startTime" bigint, "endTime" bigint)
	on conflict (key) do update set state = coalesce(excluded.state, t.state), end_time = coalesce(excluded.end_time, t.end_time)`;

const upsertVariables = `insert into engine_variable as t
	(scope_key, name, key, value, process_instance_key, process_definition_key, updated_at)
	select "scopeKey", name, key, value, "processInstanceKey", "processDefinitionKey", ${ts('"updatedAt"')}
	from json_to_recordset($1::json) as r("scopeKey" bigint, name text, key bigint, value text, "processInstanceKey" bigint,
		"processDefinitionKey" bigint, "updatedAt" bigint)
	on conflict (scope_key, name) do update set value = excluded.value, key = excluded.key, updated_at = excluded.updated_at`;

const upsertJobs = `insert into engine_job as t
	(key, type, state, worker, retries, deadline, error_message, custom_headers, process_instance_key, process_definition_key,
	 bpmn_process_id, element_id, element_instance_key, created_at, updated_at)
	select key, type, state, worker, retries, deadline, "errorMessage", "customHeaders", "processInstanceKey",
		"processDefinitionKey", "bpmnProcessId", "elementId", "elementInstanceKey", ${ts('"createdAt"')}, ${ts('"updatedAt"')}
	from json_to_recordset($1::json) as r(key bigint, type text, state text, worker text, retries int, deadline bigint,
		"errorMessage" text, "customHeaders" jsonb, "processInstanceKey" bigint, "processDefinitionKey" bigint,
		"bpmnProcessId" text, "elementId" text, "elementInstanceKey" bigint, "createdAt" bigint, "updatedAt" bigint)
	on conflict (key) do update set
		state = case
			when excluded.state = 'REACTIVATE' then (case when t.state in ('FAILED', 'ERROR_THROWN') then 'ACTIVATABLE' else t.state end)
			else coalesce(excluded.state, t.state) end,
		worker = coalesce(excluded.worker, t.worker), retries = coalesce(excluded.retries, t.retries),
		deadline = coalesce(excluded.deadline, t.deadline), error_message = coalesce(excluded.error_message, t.error_message),
		updated_at = excluded.updated_at`;

const upsertIncidents = `insert into engine_incident as t
	(key, state, error_type, error_message, process_instance_key, process_definition_key, bpmn_process_id, element_id,
	 element_instance_key, job_key, variable_scope_key, created_at, resolved_at)
	select key, state, "errorType", "errorMessage", "processInstanceKey", "processDefinitionKey", "bpmnProcessId", "elementId",
		"elementInstanceKey", "jobKey", "variableScopeKey", ${ts('"createdAt"')}, ${ts('"resolvedAt"')}
	from json_to_recordset($1::json) as r(key bigint, state text, "errorType" text, "errorMessage" text,
		"processInstanceKey" bigint, "processDefinitionKey" bigint, "bpmnProcessId" text, "elementId" text,
		"elementInstanceKey" bigint, "jobKey" bigint, "variableScopeKey" bigint, "createdAt" bigint, "resolvedAt" bigint)
	on conflict (key) do update set state = coalesce(excluded.state, t.state), resolved_at = coalesce(excluded.resolved_at, t.resolved_at)`;

const projectionStatements: Array<[keyof ProjectionRows, string]> = [
	["definitions", insertDefinitions],
	["instances", upsertInstances],
	["elements", upsertElements],
	["variables", upsertVariables],
	["jobs", upsertJobs],
	["incidents", upsertIncidents],
];

/**
 * The whole batch as ONE statement: each insert/upsert is a data-modifying CTE with its own JSON parameter.
 * A single statement is atomic on its own (no BEGIN/COMMIT round trips) and costs one round trip per batch.
 * The CTEs touch different tables, so the shared snapshot does not matter.
 */
const appendBatchStatement = [
	`with records as (${insertRecords})`,
	...projectionStatements.map(([table, text], index) => `, ${table} as (${text.replace("$1::json", `$${index + 2}::json`)})`),
	"select 1",
].join("\n");

/** Options of {@link EngineStore.open}. */
export interface EngineStoreOptions {
	databaseUrl: string;
	logger: Logger;
	/** Pool size besides the writer's connection (snapshots, recovery reads, queries). @default 4 */
	poolSize?: number;
	/** What the record log and the read-side projections keep; see {@link RetentionPolicy}. */
	retention?: Partial<RetentionPolicy>;
}

/**
 * What the store keeps. Records are only ever deleted up to the older of the two kept snapshots (recovery
 * needs nothing before it); projections of an instance are only deleted once it and its whole call
 * hierarchy ended.
 */
export interface RetentionPolicy {
	/**
	 * The record log: `instances` keeps every record that names a process instance while the instance runs
	 * and for `recordDays` after it ended (the case-relevant history: its tokens, variables, jobs, incidents),
	 * and deletes the rest (deployments, message publications, job batches) once no snapshot needs it; `all`
	 * keeps every record; `since-previous-snapshot` keeps only what recovery needs (Zeebe's compaction; the
	 * projections keep the history). @default "instances"
	 */
	records: "instances" | "all" | "since-previous-snapshot";
	/** Days the records of an ended instance stay (policy `instances`). @default 365 */
	recordDays: number;
	/**
	 * Days an ended root instance (with its called children) stays in the query side (`engine_process_instance`,
	 * elements, variables, jobs, incidents) and so in `engine/query`; its records go with it. `null` keeps
	 * ended instances for good. @default null
	 */
	completedInstanceDays: number | null;
}

/** The default {@link RetentionPolicy}: case history stays. */
export const defaultRetention: RetentionPolicy = { records: "instances", recordDays: 365, completedInstanceDays: null };

/** What one {@link EngineStore.applyRetention} deleted. */
export interface RetentionResult {
	records: number;
	instances: number;
}

const DAY_MS = 86_400_000;

/** Records at or before this position may go: the older of the two kept snapshots (none while fewer exist). */
const compactablePosition = "(select case when count(*) >= 2 then min(position) else -1 end from engine_snapshot)";

/** Ended instances whose root ended before $1 (ms), with every instance they called. */
const expiredInstances = `with recursive expired as (
		select key from engine_process_instance
		where coalesce(parent_process_instance_key, -1) = -1 and state <> 'ACTIVE' and end_time < to_timestamp(?::float8 / 1000)
		union
		select child.key from engine_process_instance child join expired on child.parent_process_instance_key = expired.key
		where child.state <> 'ACTIVE'
	) select key from expired`;

/**
 * The engine's PostgreSQL store on MikroORM's connection. One dedicated connection is the single writer of
 * the record log and the projections; the pool serves snapshots and reads. The unit of work is not used on
 * the hot path (see ARCHITECTURE.md: a flush of 2,000 rows is ~10× slower than one multi-row insert).
 */
export class EngineStore {
	/** The writer connection; null after a failed statement until the next append acquires a fresh one. */
	private writer: pg.Client | null;

	private constructor(
		private readonly orm: MikroORM,
		writer: pg.Client,
		private readonly logger: Logger,
		/** The policy in force. */
		readonly retention: RetentionPolicy,
	) {
		this.writer = writer;
	}

	/** Connects; the schema must be migrated already (`migrateEngineSchema`). */
	static async open(options: EngineStoreOptions): Promise<EngineStore> {
		const orm = await MikroORM.init({
			driver: PostgreSqlDriver,
			clientUrl: options.databaseUrl,
			entities: [],
			discovery: { warnWhenNoEntities: false },
			allowGlobalContext: true,
			debug: false,
			pool: { min: 1, max: (options.poolSize ?? 4) + 1 },
		});
		const knex = orm.em.getConnection().getKnex();
		const writer = (await knex.client.acquireConnection()) as pg.Client;
		const retention = { ...defaultRetention, ...options.retention };
		return new EngineStore(orm, writer, options.logger, retention);
	}

	/** The pooled knex instance, for read-only queries (`engine/query`). */
	get knex(): Knex {
		return this.orm.em.getConnection().getKnex();
	}

	/**
	 * Appends a batch of records and updates the projections, in ONE transaction. Resolves only when
	 * PostgreSQL has committed (synchronous_commit as configured: on by default), so a reply sent after it
	 * is durable.
	 */
	async appendBatch(records: readonly EngineRecord[]): Promise<void> {
		if (records.length === 0) return;
		const rows = projectionRows(records);
		const values = [serialiseRecords(records), ...projectionStatements.map(([table]) => (rows[table].length > 0 ? JSON.stringify(rows[table]) : "[]"))];
		this.writer ??= (await this.knex.client.acquireConnection()) as pg.Client;
		const writer = this.writer;
		try {
			await writer.query({ name: "engine_append_batch", text: appendBatchStatement, values });
		} catch (error) {
			// The connection may be dead (PostgreSQL restarted, network cut): hand it back to the pool, which drops
			// it if knex marked it broken, and take a fresh one for the next batch. The statement was one
			// transaction, so nothing of the failed batch is stored either way.
			this.writer = null;
			await this.releaseWriter(writer);
			throw error;
		}
	}

	private async releaseWriter(writer: pg.Client): Promise<void> {
		try {
			await this.knex.client.releaseConnection(writer);
		} catch (error) {
			this.logger.debug({ err: error }, "writer connection release failed");
		}
	}

	/** The latest snapshot, or null when none was taken yet. */
	async latestSnapshot(): Promise<StoredSnapshot | null> {
		const result = await this.knex.raw("select position::float8 as position, state from engine_snapshot order by position desc limit 1");
		const row = result.rows[0] as { position: number; state: unknown } | undefined;
		return row ? { position: row.position, state: row.state } : null;
	}

	/** Stores a snapshot taken at `position` and drops all but the two newest. */
	async saveSnapshot(position: number, state: unknown): Promise<void> {
		await this.saveSnapshotJson(position, JSON.stringify(state));
	}

	/** {@link saveSnapshot} for a state already serialised to JSON text. */
	async saveSnapshotJson(position: number, json: string): Promise<void> {
		await this.knex.transaction(async (trx) => {
			await trx.raw("insert into engine_snapshot (position, state) values (?, ?::jsonb) on conflict (position) do nothing", [position, json]);
			await trx.raw(
				"delete from engine_snapshot where position < (select min(position) from (select position from engine_snapshot order by position desc limit 2) newest)",
			);
			if (this.retention.records === "since-previous-snapshot") {
				await trx.raw(`delete from engine_record where position <= ${compactablePosition}`);
			}
		});
	}

	/**
	 * Applies the retention policy as of `now` (the engine clock, epoch ms): deletes expired instances from the
	 * query side and, under policy `instances`, the records no kept instance names, up to the older kept
	 * snapshot. The processing loop calls it after a snapshot (see `retentionIntervalMs`); safe beside the writer,
	 * which never touches an instance that ended.
	 */
	async applyRetention(now: number): Promise<RetentionResult> {
		const result: RetentionResult = { records: 0, instances: 0 };
		const days = this.retention.completedInstanceDays;
		if (days !== null) {
			await this.knex.transaction(async (trx) => {
				const expired = await trx.raw(`create temporary table retention_expired on commit drop as ${expiredInstances}`, [now - days * DAY_MS]);
				result.instances = expired.rowCount ?? 0;
				if (result.instances === 0) return;
				for (const table of ["engine_element_instance", "engine_variable", "engine_job", "engine_incident", "engine_process_instance"]) {
					const column = table === "engine_process_instance" ? "key" : "process_instance_key";
					await trx.raw(`delete from ${table} where ${column} in (select key from retention_expired)`);
				}
			});
		}
		if (this.retention.records === "instances") {
			const deleted = await this.knex.raw(
				`delete from engine_record r where r.position <= ${compactablePosition}
				and not exists (select 1 from engine_process_instance i
					where i.key = (r.value->>'processInstanceKey')::bigint and (i.end_time is null or i.end_time >= to_timestamp(?::float8 / 1000)))`,
				[now - this.retention.recordDays * DAY_MS],
			);
			result.records = deleted.rowCount ?? 0;
		}
		if (result.records > 0 || result.instances > 0) this.logger.info({ ...result, policy: this.retention }, "record retention applied");
		return result;
	}

	/** Records with a position after `afterPosition`, in log order, at most `limit` of them. */
	async readRecords(afterPosition: number, limit: number): Promise<EngineRecord[]> {
		const result = await this.knex.raw(
			`select position::float8 as position, source_position::float8 as "sourceRecordPosition", key::float8 as key,
				record_type as "recordType", value_type as "valueType", intent, value, timestamp::float8 as timestamp,
				rejection_type as "rejectionType", rejection_reason as "rejectionReason"
			from engine_record where position > ? order by position limit ?`,
			[afterPosition, limit],
		);
		const records = result.rows as EngineRecord[];
		for (const record of records) {
			if (record.rejectionType === null) delete record.rejectionType;
			if (record.rejectionReason === null) delete record.rejectionReason;
		}
		return records;
	}

	/** Position of the last record in the log (0 when empty). */
	async lastPosition(): Promise<number> {
		const result = await this.knex.raw("select coalesce(max(position), 0)::float8 as position from engine_record");
		return (result.rows[0] as { position: number }).position;
	}

	/** Is the database reachable? For health checks. */
	async ping(): Promise<boolean> {
		try {
			await this.knex.raw("select 1");
			return true;
		} catch {
			return false;
		}
	}

	/** Releases the writer and closes the pool. */
	async close(): Promise<void> {
		if (this.writer) await this.releaseWriter(this.writer);
		this.writer = null;
		await this.orm.close(true);
	}
}

/**
 * The batch as one JSON text. Deployment records carry resources as bytes and, on the command, the core's
 * parsed model (`prepared`): the log keeps the resource text and drops the parsed model, which replay
 * rebuilds from the text.
 */
function serialiseRecords(records: readonly EngineRecord[]): string {
	let needsCleaning = false;
	for (const record of records) {
		if (record.valueType === "DEPLOYMENT" || record.valueType === "PROCESS" || record.valueType === "FORM") {
			needsCleaning = true;
			break;
		}
	}
	if (!needsCleaning) return JSON.stringify(records);
	return JSON.stringify(records.map((record) => (record.valueType === "DEPLOYMENT" || record.valueType === "PROCESS" || record.valueType === "FORM" ? cleanRecord(record) : record)));
}

function cleanRecord(record: EngineRecord): EngineRecord {
	const { prepared: _prepared, ...value } = record.value as Record<string, unknown>;
	if (typeof value.resource === "object" && value.resource !== null) value.resource = resourceText(value.resource);
	if (Array.isArray(value.resources)) {
		value.resources = (value.resources as Array<Record<string, unknown>>).map((resource) => ({
			...resource,
			resource: resourceText(resource.resource) ?? resource.resource,
		}));
	}
	return { ...record, value };
}
