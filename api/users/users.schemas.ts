import { roles } from "../auth/permissions";
import { problemResponses } from "../errors/problem";
import { pageResponseSchema } from "../search/paging";

export const userSchema = {
	type: "object",
	properties: {
		userId: { type: "string" },
		username: { type: "string" },
		displayName: { type: "string" },
		roles: { type: "array", items: { type: "string" } },
		groups: { type: "array", items: { type: "string" } },
		tenantId: { type: "string" },
		disabled: { type: "boolean" },
	},
	required: ["userId", "username", "displayName", "roles", "groups", "tenantId", "disabled"],
} as const;

export const createUserSchema = {
	tags: ["users"],
	summary: "Create a user in your tenant (admins)",
	body: {
		type: "object",
		additionalProperties: false,
		properties: {
			username: { type: "string", pattern: "^[a-z0-9._-]{2,64}$" },
			displayName: { type: "string", minLength: 1, maxLength: 200 },
			password: { type: "string", minLength: 12, maxLength: 1024 },
			roles: { type: "array", minItems: 1, uniqueItems: true, items: { type: "string", enum: roles } },
			groups: {
				type: "array",
				uniqueItems: true,
				items: { type: "string", pattern: "^[A-Za-z0-9._:-]{1,128}$" },
				default: [],
			},
		},
		required: ["username", "password", "roles"],
	},
	response: { 201: userSchema, ...problemResponses(409) },
} as const;

export const searchUsersSchema = {
	tags: ["users"],
	summary: "Users of your tenant (supervisors, admins)",
	body: {
		type: "object",
		additionalProperties: false,
		properties: {
			filter: {
				type: "object",
				additionalProperties: false,
				properties: { role: { type: "string" }, group: { type: "string" } },
			},
		},
	},
	response: {
		200: {
			type: "object",
			properties: { items: { type: "array", items: userSchema }, page: pageResponseSchema },
			required: ["items", "page"],
		},
		...problemResponses(),
	},
} as const;

export const updateUserSchema = {
	tags: ["users"],
	summary: "Change a user's roles, groups, display name, password or disabled flag (admins; own tenant)",
	params: {
		type: "object",
		properties: { username: { type: "string", pattern: "^[a-z0-9._-]{2,64}$" } },
		required: ["username"],
	},
	body: {
		type: "object",
		additionalProperties: false,
		minProperties: 1,
		properties: {
			displayName: { type: "string", minLength: 1, maxLength: 200 },
			password: { type: "string", minLength: 12, maxLength: 1024 },
			roles: { type: "array", minItems: 1, uniqueItems: true, items: { type: "string", enum: roles } },
			groups: { type: "array", uniqueItems: true, items: { type: "string", pattern: "^[A-Za-z0-9._:-]{1,128}$" } },
			disabled: { type: "boolean" },
		},
	},
	response: { 200: userSchema, ...problemResponses(404) },
} as const;
