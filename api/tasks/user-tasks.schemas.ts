import { problemResponses } from "../errors/problem";
import { pageRequestSchema, pageResponseSchema, sortRequestSchema } from "../search/paging";
import { userTaskSortFields } from "./user-task-search";

const keyParams = {
	type: "object",
	properties: { userTaskKey: { type: "string", pattern: "^[0-9]{1,19}$" } },
	required: ["userTaskKey"],
} as const;

const nullableDateTime = { type: ["string", "null"], format: "date-time" } as const;
const stringList = { type: "array", items: { type: "string", minLength: 1, maxLength: 200 }, maxItems: 50 } as const;
const dateRange = {
	type: "object",
	additionalProperties: false,
	properties: { from: { type: "string", format: "date-time" }, to: { type: "string", format: "date-time" } },
} as const;

export const userTaskSchema = {
	$id: "UserTask",
	type: "object",
	properties: {
		userTaskKey: { type: "string" },
		name: { type: "string" },
		state: { type: "string", enum: ["CREATED", "COMPLETED", "CANCELED"] },
		assignee: { type: ["string", "null"] },
		elementId: { type: "string" },
		elementInstanceKey: { type: "string" },
		candidateGroups: { type: "array", items: { type: "string" } },
		candidateUsers: { type: "array", items: { type: "string" } },
		processDefinitionId: { type: "string" },
		processDefinitionKey: { type: "string" },
		processDefinitionVersion: { type: "integer" },
		processInstanceKey: { type: "string" },
		caseNumber: { type: ["string", "null"] },
		formKey: { type: ["string", "null"] },
		creationDate: { type: "string", format: "date-time" },
		completionDate: nullableDateTime,
		dueDate: nullableDateTime,
		followUpDate: nullableDateTime,
		priority: { type: "integer" },
		tenantId: { type: "string" },
		customHeaders: { type: "object", additionalProperties: { type: "string" } },
	},
	required: ["userTaskKey", "name", "state", "elementId", "processInstanceKey", "creationDate", "priority", "tenantId"],
} as const;

export const userTaskFilterSchema = {
	type: "object",
	additionalProperties: false,
	properties: {
		state: { type: "string", enum: ["CREATED", "COMPLETED", "CANCELED"] },
		assignee: { type: "string" },
		assigned: { type: "boolean" },
		candidateGroup: { type: "string" },
		candidateGroups: stringList,
		candidateUser: { type: "string" },
		candidateUsers: stringList,
		processDefinitionId: { type: "string" },
		processDefinitionKey: { type: "string" },
		elementId: { type: "string" },
		processInstanceKey: { type: "string" },
		caseNumber: { type: "string" },
		dueDate: dateRange,
		followUpDate: dateRange,
		creationDate: dateRange,
		priority: {
			anyOf: [
				{ type: "integer", minimum: 0, maximum: 100 },
				{
					type: "object",
					additionalProperties: false,
					properties: {
						gte: { type: "integer" },
						gt: { type: "integer" },
						lte: { type: "integer" },
						lt: { type: "integer" },
					},
				},
			],
		},
		variables: {
			type: "array",
			maxItems: 20,
			items: {
				type: "object",
				additionalProperties: false,
				properties: {
					name: { type: "string", minLength: 1 },
					value: { type: "string", description: 'JSON text, e.g. "\\"RUH-OLY\\"" or 42' },
				},
				required: ["name", "value"],
			},
		},
	},
} as const;

export const userTaskSortSchema = sortRequestSchema(userTaskSortFields);

export const searchUserTasksSchema = {
	tags: ["user tasks"],
	summary: "Search the user tasks visible to you",
	body: {
		type: "object",
		additionalProperties: false,
		properties: { filter: userTaskFilterSchema, sort: userTaskSortSchema, page: pageRequestSchema },
	},
	response: {
		200: {
			type: "object",
			properties: { items: { type: "array", items: { $ref: "UserTask#" } }, page: pageResponseSchema },
			required: ["items", "page"],
		},
		...problemResponses(),
	},
} as const;

export const getUserTaskSchema = {
	tags: ["user tasks"],
	summary: "One user task",
	params: keyParams,
	response: { 200: { $ref: "UserTask#" }, ...problemResponses(404) },
} as const;

export const getUserTaskVariablesSchema = {
	tags: ["user tasks"],
	summary: "The task's variables as of its creation (values as JSON text)",
	params: keyParams,
	response: {
		200: {
			type: "object",
			properties: {
				items: {
					type: "array",
					items: {
						type: "object",
						properties: { name: { type: "string" }, value: { type: "string" } },
						required: ["name", "value"],
					},
				},
			},
			required: ["items"],
		},
		...problemResponses(404),
	},
} as const;

export const getUserTaskFormSchema = {
	tags: ["user tasks"],
	summary: "The task's Camunda Form (form-js JSON)",
	params: keyParams,
	response: { 200: { type: "object", additionalProperties: true }, ...problemResponses(404) },
} as const;

const noContent = { 204: { type: "null", description: "Done" } } as const;

export const assignUserTaskSchema = {
	tags: ["user tasks"],
	summary: "Assign the task: to yourself (claim), or to anyone (supervisors)",
	params: keyParams,
	body: {
		type: "object",
		additionalProperties: false,
		properties: {
			assignee: { type: "string", minLength: 1, maxLength: 128 },
			allowOverride: {
				type: "boolean",
				default: true,
				description: "Take over a task assigned to someone else (supervisors)",
			},
			action: { type: "string" },
		},
		required: ["assignee"],
	},
	response: { ...noContent, ...problemResponses(404, 409) },
} as const;

export const unassignUserTaskSchema = {
	tags: ["user tasks"],
	summary: "Unassign the task (yourself, or anyone's task for supervisors)",
	params: keyParams,
	response: { ...noContent, ...problemResponses(404, 409) },
} as const;

export const updateUserTaskSchema = {
	tags: ["user tasks"],
	summary: "Change due date, follow-up date, candidate groups and users, priority (supervisors)",
	params: keyParams,
	body: {
		type: "object",
		additionalProperties: false,
		properties: {
			changeset: {
				type: "object",
				additionalProperties: false,
				minProperties: 1,
				properties: {
					dueDate: nullableDateTime,
					followUpDate: nullableDateTime,
					candidateGroups: stringList,
					candidateUsers: stringList,
					priority: { type: "integer", minimum: 0, maximum: 100 },
				},
			},
			action: { type: "string" },
		},
		required: ["changeset"],
	},
	response: { ...noContent, ...problemResponses(404, 409) },
} as const;

export const completeUserTaskSchema = {
	tags: ["user tasks"],
	summary: "Complete the task with the form's variables; completes its job in the engine",
	params: keyParams,
	body: {
		type: ["object", "null"],
		additionalProperties: false,
		properties: { variables: { type: "object", additionalProperties: true }, action: { type: "string" } },
	},
	response: { ...noContent, ...problemResponses(404, 409, 503) },
} as const;

const commentSchema = {
	type: "object",
	properties: {
		commentId: { type: "string" },
		userTaskKey: { type: "string" },
		author: { type: "string" },
		body: { type: "string" },
		createdAt: { type: "string", format: "date-time" },
	},
	required: ["commentId", "userTaskKey", "author", "body", "createdAt"],
} as const;

export const addCommentSchema = {
	tags: ["user tasks"],
	summary: "Comment on a task",
	params: keyParams,
	body: {
		type: "object",
		additionalProperties: false,
		properties: { body: { type: "string", minLength: 1, maxLength: 4000 } },
		required: ["body"],
	},
	response: { 201: commentSchema, ...problemResponses(404) },
} as const;

export const listCommentsSchema = {
	tags: ["user tasks"],
	summary: "The task's comments, oldest first",
	params: keyParams,
	response: {
		200: { type: "object", properties: { items: { type: "array", items: commentSchema } }, required: ["items"] },
		...problemResponses(404),
	},
} as const;
