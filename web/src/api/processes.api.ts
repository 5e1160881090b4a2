import { api, currentToken, type SearchPage, type SearchRequest, search } from "./client";

/** A process definition (`POST /v2/process-definitions/search`, api/processes/processes.schemas.ts). */
export interface ProcessDefinition {
	processDefinitionKey: string;
	processDefinitionId: string;
	name?: string | null;
	version: number;
	resourceName?: string;
	deployedAt?: string;
	tenantId?: string;
}

/** Per-element counts (`GET /v2/process-definitions/{key}/statistics/element-instances`). */
export interface ElementStatistics {
	elementId: string;
	active: number;
	canceled: number;
	incidents: number;
	completed: number;
}

/** A process instance (`POST /v2/process-instances/search`). */
export interface ProcessInstance {
	processInstanceKey: string;
	processDefinitionId?: string;
	processDefinitionName?: string | null;
	processDefinitionVersion?: number;
	processDefinitionKey?: string;
	state: string;
	startDate?: string;
	endDate?: string | null;
	hasIncident?: boolean;
}

/** An incident (`POST /v2/incidents/search`). */
export interface Incident {
	incidentKey: string;
	processInstanceKey?: string;
	processDefinitionId?: string;
	errorType: string;
	errorMessage?: string;
	elementId?: string;
	creationTime?: string;
	state?: string;
	jobKey?: string | null;
}

/** One element instance of an instance's detail. */
export interface ElementInstance {
	elementInstanceKey: string;
	elementId: string;
	type?: string;
	state: string;
	startDate?: string;
	endDate?: string | null;
}

/** `GET /v2/process-instances/{key}`: the instance with its element instances, variables and incidents. */
export interface ProcessInstanceDetail extends ProcessInstance {
	elementInstances: ElementInstance[];
	variables: { name: string; value: string; scopeKey?: string }[];
	incidents: Incident[];
}

/** One linter or engine problem of a rejected deployment (`DEPLOYMENT_INVALID`'s `problems`). */
export interface DeploymentProblem {
	file?: string;
	elementId?: string | null;
	rule?: string;
	category?: string;
	message: string;
}

/**
 * What `POST /v2/deployments` answers. `deployments` items are the engine's: `{process: {bpmnProcessId, version,
 * processDefinitionKey}}`, `{decision: …}`, `{form: {formId, version}}` (Camunda REST names are read too).
 */
export interface DeploymentResult {
	deploymentKey: string;
	deployments: Record<string, Record<string, unknown> | undefined>[];
	warnings?: DeploymentProblem[];
}

/** `POST /v2/deployments` (multipart, one `resources` part per file). @throws ApiProblem with the problems when rejected. */
export function deploy(files: { name: string; content: string; type: string }[]): Promise<DeploymentResult> {
	const data = new FormData();
	for (const file of files) data.append("resources", new Blob([file.content], { type: file.type }), file.name);
	return api<DeploymentResult>("/v2/deployments", { method: "POST", formData: data });
}

/** `POST /v2/deployments/lint`: bpmnlint's errors and warnings for the files, as a deployment would find them; nothing is deployed. */
export async function lintFiles(
	files: { name: string; content: string; type: string }[],
): Promise<DeploymentProblem[]> {
	const data = new FormData();
	for (const file of files) data.append("resources", new Blob([file.content], { type: file.type }), file.name);
	const answer = await api<{ problems: DeploymentProblem[] }>("/v2/deployments/lint", {
		method: "POST",
		formData: data,
	});
	return answer.problems;
}

/** What `POST /v2/process-instances` answers. */
export interface StartedInstance {
	processInstanceKey: string;
	processDefinitionKey: string;
	processDefinitionId: string;
	processDefinitionVersion: number;
}

/** `POST /v2/process-instances`: starts an instance; the case number becomes its `caseNumber` variable (business key). */
export function startInstance(request: {
	processDefinitionId: string;
	version?: number;
	caseNumber?: string;
	variables?: Record<string, unknown>;
}): Promise<StartedInstance> {
	return api<StartedInstance>("/v2/process-instances", { method: "POST", body: request });
}

/** `POST /v2/process-definitions/search`. */
export function searchDefinitions(request: SearchRequest): Promise<SearchPage<ProcessDefinition>> {
	return search<ProcessDefinition>("/v2/process-definitions/search", request);
}

/** `GET /v2/process-definitions/{key}/xml` (answers the BPMN XML as text). */
export async function definitionXml(key: string): Promise<string> {
	const response = await fetch(`/v2/process-definitions/${encodeURIComponent(key)}/xml`, {
		headers: { authorization: `Bearer ${currentToken() ?? ""}`, accept: "text/xml, application/problem+json" },
	});
	if (!response.ok) {
		// Reuse the JSON client for its problem parsing.
		return api<string>(`/v2/process-definitions/${encodeURIComponent(key)}/xml`);
	}
	return response.text();
}

/** `GET /v2/process-definitions/{key}/statistics/element-instances`. */
export async function elementStatistics(key: string): Promise<ElementStatistics[]> {
	const answer = await api<{ items: ElementStatistics[] }>(
		`/v2/process-definitions/${encodeURIComponent(key)}/statistics/element-instances`,
	);
	return answer.items;
}

/** `GET /v2/process-instances/{key}`. */
export function getInstance(key: string): Promise<ProcessInstanceDetail> {
	return api<ProcessInstanceDetail>(`/v2/process-instances/${encodeURIComponent(key)}`);
}

/** `POST /v2/process-instances/search`. */
export function searchInstances(request: SearchRequest): Promise<SearchPage<ProcessInstance>> {
	return search<ProcessInstance>("/v2/process-instances/search", request);
}

/** `POST /v2/process-instances/{key}/cancellation`. */
export function cancelInstance(key: string): Promise<void> {
	return api(`/v2/process-instances/${encodeURIComponent(key)}/cancellation`, { method: "POST", body: {} });
}

/** `POST /v2/incidents/search`. */
export function searchIncidents(request: SearchRequest): Promise<SearchPage<Incident>> {
	return search<Incident>("/v2/incidents/search", request);
}

/** `POST /v2/incidents/{key}/resolution`; a job incident's job gets `retries` first. */
export function resolveIncident(key: string, retries?: number): Promise<void> {
	return api(`/v2/incidents/${encodeURIComponent(key)}/resolution`, {
		method: "POST",
		body: retries ? { retries } : {},
	});
}

/** The filter of instance searches, exports and batch cancellation (api/instances/instances.schemas.ts). */
export type InstanceFilter = {
	processDefinitionId?: string;
	processDefinitionKey?: string;
	state?: "ACTIVE" | "COMPLETED" | "TERMINATED";
	hasIncident?: boolean;
	caseNumber?: string;
	startDate?: { from?: string; to?: string };
	/** Every one must hold (AND); `value` is JSON text. */
	variables?: { name: string; value: string }[];
};

/** One result of a batch operation. */
export interface BatchItem {
	processInstanceKey?: string;
	incidentKey?: string;
	status: string;
	detail?: string;
}

/** `POST /v2/process-instances/export`: the matching instances as CSV text. */
export function exportInstancesCsv(filter: InstanceFilter): Promise<string> {
	return api<string>("/v2/process-instances/export", { method: "POST", body: { filter }, text: true });
}

/** `POST /v2/process-instances/batch-cancellation`: cancels every active match; answers per instance. */
export async function batchCancel(filter: InstanceFilter): Promise<BatchItem[]> {
	return (
		await api<{ items: BatchItem[] }>("/v2/process-instances/batch-cancellation", { method: "POST", body: { filter } })
	).items;
}

/** `POST /v2/incidents/batch-resolution`: resolves every active incident of the process, with job retries. */
export async function batchResolve(processDefinitionId: string, retries: number): Promise<BatchItem[]> {
	return (
		await api<{ items: BatchItem[] }>("/v2/incidents/batch-resolution", {
			method: "POST",
			body: { filter: { processDefinitionId }, retries },
		})
	).items;
}

/** `PUT /v2/element-instances/{key}/variables` (the instance key sets process-level variables). */
export function setVariables(elementInstanceKey: string, variables: Record<string, unknown>): Promise<void> {
	return api(`/v2/element-instances/${encodeURIComponent(elementInstanceKey)}/variables`, {
		method: "PUT",
		body: { variables },
	});
}
