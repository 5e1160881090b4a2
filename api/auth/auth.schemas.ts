import { problemResponses } from "../errors/problem";

export const principalSchema = {
	type: "object",
	properties: {
		userId: { type: "string" },
		username: { type: "string" },
		displayName: { type: "string" },
		roles: { type: "array", items: { type: "string" } },
		groups: { type: "array", items: { type: "string" } },
		tenantId: { type: "string" },
	},
	required: ["userId", "username", "displayName", "roles", "groups", "tenantId"],
} as const;

export const loginSchema = {
	tags: ["auth"],
	summary: "Sign in with a username and password; answers a short-lived bearer token",
	security: [],
	body: {
		type: "object",
		additionalProperties: false,
		properties: {
			username: { type: "string", minLength: 1, maxLength: 128 },
			password: { type: "string", minLength: 1, maxLength: 1024 },
		},
		required: ["username", "password"],
	},
	response: {
		200: {
			type: "object",
			properties: { token: { type: "string" }, tokenType: { type: "string" }, expiresIn: { type: "integer" } },
			required: ["token", "tokenType", "expiresIn"],
		},
		...problemResponses(),
	},
} as const;

export const meSchema = {
	tags: ["auth"],
	summary: "The signed-in user: roles, groups and tenant",
	response: { 200: principalSchema, ...problemResponses() },
} as const;
