import type { Knex } from "@mikro-orm/postgresql";

/**
 * Read-only views of the engine for monitoring (`api/` in embedded mode). They read the projection tables
 * that the processing loop writes in the same transaction as the record log, so every committed command is
 * visible at once. Keys are decimal strings (Zeebe keys exceed 2^31; REST v2 uses strings too); times are
 * ISO-8601 strings.
 */

/** A page request: `from` rows skipped, at most `limit` returned (1–1000). */
export interface Page {
	from?: number;
	limit?: number;
}

/** One page of results and the total number of matches. */
export interface PageResult<T> {
	items: T[];
	total: number;
}

export interface ProcessDefinitionView {
	key: string;
	bpmnProcessId: string;
	version: number;
	resourceName: string;
	tenantId: string;
	deploymentKey: string | null;
	deployedAt: string;
}

export interface ProcessDefinitionWithXml extends ProcessDefinitionView {
	xml: string | null;
	/** When DeleteResource deleted this version (ISO), else null: it is then no longer listed nor the latest. */
	deletedAt: string | null;
}

export type InstanceState = "ACTIVE" | "COMPLETED" | "TERMINATED";

export interface ProcessInstanceView {
	key: string;
	processDefinitionKey: string;
	bpmnProcessId: string;
	version: number;
	state: InstanceState;
	startTime: string;
	endTime: string | null;
	/** true while the instance has at least one unresolved incident. */
	hasIncident: boolean;
	parentProcessInstanceKey: string | null;
	parentElementInstanceKey: string | null;
	tenantId: string;
}

export interface VariableView {
	name: string;
	/** The parsed JSON value. */
	value: unknown;
	scopeKey: string;
	processInstanceKey: string;
}

export interface ElementInstanceView {
	key: string;
	elementId: string;
	elementType: string;
	flowScopeKey: string;
	state: InstanceState;
	startTime: string;
	endTime: string | null;
}

export interface IncidentView {
	key: string;
	state: "ACTIVE" | "RESOLVED";
	errorType: string;
	errorMessage: string;
	processInstanceKey: string;
	processDefinitionKey: string;
	bpmnProcessId: string;
	elementId: string;
	elementInstanceKey: string;
	/** null when the incident is not about a job. */
	jobKey: string | null;
	variableScopeKey: string;
	createdAt: string;
	resolvedAt: string | null;
}

export interface JobView {
	key: string;
	type: string;
	state: string;
	worker: string | null;
	retries: number;
	/** Epoch ms of the activation deadline, when activated. */
	deadline: number | null;
	errorMessage: string | null;
	customHeaders: Record<string, string>;
	processInstanceKey: string;
	elementId: string;
	elementInstanceKey: string;
}

/** Counts of one element of a definition (for the monitor's diagram overlay). */
export interface ElementStatistics {
	elementId: string;
	active: number;
	completed: number;
	terminated: number;
	/** Unresolved incidents at the element. */
	incidents: number;
}

export interface InstanceFilter {
	bpmnProcessId?: string;
	processDefinitionKey?: string;
	state?: InstanceState;
	hasIncident?: boolean;
	/** Only instances started at or after this time (ISO-8601). */
	startedAfter?: string;
	startedBefore?: string;
	/** Instances with a variable of this name whose value equals this JSON value (any scope). */
	variable?: { name: string; value: unknown };
	/** Instances holding every one of these variables with these JSON values (any scope each; AND). */
	variables?: Array<{ name: string; value: unknown }>;
	parentProcessInstanceKey?: string;
}

/** What happened to a process instance, read from the record log (see {@link EngineQueries.instanceChanges}). */
export type InstanceChangeType = "created" | "completed" | "canceled" | "incidentCreated" | "incidentResolved";

export interface InstanceChange {
	/** Log position of the record; pass the last one seen to read on. */
	position: number;
	type: InstanceChangeType;
	processInstanceKey: string;
	processDefinitionKey: string;
	bpmnProcessId: string;
	tenantId: string;
	/** The incident, for `incidentCreated` and `incidentResolved`. */
	incidentKey: string | null;
	/** Epoch ms of the record. */
	timestamp: number;
}

export interface IncidentFilter {
	processInstanceKey?: string;
	processDefinitionKey?: string;
	bpmnProcessId?: string;
	state?: "ACTIVE" | "RESOLVED";
	errorType?: string;
}

const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const definitionColumns = `key::text as key, bpmn_process_id as "bpmnProcessId", version, resource_name as "resourceName",
	tenant_id as "tenantId", deployment_key::text as "deploymentKey", ${iso("deployed_at")} as "deployedAt"`;

const instanceColumns = `i.key::text as key, i.process_definition_key::text as "processDefinitionKey", i.bpmn_process_id as "bpmnProcessId",
	i.version, i.state, ${iso("i.start_time")} as "startTime", ${iso("i.end_time")} as "endTime",
	exists (select 1 from engine_incident x where x.process_instance_key = i.key and x.state = 'ACTIVE') as "hasIncident",
	nullif(i.parent_process_instance_key, -1)::text as "parentProcessInstanceKey",
	nullif(i.parent_element_instance_key, -1)::text as "parentElementInstanceKey", i.tenant_id as "tenantId"`;

const incidentColumns = `key::text as key, state, error_type as "errorType", coalesce(error_message, '') as "errorMessage",
	process_instance_key::text as "processInstanceKey", process_definition_key::text as "processDefinitionKey",
	bpmn_process_id as "bpmnProcessId", element_id as "elementId", element_instance_key::text as "elementInstanceKey",
	nullif(job_key, -1)::text as "jobKey", variable_scope_key::text as "variableScopeKey",
	${iso("created_at")} as "createdAt", ${iso("resolved_at")} as "resolvedAt"`;

function pageOf(page: Page | undefined): { offset: number; limit: number } {
	const limit = Math.min(Math.max(Math.trunc(page?.limit ?? 50), 1), 1000);
	const offset = Math.max(Math.trunc(page?.from ?? 0), 0);
	return { offset, limit };
}

function parseJson(text: string | null): unknown {
	if (text === null) return null;
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

/**
 * The engine's read-only queries over one connection pool (the engine's own `store.knex`, or any knex
 * connected to the engine's database).
 */
export class EngineQueries {
	constructor(private readonly knex: Knex) {}

	private async rows<T>(sql: string, bindings: readonly unknown[] = []): Promise<T[]> {
		const result = await this.knex.raw(sql, bindings as Knex.RawBinding[]);
		return result.rows as T[];
	}

	/** Every deployed definition version (without XML), newest version first per process id. */
	async listDefinitions(filter: { bpmnProcessId?: string } = {}): Promise<ProcessDefinitionView[]> {
		const where = `where deleted_at is null${filter.bpmnProcessId === undefined ? "" : " and bpmn_process_id = ?"}`;
		return this.rows(`select ${definitionColumns} from engine_process_definition ${where} order by bpmn_process_id, version desc`, filter.bpmnProcessId === undefined ? [] : [filter.bpmnProcessId]);
	}

	/** One definition with its BPMN XML, or null; a deleted version is still found (with `deletedAt`) for the instances that ran on it. */
	async getDefinition(key: string): Promise<ProcessDefinitionWithXml | null> {
		const rows = await this.rows<ProcessDefinitionWithXml>(`select ${definitionColumns}, xml, ${iso("deleted_at")} as "deletedAt" from engine_process_definition where key = ?`, [key]);
		return rows[0] ?? null;
	}

	/** The latest version of a process id that is not deleted, with XML, or null. */
	async latestDefinition(bpmnProcessId: string): Promise<ProcessDefinitionWithXml | null> {
		const rows = await this.rows<ProcessDefinitionWithXml>(
			`select ${definitionColumns}, xml, ${iso("deleted_at")} as "deletedAt" from engine_process_definition where bpmn_process_id = ? and deleted_at is null order by version desc limit 1`,
			[bpmnProcessId],
		);
		return rows[0] ?? null;
	}

	/** Instances matching the filter, newest first. */
	async searchInstances(filter: InstanceFilter = {}, page?: Page): Promise<PageResult<ProcessInstanceView>> {
		const conditions: string[] = [];
		const bindings: unknown[] = [];
		const add = (condition: string, ...values: unknown[]) => {
			conditions.push(condition);
			bindings.push(...values);
		};
		if (filter.bpmnProcessId !== undefined) add("i.bpmn_process_id = ?", filter.bpmnProcessId);
		if (filter.processDefinitionKey !== undefined) add("i.process_definition_key = ?", filter.processDefinitionKey);
		if (filter.state !== undefined) add("i.state = ?", filter.state);
		if (filter.startedAfter !== undefined) add("i.start_time >= ?::timestamptz", filter.startedAfter);
		if (filter.startedBefore !== undefined) add("i.start_time < ?::timestamptz", filter.startedBefore);
		if (filter.parentProcessInstanceKey !== undefined) add("i.parent_process_instance_key = ?", filter.parentProcessInstanceKey);
		if (filter.hasIncident !== undefined) {
			add(`${filter.hasIncident ? "" : "not "}exists (select 1 from engine_incident x where x.process_instance_key = i.key and x.state = 'ACTIVE')`);
		}
		for (const variable of [...(filter.variable ? [filter.variable] : []), ...(filter.variables ?? [])]) {
			add(
				"exists (select 1 from engine_variable v where v.process_instance_key = i.key and v.name = ? and v.value::jsonb = ?::jsonb)",
				variable.name,
				JSON.stringify(variable.value),
			);
		}
		const where = conditions.length > 0 ? `where ${conditions.join(" and ")}` : "";
		const { offset, limit } = pageOf(page);
		const [items, count] = await Promise.all([
			this.rows<ProcessInstanceView>(`select ${instanceColumns} from engine_process_instance i ${where} order by i.key desc limit ? offset ?`, [...bindings, limit, offset]),
			this.rows<{ total: number }>(`select count(*)::int as total from engine_process_instance i ${where}`, bindings),
		]);
		return { items, total: count[0]?.total ?? 0 };
	}

	/** One instance, or null. */
	async getInstance(key: string): Promise<ProcessInstanceView | null> {
		const rows = await this.rows<ProcessInstanceView>(`select ${instanceColumns} from engine_process_instance i where i.key = ?`, [key]);
		return rows[0] ?? null;
	}

	/** Current variables of an instance, all scopes (`scopeKey` = instance key for the root scope). */
	async instanceVariables(processInstanceKey: string): Promise<VariableView[]> {
		const rows = await this.rows<VariableView & { value: string | null }>(
			`select name, value, scope_key::text as "scopeKey", process_instance_key::text as "processInstanceKey"
			from engine_variable where process_instance_key = ? order by scope_key, name`,
			[processInstanceKey],
		);
		return rows.map((row) => ({ ...row, value: parseJson(row.value) }));
	}

	/** One root-scope variable of many instances at once (e.g. their `caseNumber`), keyed by instance key; absent ones are left out. */
	async rootVariableOf(processInstanceKeys: readonly string[], name: string): Promise<Map<string, unknown>> {
		if (processInstanceKeys.length === 0) return new Map();
		const rows = await this.rows<{ key: string; value: string | null }>(
			`select process_instance_key::text as key, value from engine_variable
			where process_instance_key = any(?::bigint[]) and scope_key = process_instance_key and name = ?`,
			[`{${processInstanceKeys.join(",")}}`, name],
		);
		return new Map(rows.map((row) => [row.key, parseJson(row.value)]));
	}

	/** Element instances of an instance in activation order: where its tokens are and were. */
	async elementInstances(processInstanceKey: string): Promise<ElementInstanceView[]> {
		return this.rows(
			`select key::text as key, element_id as "elementId", element_type as "elementType", flow_scope_key::text as "flowScopeKey",
				state, ${iso("start_time")} as "startTime", ${iso("end_time")} as "endTime"
			from engine_element_instance where process_instance_key = ? order by key`,
			[processInstanceKey],
		);
	}

	/** Incidents matching the filter, newest first. */
	async searchIncidents(filter: IncidentFilter = {}, page?: Page): Promise<PageResult<IncidentView>> {
		const conditions: string[] = [];
		const bindings: unknown[] = [];
		for (const [column, value] of [
			["process_instance_key", filter.processInstanceKey],
			["process_definition_key", filter.processDefinitionKey],
			["bpmn_process_id", filter.bpmnProcessId],
			["state", filter.state],
			["error_type", filter.errorType],
		] as const) {
			if (value === undefined) continue;
			conditions.push(`${column} = ?`);
			bindings.push(value);
		}
		const where = conditions.length > 0 ? `where ${conditions.join(" and ")}` : "";
		const { offset, limit } = pageOf(page);
		const [items, count] = await Promise.all([
			this.rows<IncidentView>(`select ${incidentColumns} from engine_incident ${where} order by key desc limit ? offset ?`, [...bindings, limit, offset]),
			this.rows<{ total: number }>(`select count(*)::int as total from engine_incident ${where}`, bindings),
		]);
		return { items, total: count[0]?.total ?? 0 };
	}

	/** One incident, or null. */
	async getIncident(key: string): Promise<IncidentView | null> {
		const rows = await this.rows<IncidentView>(`select ${incidentColumns} from engine_incident where key = ?`, [key]);
		return rows[0] ?? null;
	}

	/** Jobs of an instance (every state), oldest first. */
	async instanceJobs(processInstanceKey: string): Promise<JobView[]> {
		return this.rows(
			`select key::text as key, type, state, worker, retries, deadline::float8 as deadline, error_message as "errorMessage",
				coalesce(custom_headers, '{}'::jsonb) as "customHeaders", process_instance_key::text as "processInstanceKey",
				element_id as "elementId", element_instance_key::text as "elementInstanceKey"
			from engine_job where process_instance_key = ? order by key`,
			[processInstanceKey],
		);
	}

	/** Position of the newest record in the log, 0 when it is empty: where to start reading {@link instanceChanges}. */
	async latestPosition(): Promise<number> {
		const rows = await this.rows<{ position: number }>("select coalesce(max(position), 0)::float8 as position from engine_record");
		return rows[0]?.position ?? 0;
	}

	/**
	 * Process instance lifecycle changes (created, completed, canceled) and incidents raised or resolved, from
	 * the record log after `afterPosition`, oldest first, at most `limit`. `nextPosition` is where to read on:
	 * past the records that were not changes, so a poller never scans them twice. Records the log compacted
	 * away after a snapshot are not seen; poll well within the snapshot interval.
	 */
	async instanceChanges(afterPosition: number, limit = 500): Promise<{ changes: InstanceChange[]; nextPosition: number }> {
		const upTo = await this.latestPosition();
		if (upTo <= afterPosition) return { changes: [], nextPosition: afterPosition };
		const rows = await this.rows<{
			position: number; key: string; valueType: string; intent: string; processInstanceKey: string; processDefinitionKey: string;
			bpmnProcessId: string; tenantId: string | null; timestamp: number;
		}>(
			`select position::float8 as position, key::text as key, value_type as "valueType", intent,
				value->>'processInstanceKey' as "processInstanceKey", value->>'processDefinitionKey' as "processDefinitionKey",
				value->>'bpmnProcessId' as "bpmnProcessId", nullif(value->>'tenantId', '') as "tenantId", timestamp::float8 as timestamp
			from engine_record
			where position > ? and position <= ? and record_type = 'EVENT' and (
				(value_type = 'PROCESS_INSTANCE' and intent in ('ELEMENT_ACTIVATING', 'ELEMENT_COMPLETED', 'ELEMENT_TERMINATED')
					and value->>'bpmnElementType' = 'PROCESS')
				or (value_type = 'INCIDENT' and intent in ('CREATED', 'RESOLVED')))
			order by position limit ?`,
			[afterPosition, upTo, limit],
		);
		const types: Record<string, InstanceChangeType> = {
			ELEMENT_ACTIVATING: "created",
			ELEMENT_COMPLETED: "completed",
			ELEMENT_TERMINATED: "canceled",
			CREATED: "incidentCreated",
			RESOLVED: "incidentResolved",
		};
		const changes = rows.map((row): InstanceChange => {
			const incident = row.valueType === "INCIDENT";
			return {
				position: row.position,
				type: types[row.intent]!,
				processInstanceKey: incident ? row.processInstanceKey : row.key,
				processDefinitionKey: row.processDefinitionKey,
				bpmnProcessId: row.bpmnProcessId,
				tenantId: row.tenantId ?? "<default>",
				incidentKey: incident ? row.key : null,
				timestamp: row.timestamp,
			};
		});
		return { changes, nextPosition: rows.length === limit ? rows[rows.length - 1]!.position : upTo };
	}

	/** Per element of one definition: element instances active, completed, terminated, and open incidents. */
	async elementStatistics(processDefinitionKey: string): Promise<ElementStatistics[]> {
		return this.rows(
			`with elements as (
				select element_id,
					count(*) filter (where state = 'ACTIVE')::int as active,
					count(*) filter (where state = 'COMPLETED')::int as completed,
					count(*) filter (where state = 'TERMINATED')::int as terminated
				from engine_element_instance where process_definition_key = ? and element_type <> 'PROCESS' group by element_id
			), incidents as (
				select element_id, count(*)::int as incidents from engine_incident
				where process_definition_key = ? and state = 'ACTIVE' group by element_id
			)
			select coalesce(e.element_id, x.element_id) as "elementId", coalesce(e.active, 0) as active,
				coalesce(e.completed, 0) as completed, coalesce(e.terminated, 0) as terminated, coalesce(x.incidents, 0) as incidents
			from elements e full join incidents x on x.element_id = e.element_id order by 1`,
			[processDefinitionKey, processDefinitionKey],
		);
	}
}
