import { problemResponses } from "../errors/problem";
import { pageRequestSchema, pageResponseSchema } from "../search/paging";

const key = { type: "string", pattern: "^[0-9]{1,19}$" } as const;

export const incidentSchema = {
	$id: "Incident",
	type: "object",
	properties: {
		incidentKey: { type: "string" },
		state: { type: "string", enum: ["ACTIVE", "RESOLVED"] },
		errorType: { type: "string" },
		errorMessage: { type: "string" },
		processInstanceKey: { type: "string" },
		processDefinitionKey: { type: "string" },
		processDefinitionId: { type: "string" },
		elementId: { type: "string" },
		elementInstanceKey: { type: "string" },
		jobKey: { type: ["string", "null"] },
		creationTime: { type: "string", format: "date-time" },
		resolvedAt: { type: ["string", "null"], format: "date-time" },
	},
	required: ["incidentKey", "state", "errorType", "errorMessage", "processInstanceKey", "elementId", "creationTime"],
} as const;

export const incidentFilterSchema = {
	type: "object",
	additionalProperties: false,
	properties: {
		processInstanceKey: key,
		processDefinitionKey: key,
		processDefinitionId: { type: "string" },
		state: { type: "string", enum: ["ACTIVE", "RESOLVED"] },
		errorType: { type: "string" },
	},
} as const;

export const searchIncidentsSchema = {
	tags: ["incidents"],
	summary: "Search incidents, newest first",
	body: {
		type: ["object", "null"],
		additionalProperties: false,
		properties: { filter: incidentFilterSchema, page: pageRequestSchema },
	},
	response: {
		200: {
			type: "object",
			properties: { items: { type: "array", items: { $ref: "Incident#" } }, page: pageResponseSchema },
			required: ["items", "page"],
		},
		...problemResponses(501),
	},
} as const;

export const getIncidentSchema = {
	tags: ["incidents"],
	summary: "One incident",
	params: { type: "object", properties: { incidentKey: key }, required: ["incidentKey"] },
	response: { 200: { $ref: "Incident#" }, ...problemResponses(404, 501) },
} as const;

const retries = {
	type: "integer",
	minimum: 1,
	maximum: 100,
	description: "New retries for the incident's job (job incidents)",
} as const;

export const resolveIncidentSchema = {
	tags: ["incidents"],
	summary: "Resolve an incident; for a job incident, give its job new retries first",
	params: { type: "object", properties: { incidentKey: key }, required: ["incidentKey"] },
	body: { type: ["object", "null"], additionalProperties: false, properties: { retries } },
	response: { 204: { type: "null" }, ...problemResponses(404, 409, 501, 503) },
} as const;

export const batchResolveSchema = {
	tags: ["incidents"],
	summary: "Resolve every active incident matching a filter (up to 1,000), with job retries; answers per incident",
	body: {
		type: "object",
		additionalProperties: false,
		properties: { filter: incidentFilterSchema, retries },
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
							incidentKey: { type: "string" },
							status: { type: "string", enum: ["RESOLVED", "FAILED"] },
							detail: { type: "string" },
						},
						required: ["incidentKey", "status"],
					},
				},
			},
			required: ["items"],
		},
		...problemResponses(501),
	},
} as const;

export const batchCancelIncidentsSchema = {
	tags: ["incidents"],
	summary:
		"Cancel the process instances of every active incident matching a filter (up to 1,000 incidents); answers per incident",
	body: {
		type: "object",
		additionalProperties: false,
		properties: { filter: incidentFilterSchema },
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
							incidentKey: { type: "string" },
							processInstanceKey: { type: "string" },
							status: { type: "string", enum: ["CANCELED", "FAILED"] },
							detail: { type: "string" },
						},
						required: ["incidentKey", "processInstanceKey", "status"],
					},
				},
			},
			required: ["items"],
		},
		...problemResponses(501),
	},
} as const;
