import type { EngineRecord } from "../core/contract";

/**
 * Turns the records of one batch into the rows of the read-side projections. Several records of a batch
 * often touch the same row (an element instance activated and completed in one batch), so rows are
 * coalesced per key: each table then gets one multi-row upsert per batch. A field left `undefined`
 * serialises to nothing, which the upsert reads as NULL = "keep the stored value".
 */

export interface DefinitionRow {
	key: number;
	bpmnProcessId: string;
	version: number;
	resourceName: string;
	xml: string | null;
	deploymentKey: number | null;
	tenantId: string;
	deployedAt: number;
	/** Epoch ms of PROCESS DELETED (DeleteResource), else absent. */
	deletedAt?: number;
}

export interface InstanceRow {
	key: number;
	processDefinitionKey?: number;
	bpmnProcessId?: string;
	version?: number;
	state?: string;
	startTime?: number;
	endTime?: number;
	parentProcessInstanceKey?: number;
	parentElementInstanceKey?: number;
	tenantId?: string;
}

export interface ElementRow {
	key: number;
	processInstanceKey?: number;
	processDefinitionKey?: number;
	elementId?: string;
	elementType?: string;
	flowScopeKey?: number;
	state?: string;
	startTime?: number;
	endTime?: number;
}

export interface VariableRow {
	scopeKey: number;
	name: string;
	key: number;
	value: string;
	processInstanceKey?: number;
	processDefinitionKey?: number;
	updatedAt: number;
}

/** `REACTIVATE` = "ACTIVATABLE if the stored job is FAILED or ERROR_THROWN" (incident resolved). */
export interface JobRow {
	key: number;
	type?: string;
	state?: string;
	worker?: string;
	retries?: number;
	deadline?: number;
	errorMessage?: string;
	customHeaders?: unknown;
	processInstanceKey?: number;
	processDefinitionKey?: number;
	bpmnProcessId?: string;
	elementId?: string;
	elementInstanceKey?: number;
	createdAt?: number;
	updatedAt: number;
}

export interface IncidentRow {
	key: number;
	state?: string;
	errorType?: string;
	errorMessage?: string;
	processInstanceKey?: number;
	processDefinitionKey?: number;
	bpmnProcessId?: string;
	elementId?: string;
	elementInstanceKey?: number;
	jobKey?: number;
	variableScopeKey?: number;
	createdAt?: number;
	resolvedAt?: number;
}

/** All projection rows of one batch. */
export interface ProjectionRows {
	definitions: DefinitionRow[];
	instances: InstanceRow[];
	elements: ElementRow[];
	variables: VariableRow[];
	jobs: JobRow[];
	incidents: IncidentRow[];
}

type Value = Record<string, unknown>;

const num = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);
const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** Job states after a JOB event (Zeebe's JobState), for the events that decide it alone. */
const jobStateByIntent: Record<string, string> = {
	CREATED: "ACTIVATABLE",
	COMPLETED: "COMPLETED",
	TIMED_OUT: "ACTIVATABLE",
	CANCELED: "CANCELED",
	ERROR_THROWN: "ERROR_THROWN",
	RECURRED_AFTER_BACKOFF: "ACTIVATABLE",
};

const elementStateByIntent: Record<string, string> = {
	ELEMENT_ACTIVATING: "ACTIVE",
	ELEMENT_ACTIVATED: "ACTIVE",
	ELEMENT_COMPLETING: "ACTIVE",
	ELEMENT_COMPLETED: "COMPLETED",
	ELEMENT_TERMINATING: "ACTIVE",
	ELEMENT_TERMINATED: "TERMINATED",
};

/** Builds the coalesced projection rows of a batch's records (only EVENT records change projections). */
export function projectionRows(records: readonly EngineRecord[]): ProjectionRows {
	const definitions: DefinitionRow[] = [];
	const deploymentResources = new Map<string, string>();
	const instances = new Map<number, InstanceRow>();
	const elements = new Map<number, ElementRow>();
	const variables = new Map<string, VariableRow>();
	const jobs = new Map<number, JobRow>();
	const incidents = new Map<number, IncidentRow>();

	const row = <R extends { key: number }>(map: Map<number, R>, key: number, init: () => NoInfer<R>): R => {
		let found = map.get(key);
		if (!found) {
			found = init();
			map.set(key, found);
		}
		return found;
	};
	const job = (key: number, at: number): JobRow => {
		const found = row(jobs, key, () => ({ key, updatedAt: at }));
		found.updatedAt = at;
		return found;
	};

	for (const record of records) {
		if (record.recordType !== "EVENT") continue;
		const value = record.value as Value;
		const at = record.timestamp;
		switch (record.valueType) {
			case "DEPLOYMENT": {
				if (record.intent !== "CREATED") break;
				for (const resource of (value.resources as Value[] | undefined) ?? []) {
					const text = resourceText(resource.resource);
					const name = str(resource.resourceName);
					if (text !== undefined && name !== undefined) deploymentResources.set(name, text);
				}
				break;
			}
			case "PROCESS": {
				if (record.intent === "DELETED") {
					const key = num(value.processDefinitionKey) ?? record.key;
					const created = definitions.find((definition) => definition.key === key);
					if (created) created.deletedAt = at;
					else
						definitions.push({
							key,
							bpmnProcessId: str(value.bpmnProcessId) ?? "",
							version: num(value.version) ?? 1,
							resourceName: str(value.resourceName) ?? "",
							xml: null,
							deploymentKey: num(value.deploymentKey) ?? null,
							tenantId: str(value.tenantId) ?? "<default>",
							deployedAt: at,
							deletedAt: at,
						});
					break;
				}
				if (record.intent !== "CREATED") break;
				const resourceName = str(value.resourceName) ?? "";
				definitions.push({
					key: num(value.processDefinitionKey) ?? record.key,
					bpmnProcessId: str(value.bpmnProcessId) ?? "",
					version: num(value.version) ?? 1,
					resourceName,
					xml: resourceText(value.resource) ?? deploymentResources.get(resourceName) ?? null,
					deploymentKey: num(value.deploymentKey) ?? null,
					tenantId: str(value.tenantId) ?? "<default>",
					deployedAt: at,
				});
				break;
			}
			case "PROCESS_INSTANCE": {
				const state = elementStateByIntent[record.intent];
				if (state === undefined || value.bpmnElementType === "SEQUENCE_FLOW") break;
				const isStart = record.intent === "ELEMENT_ACTIVATING";
				const isEnd = state !== "ACTIVE";
				const element = row(elements, record.key, () => ({ key: record.key }));
				element.state = state;
				if (isStart) {
					element.processInstanceKey = num(value.processInstanceKey);
					element.processDefinitionKey = num(value.processDefinitionKey);
					element.elementId = str(value.elementId);
					element.elementType = str(value.bpmnElementType);
					element.flowScopeKey = num(value.flowScopeKey);
					element.startTime = at;
				}
				if (isEnd) element.endTime = at;
				if (value.bpmnElementType !== "PROCESS") break;
				const instance = row(instances, record.key, () => ({ key: record.key }));
				instance.state = state;
				if (isStart) {
					instance.processDefinitionKey = num(value.processDefinitionKey);
					instance.bpmnProcessId = str(value.bpmnProcessId);
					instance.version = num(value.version);
					instance.parentProcessInstanceKey = num(value.parentProcessInstanceKey) ?? -1;
					instance.parentElementInstanceKey = num(value.parentElementInstanceKey) ?? -1;
					instance.tenantId = str(value.tenantId);
					instance.startTime = at;
				}
				if (isEnd) instance.endTime = at;
				break;
			}
			case "VARIABLE": {
				const scopeKey = num(value.scopeKey) ?? -1;
				const name = str(value.name) ?? "";
				variables.set(`${scopeKey}\u0000${name}`, {
					scopeKey,
					name,
					key: record.key,
					value: typeof value.value === "string" ? value.value : JSON.stringify(value.value ?? null),
					processInstanceKey: num(value.processInstanceKey),
					processDefinitionKey: num(value.processDefinitionKey),
					updatedAt: at,
				});
				break;
			}
			case "JOB": {
				const target = job(record.key, at);
				if (record.intent === "CREATED") {
					target.type = str(value.type);
					target.customHeaders = value.customHeaders ?? {};
					target.processInstanceKey = num(value.processInstanceKey);
					target.processDefinitionKey = num(value.processDefinitionKey);
					target.bpmnProcessId = str(value.bpmnProcessId);
					target.elementId = str(value.elementId);
					target.elementInstanceKey = num(value.elementInstanceKey);
					target.createdAt = at;
				}
				target.retries = num(value.retries) ?? target.retries;
				if (record.intent === "FAILED") {
					const backoff = num(value.retryBackoff) ?? 0;
					target.state = (target.retries ?? 0) > 0 && backoff <= 0 ? "ACTIVATABLE" : "FAILED";
					target.errorMessage = str(value.errorMessage);
				} else if (record.intent === "ERROR_THROWN") {
					target.state = "ERROR_THROWN";
					target.errorMessage = str(value.errorMessage);
				} else {
					target.state = jobStateByIntent[record.intent] ?? target.state;
				}
				if (record.intent === "TIMEOUT_UPDATED") target.deadline = num(value.deadline);
				break;
			}
			case "JOB_BATCH": {
				if (record.intent !== "ACTIVATED") break;
				for (const activated of (value.jobs as Value[] | undefined) ?? []) {
					const key = num(activated.key);
					if (key === undefined) continue;
					const target = job(key, at);
					target.state = "ACTIVATED";
					target.worker = str(activated.worker);
					target.deadline = num(activated.deadline);
					target.retries = num(activated.retries) ?? target.retries;
				}
				break;
			}
			case "INCIDENT": {
				const incident = row(incidents, record.key, () => ({ key: record.key }));
				if (record.intent === "CREATED") {
					incident.state = "ACTIVE";
					incident.errorType = str(value.errorType);
					incident.errorMessage = str(value.errorMessage);
					incident.processInstanceKey = num(value.processInstanceKey);
					incident.processDefinitionKey = num(value.processDefinitionKey);
					incident.bpmnProcessId = str(value.bpmnProcessId);
					incident.elementId = str(value.elementId);
					incident.elementInstanceKey = num(value.elementInstanceKey);
					incident.jobKey = num(value.jobKey);
					incident.variableScopeKey = num(value.variableScopeKey);
					incident.createdAt = at;
				} else if (record.intent === "RESOLVED") {
					incident.state = "RESOLVED";
					incident.resolvedAt = at;
					const jobKey = num(value.jobKey) ?? -1;
					if (jobKey > 0) {
						// Resolving a job incident makes a FAILED / ERROR_THROWN job activatable again (Zeebe's
						// IncidentResolvedApplier); a job cancelled meanwhile stays cancelled.
						const target = job(jobKey, at);
						if (target.state === undefined) target.state = "REACTIVATE";
						else if (target.state === "FAILED" || target.state === "ERROR_THROWN") target.state = "ACTIVATABLE";
					}
				}
				break;
			}
		}
	}
	return {
		definitions,
		instances: [...instances.values()],
		elements: [...elements.values()],
		variables: [...variables.values()],
		jobs: [...jobs.values()],
		incidents: [...incidents.values()],
	};
}

/** Resource content as text: strings as they are, bytes (or their JSON form) decoded as UTF-8. */
export function resourceText(resource: unknown): string | undefined {
	if (typeof resource === "string") return resource;
	if (resource instanceof Uint8Array) return Buffer.from(resource).toString("utf8");
	if (resource && typeof resource === "object") {
		const buffer = resource as { type?: string; data?: number[] };
		if (buffer.type === "Buffer" && Array.isArray(buffer.data)) return Buffer.from(buffer.data).toString("utf8");
	}
	return undefined;
}
