import { problemResponses } from "../errors/problem";
import { pageRequestSchema, pageResponseSchema } from "../search/paging";

const anyObject = { type: "object", additionalProperties: true } as const;
const objects = { type: "array", items: anyObject } as const;

export const caseSummarySchema = {
	$id: "CaseSummary",
	type: "object",
	properties: {
		caseId: { type: "string" },
		caseNumber: { type: "string" },
		unitCode: { type: "string" },
		status: { type: "string" },
		classification: { type: "string" },
		titleAr: { type: ["string", "null"] },
		titleEn: { type: ["string", "null"] },
		openedAt: { type: "string", format: "date-time" },
		closedAt: { type: ["string", "null"], format: "date-time" },
		dismissalReason: { type: ["string", "null"], description: "Why the PP dismissed (حفظ), e.g. PRIVATE_RIGHT_WAIVED" },
	},
	required: ["caseId", "caseNumber", "unitCode", "status", "classification", "openedAt"],
} as const;

export const searchCasesSchema = {
	tags: ["cases"],
	summary: "Cases of your units (every unit for admins) up to your clearance, newest first",
	body: {
		type: ["object", "null"],
		additionalProperties: false,
		properties: {
			filter: {
				type: "object",
				additionalProperties: false,
				properties: {
					unitCode: { type: "string" },
					status: { type: "string" },
					caseNumber: { type: "string" },
					openedAt: {
						type: "object",
						additionalProperties: false,
						properties: { from: { type: "string", format: "date-time" }, to: { type: "string", format: "date-time" } },
					},
				},
			},
			page: pageRequestSchema,
		},
	},
	response: {
		200: {
			type: "object",
			properties: { items: { type: "array", items: { $ref: "CaseSummary#" } }, page: pageResponseSchema },
			required: ["items", "page"],
		},
		...problemResponses(501),
	},
} as const;

export const getCaseFileSchema = {
	tags: ["cases"],
	summary:
		"The whole case file (parties, offences, charges, custody with deadlines, evidence, hearings, judgments, timeline); audited",
	params: {
		type: "object",
		properties: { caseNumber: { type: "string", pattern: "^[A-Za-z0-9-]{3,64}$" } },
		required: ["caseNumber"],
	},
	response: {
		200: {
			type: "object",
			properties: {
				case: { $ref: "CaseSummary#" },
				parties: objects,
				offences: objects,
				charges: objects,
				custodyEpisodes: objects,
				detentionOrders: objects,
				evidence: objects,
				hearings: objects,
				judgments: objects,
				appeals: objects,
				externalRefs: objects,
				timeline: {
					type: "object",
					properties: { processInstances: objects, userTasks: objects },
					required: ["processInstances", "userTasks"],
				},
			},
			required: [
				"case",
				"parties",
				"offences",
				"charges",
				"custodyEpisodes",
				"evidence",
				"hearings",
				"judgments",
				"timeline",
			],
		},
		...problemResponses(404, 501),
	},
} as const;
