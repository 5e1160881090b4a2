import { problemResponses } from "../errors/problem";
import { pageRequestSchema, pageResponseSchema } from "../search/paging";

const key = { type: "string", pattern: "^[0-9]{1,19}$" } as const;
const keyParams = {
	type: "object",
	properties: { processInstanceKey: key },
	required: ["processInstanceKey"],
} as const;
const noContent = { 204: { type: "null", description: "Done" } } as const;
const dateRange = {
	type: "object",
	additionalProperties: false,
	properties: { from: { type: "string", format: "date-time" }, to: { type: "string", format: "date-time" } },
} as const;

export const processInstanceSchema = {
	$id: "ProcessInstance",
	type: "object",
	properties: {
		processInstanceKey: { type: "string" },
		processDefinitionKey: { type: "string" },
		processDefinitionId: { type: "string" },
		processDefinitionVersion: { type: "integer" },
		state: { type: "string", enum: ["ACTIVE", "COMPLETED", "TERMINATED"] },
		startDate: { type: "string", format: "date-time" },
		endDate: { type: ["string", "null"], format: "date-time" },
		hasIncident: { type: "boolean" },
		parentProcessInstanceKey: { type: ["string", "null"] },
		parentElementInstanceKey: { type: ["string", "null"] },
		tenantId: { type: "string" },
	},
	required: [
		"processInstanceKey",
		"processDefinitionKey",
		"processDefinitionId",
		"processDefinitionVersion",
		"state",
		"startDate",
		"hasIncident",
		"tenantId",
	],
} as const;

export const instanceFilterSchema = {
	type: "object",
	additionalProperties: false,
	properties: {
		processDefinitionId: { type: "string" },
		processDefinitionKey: key,
		state: { type: "string", enum: ["ACTIVE", "COMPLETED", "TERMINATED"] },
		hasIncident: { type: "boolean" },
		startDate: dateRange,
		parentProcessInstanceKey: key,
		caseNumber: { type: "string", description: "The instance's `caseNumber` variable (its business key)" },
		variables: {
			type: "array",
			maxItems: 20,
			description:
				"Instances holding every one of these variables (AND; any scope); value is JSON text, plain text when it does not parse",
			items: {
				type: "object",
				additionalProperties: false,
				properties: { name: { type: "string", minLength: 1 }, value: { type: "string" } },
				required: ["name", "value"],
			},
		},
	},
} as const;

export const createInstanceSchema = {
	tags: ["process instances"],
	summary: "Start a process instance, with the case number as its business key",
	body: {
		type: "object",
		additionalProperties: false,
		properties: {
			processDefinitionId: { type: "string", minLength: 1 },
			version: { type: "integer", minimum: 1 },
			caseNumber: { type: "string", minLength: 1, maxLength: 64 },
			variables: { type: "object", additionalProperties: true },
		},
		required: ["processDefinitionId"],
	},
	response: {
		200: {
			type: "object",
			properties: {
				processInstanceKey: { type: "string" },
				processDefinitionKey: { type: "string" },
				processDefinitionId: { type: "string" },
				processDefinitionVersion: { type: "integer" },
			},
			required: ["processInstanceKey", "processDefinitionKey", "processDefinitionId", "processDefinitionVersion"],
		},
		...problemResponses(404, 409, 503),
	},
} as const;

export const searchInstancesSchema = {
	tags: ["process instances"],
	summary: "Search process instances, newest first",
	body: {
		type: ["object", "null"],
		additionalProperties: false,
		properties: { filter: instanceFilterSchema, page: pageRequestSchema },
	},
	response: {
		200: {
			type: "object",
			properties: { items: { type: "array", items: { $ref: "ProcessInstance#" } }, page: pageResponseSchema },
			required: ["items", "page"],
		},
		...problemResponses(501),
	},
} as const;

export const exportInstancesSchema = {
	tags: ["process instances"],
	summary: "The instances of a search as CSV (up to 10,000 rows); audited as an export",
	body: { type: ["object", "null"], additionalProperties: false, properties: { filter: instanceFilterSchema } },
	produces: ["text/csv"],
	response: { 200: { type: "string" }, ...problemResponses(501) },
} as const;

export const getInstanceSchema = {
	tags: ["process instances"],
	summary: "One process instance with its element instances, variables and incidents",
	params: keyParams,
	response: {
		200: {
			type: "object",
			required: processInstanceSchema.required,
			properties: {
				...processInstanceSchema.properties,
				elementInstances: { type: "array", items: { type: "object", additionalProperties: true } },
				variables: {
					type: "array",
					items: {
						type: "object",
						properties: { name: { type: "string" }, value: { type: "string" }, scopeKey: { type: "string" } },
					},
				},
				incidents: { type: "array", items: { type: "object", additionalProperties: true } },
			},
		},
		...problemResponses(404, 501),
	},
} as const;

export const cancelInstanceSchema = {
	tags: ["process instances"],
	summary: "Cancel a process instance",
	params: keyParams,
	response: { ...noContent, ...problemResponses(404, 409, 503) },
} as const;

export const batchCancelSchema = {
	tags: ["process instances"],
	summary: "Cancel every active instance matching a filter (up to 1,000); answers per instance",
	body: {
		type: "object",
		additionalProperties: false,
		properties: { filter: instanceFilterSchema },
		required: ["filter"],
	},
	response: {
		200: {
			type: "object",
			properties: {
				items: {
					type: "array",
					items: {
						type: "object",
						properties: {
							processInstanceKey: { type: "string" },
							status: { type: "string", enum: ["CANCELED", "FAILED"] },
							detail: { type: "string" },
						},
						required: ["processInstanceKey", "status"],
					},
				},
			},
			required: ["items"],
		},
		...problemResponses(501),
	},
} as const;

export const setVariablesSchema = {
	tags: ["process instances"],
	summary: "Set variables on an element instance (a process instance key for its root scope)",
	params: { type: "object", properties: { elementInstanceKey: key }, required: ["elementInstanceKey"] },
	body: {
		type: "object",
		additionalProperties: false,
		properties: {
			variables: { type: "object", minProperties: 1, additionalProperties: true },
			local: { type: "boolean", default: false },
		},
		required: ["variables"],
	},
	response: { ...noContent, ...problemResponses(404, 409, 503) },
} as const;
