import { ApiProblem, api, type SearchPage, type SearchRequest, search } from "./client";

/** A user task as answered by `POST /v2/user-tasks/search` (Camunda 8 REST v2 shape). */
export interface UserTask {
	userTaskKey: string;
	name?: string | null;
	state: string;
	assignee?: string | null;
	elementId?: string;
	candidateGroups?: string[];
	candidateUsers?: string[];
	processDefinitionId?: string;
	processName?: string | null;
	processDefinitionKey?: string;
	processInstanceKey?: string;
	formKey?: string | null;
	creationDate?: string;
	completionDate?: string | null;
	dueDate?: string | null;
	followUpDate?: string | null;
	priority?: number;
	tenantId?: string;
	/** Mizan: the case the task works on, when the process carries one. */
	caseNumber?: string | null;
}

/** A Camunda Form (form-js JSON) as answered by `GET /v2/user-tasks/{key}/form`. */
export type TaskForm = Record<string, unknown>;

/** One variable as answered by `GET /v2/user-tasks/{key}/variables`; `value` is JSON text. */
export interface Variable {
	name: string;
	value: string;
}

/** A comment on a task (Mizan extension; not part of Camunda's API). */
export interface TaskComment {
	commentId: string;
	author: string;
	body: string;
	createdAt: string;
}

/** `POST /v2/user-tasks/search`. */
export function searchTasks(request: SearchRequest): Promise<SearchPage<UserTask>> {
	return search<UserTask>("/v2/user-tasks/search", request);
}

/** `GET /v2/user-tasks/{key}`. */
export function getTask(key: string): Promise<UserTask> {
	return api<UserTask>(`/v2/user-tasks/${encodeURIComponent(key)}`);
}

/**
 * `GET /v2/user-tasks/{key}/form`: the form-js schema (also accepted wrapped as Camunda's `{schema}` text).
 * Null when the server finds no form for the task (404).
 */
export async function getTaskForm(key: string): Promise<TaskForm | null> {
	try {
		const form = await api<TaskForm | undefined>(`/v2/user-tasks/${encodeURIComponent(key)}/form`);
		if (!form) return null;
		if (typeof form.schema === "string") return JSON.parse(form.schema) as TaskForm;
		if (form.schema && typeof form.schema === "object" && !Array.isArray(form.components))
			return form.schema as TaskForm;
		return form;
	} catch (error) {
		if (error instanceof ApiProblem && error.status === 404 && !error.isMissingRoute) return null;
		throw error;
	}
}

/** `GET /v2/user-tasks/{key}/variables`, as a name → parsed value map. */
export async function getTaskVariables(key: string): Promise<Record<string, unknown>> {
	const answer = await api<{ items: Variable[] }>(`/v2/user-tasks/${encodeURIComponent(key)}/variables`);
	const variables: Record<string, unknown> = {};
	for (const variable of answer.items) {
		try {
			variables[variable.name] = typeof variable.value === "string" ? JSON.parse(variable.value) : variable.value;
		} catch {
			variables[variable.name] = variable.value;
		}
	}
	return variables;
}

/** `POST /v2/user-tasks/{key}/assignment` (claim: assign to oneself). */
export function assignTask(key: string, assignee: string, allowOverride = false): Promise<void> {
	return api(`/v2/user-tasks/${encodeURIComponent(key)}/assignment`, {
		method: "POST",
		body: { assignee, allowOverride },
	});
}

/** `DELETE /v2/user-tasks/{key}/assignee` (unclaim: back to the candidate groups). */
export function unassignTask(key: string): Promise<void> {
	return api(`/v2/user-tasks/${encodeURIComponent(key)}/assignee`, { method: "DELETE" });
}

/** `POST /v2/user-tasks/{key}/completion`. @throws ApiProblem FORM_VALIDATION_FAILED with field errors. */
export function completeTask(key: string, variables: Record<string, unknown>): Promise<void> {
	return api(`/v2/user-tasks/${encodeURIComponent(key)}/completion`, { method: "POST", body: { variables } });
}

/** `GET /v2/user-tasks/{key}/comments` (Mizan extension). */
export async function listComments(key: string): Promise<TaskComment[]> {
	const answer = await api<{ items: TaskComment[] } | TaskComment[]>(
		`/v2/user-tasks/${encodeURIComponent(key)}/comments`,
	);
	return Array.isArray(answer) ? answer : answer.items;
}

/** `POST /v2/user-tasks/{key}/comments` `{body}` (Mizan extension). */
export function addComment(key: string, text: string): Promise<TaskComment | undefined> {
	return api<TaskComment | undefined>(`/v2/user-tasks/${encodeURIComponent(key)}/comments`, {
		method: "POST",
		body: { body: text },
	});
}
