import { problemResponses } from "../errors/problem";
import { pageResponseSchema } from "../search/paging";
import { userTaskFilterSchema, userTaskSortSchema } from "../tasks/user-tasks.schemas";

const idParams = {
	type: "object",
	properties: { filterId: { type: "string", format: "uuid" } },
	required: ["filterId"],
} as const;

export const savedFilterSchema = {
	type: "object",
	properties: {
		filterId: { type: "string" },
		name: { type: "string" },
		owner: { type: "string" },
		filter: { type: "object", additionalProperties: true },
		sort: { type: "array", items: { type: "object", additionalProperties: true } },
		sharedWithGroup: { type: ["string", "null"] },
		createdAt: { type: "string", format: "date-time" },
	},
	required: ["filterId", "name", "owner", "filter", "sort", "sharedWithGroup", "createdAt"],
} as const;

export const createSavedFilterSchema = {
	tags: ["user task filters"],
	summary: "Save a task-list filter, private or shared with one of your groups",
	body: {
		type: "object",
		additionalProperties: false,
		properties: {
			name: { type: "string", minLength: 1, maxLength: 200 },
			filter: userTaskFilterSchema,
			sort: userTaskSortSchema,
			sharedWithGroup: { type: ["string", "null"], minLength: 1, maxLength: 128 },
		},
		required: ["name", "filter"],
	},
	response: { 201: savedFilterSchema, ...problemResponses() },
} as const;

export const searchSavedFiltersSchema = {
	tags: ["user task filters"],
	summary: "Your saved filters and those shared with your groups",
	body: { type: ["object", "null"], additionalProperties: false, properties: {} },
	response: {
		200: {
			type: "object",
			properties: { items: { type: "array", items: savedFilterSchema }, page: pageResponseSchema },
			required: ["items", "page"],
		},
		...problemResponses(),
	},
} as const;

export const getSavedFilterSchema = {
	tags: ["user task filters"],
	summary: "One saved filter",
	params: idParams,
	response: { 200: savedFilterSchema, ...problemResponses(404) },
} as const;

export const deleteSavedFilterSchema = {
	tags: ["user task filters"],
	summary: "Delete a saved filter you own",
	params: idParams,
	response: { 204: { type: "null" }, ...problemResponses(404) },
} as const;
