import { problemResponses } from "../errors/problem";
import { pageRequestSchema, pageResponseSchema, sortRequestSchema } from "../search/paging";

const entrySchema = {
	type: "object",
	properties: {
		seq: { type: "string" },
		occurredAt: { type: "string", format: "date-time" },
		tenantId: { type: ["string", "null"] },
		actorId: { type: ["string", "null"] },
		actorUsername: { type: ["string", "null"] },
		actorRoles: { type: "array", items: { type: "string" } },
		action: { type: "string" },
		entityType: { type: "string" },
		entityId: { type: "string" },
		caseNumber: { type: ["string", "null"] },
		detail: { type: "object", additionalProperties: true },
		clientIp: { type: ["string", "null"] },
		requestId: { type: ["string", "null"] },
		prevHash: { type: "string" },
		hash: { type: "string" },
	},
	required: ["seq", "occurredAt", "action", "entityType", "entityId", "prevHash", "hash"],
} as const;

export const auditSearchSchema = {
	tags: ["audit"],
	summary: "Search the audit log of your tenant (auditors, admins)",
	body: {
		type: "object",
		additionalProperties: false,
		properties: {
			filter: {
				type: "object",
				additionalProperties: false,
				properties: {
					action: { type: "string" },
					actorUsername: { type: "string" },
					entityType: { type: "string" },
					entityId: { type: "string" },
					caseNumber: { type: "string" },
					requestId: { type: "string" },
					occurredAfter: { type: "string", format: "date-time" },
					occurredBefore: { type: "string", format: "date-time" },
				},
			},
			sort: sortRequestSchema(["seq", "occurredAt", "action"]),
			page: pageRequestSchema,
		},
	},
	response: {
		200: {
			type: "object",
			properties: { items: { type: "array", items: entrySchema }, page: pageResponseSchema },
			required: ["items", "page"],
		},
		...problemResponses(),
	},
} as const;

export const auditVerificationSchema = {
	tags: ["audit"],
	summary: "Re-check every hash of the audit chain; lists edited and deleted entries",
	response: {
		200: {
			type: "object",
			properties: {
				valid: { type: "boolean" },
				entriesChecked: { type: "integer" },
				headSeq: { type: "string" },
				problems: {
					type: "array",
					items: {
						type: "object",
						properties: { seq: { type: "string" }, reason: { type: "string" } },
						required: ["seq", "reason"],
					},
				},
			},
			required: ["valid", "entriesChecked", "headSeq", "problems"],
		},
		...problemResponses(),
	},
} as const;
