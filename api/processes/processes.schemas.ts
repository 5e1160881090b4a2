import { problemResponses } from "../errors/problem";
import { pageRequestSchema, pageResponseSchema } from "../search/paging";

const keyParams = {
	type: "object",
	properties: { processDefinitionKey: { type: "string", pattern: "^[0-9]{1,19}$" } },
	required: ["processDefinitionKey"],
} as const;

export const processDefinitionSchema = {
	$id: "ProcessDefinition",
	type: "object",
	properties: {
		processDefinitionKey: { type: "string" },
		processDefinitionId: { type: "string" },
		name: { type: ["string", "null"], description: "The process element's name in the BPMN XML" },
		version: { type: "integer" },
		resourceName: { type: "string" },
		tenantId: { type: "string" },
		deploymentKey: { type: ["string", "null"] },
		deployedAt: { type: "string", format: "date-time" },
	},
	required: ["processDefinitionKey", "processDefinitionId", "version", "resourceName", "tenantId", "deployedAt"],
} as const;

export const searchDefinitionsSchema = {
	tags: ["process definitions"],
	summary: "Deployed process definitions, every version, newest first",
	body: {
		type: ["object", "null"],
		additionalProperties: false,
		properties: {
			filter: {
				type: "object",
				additionalProperties: false,
				properties: { processDefinitionId: { type: "string" }, latestOnly: { type: "boolean" } },
			},
			page: pageRequestSchema,
		},
	},
	response: {
		200: {
			type: "object",
			properties: { items: { type: "array", items: { $ref: "ProcessDefinition#" } }, page: pageResponseSchema },
			required: ["items", "page"],
		},
		...problemResponses(501),
	},
} as const;

export const getDefinitionSchema = {
	tags: ["process definitions"],
	summary: "One process definition",
	params: keyParams,
	response: { 200: { $ref: "ProcessDefinition#" }, ...problemResponses(404, 501) },
} as const;

export const getDefinitionXmlSchema = {
	tags: ["process definitions"],
	summary: "The BPMN XML of a process definition",
	params: keyParams,
	produces: ["text/xml"],
	response: { 200: { type: "string" }, ...problemResponses(404, 501) },
} as const;

export const definitionStatisticsSchema = {
	tags: ["process definitions"],
	summary: "Per element: active, completed and canceled element instances and open incidents (diagram overlay)",
	params: keyParams,
	response: {
		200: {
			type: "object",
			properties: {
				items: {
					type: "array",
					items: {
						type: "object",
						properties: {
							elementId: { type: "string" },
							active: { type: "integer" },
							completed: { type: "integer" },
							canceled: { type: "integer" },
							incidents: { type: "integer" },
						},
						required: ["elementId", "active", "completed", "canceled", "incidents"],
					},
				},
			},
			required: ["items"],
		},
		...problemResponses(404, 501),
	},
} as const;
