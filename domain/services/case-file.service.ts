import type { FilterQuery } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import {
	type Appeal,
	AppealSchema,
	type CaseOffence,
	CaseOffenceSchema,
	type CaseParty,
	CasePartySchema,
	type CaseRecord,
	CaseRecordSchema,
	type Charge,
	ChargeSchema,
	type CustodyEpisode,
	CustodyEpisodeSchema,
	type DetentionOrder,
	DetentionOrderSchema,
	type EvidenceItem,
	EvidenceItemSchema,
	type ExternalRef,
	ExternalRefSchema,
	type Hearing,
	HearingSchema,
	type Judgment,
	JudgmentSchema,
} from "../entities";
import { DomainError } from "../errors";
import type { CaseStatus } from "../rules/case-states.rule";

/** Everything recorded on one case, for a case screen or a referral document. */
export interface CaseFile {
	caseRecord: CaseRecord;
	parties: CaseParty[];
	offences: CaseOffence[];
	charges: Charge[];
	custodyEpisodes: CustodyEpisode[];
	detentionOrders: DetentionOrder[];
	evidence: EvidenceItem[];
	hearings: Hearing[];
	judgments: Judgment[];
	appeals: Appeal[];
	externalRefs: ExternalRef[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Loads a case by id or case number with all its records (people, offences and the report populated).
 * Access control and masking of SECRET data are the caller's job; this returns everything.
 */
export async function loadCaseFile(em: EntityManager, caseIdOrNumber: string): Promise<CaseFile> {
	const where = UUID.test(caseIdOrNumber) ? { id: caseIdOrNumber } : { caseNumber: caseIdOrNumber };
	const caseRecord = await em.findOne(CaseRecordSchema, where, { populate: ["unit", "report"] });
	if (!caseRecord) throw new DomainError("NOT_FOUND", `Case ${caseIdOrNumber} does not exist`);
	const byCase = { caseRecord };
	// One query after another: inside a transaction (a worker's job) all run on one connection, and pg refuses
	// (deprecated, removed in pg 9) a query sent while another is still running on the same client.
	const parties = await em.find(CasePartySchema, byCase, { populate: ["person"], orderBy: { createdAt: "asc" } });
	const offences = await em.find(CaseOffenceSchema, byCase, { populate: ["offence"], orderBy: { createdAt: "asc" } });
	const custodyEpisodes = await em.find(CustodyEpisodeSchema, byCase, { orderBy: { custodyNumber: "asc" } });
	const evidence = await em.find(EvidenceItemSchema, byCase, { orderBy: { evidenceNumber: "asc" } });
	const hearings = await em.find(HearingSchema, byCase, { orderBy: { scheduledAt: "asc" } });
	const externalRefs = await em.find(ExternalRefSchema, byCase, { orderBy: { createdAt: "asc" } });
	const charges = await em.find(ChargeSchema, { party: { caseRecord } }, { orderBy: { createdAt: "asc" } });
	const detentionOrders = await em.find(
		DetentionOrderSchema,
		{ episode: { caseRecord } },
		{ orderBy: { orderedAt: "asc", createdAt: "asc" } },
	);
	const judgments = await em.find(JudgmentSchema, { charge: { party: { caseRecord } } }, { orderBy: { pronouncedAt: "asc" } });
	const appeals = await em.find(
		AppealSchema,
		{ judgment: { charge: { party: { caseRecord } } } },
		{ orderBy: { filedAt: "asc" } },
	);
	return {
		caseRecord,
		parties,
		offences,
		charges,
		custodyEpisodes,
		detentionOrders,
		evidence,
		hearings,
		judgments,
		appeals,
		externalRefs,
	};
}

/** Filter of {@link findCases}. */
export interface CaseFilter {
	unitCode?: string;
	status?: CaseStatus | CaseStatus[];
	hijriYear?: number;
	/** Cases in which this person is a party (any role). */
	personId?: string;
	openedFrom?: Date;
	openedTo?: Date;
}

/** Cases matching a filter, newest first, with the total for paging. */
export async function findCases(
	em: EntityManager,
	filter: CaseFilter = {},
	page: { limit?: number; offset?: number } = {},
): Promise<{ items: CaseRecord[]; total: number }> {
	const where: FilterQuery<CaseRecord> = {};
	if (filter.unitCode) where.unit = { code: filter.unitCode };
	if (filter.status) where.status = Array.isArray(filter.status) ? { $in: filter.status } : filter.status;
	if (filter.hijriYear) where.hijriYear = filter.hijriYear;
	if (filter.openedFrom || filter.openedTo) {
		where.openedAt = {
			...(filter.openedFrom ? { $gte: filter.openedFrom } : {}),
			...(filter.openedTo ? { $lt: filter.openedTo } : {}),
		};
	}
	if (filter.personId) {
		const parties = await em.find(CasePartySchema, { person: filter.personId }, { fields: ["caseRecord"] });
		where.id = { $in: [...new Set(parties.map((party) => party.caseRecord.id))] };
	}
	const [items, total] = await em.findAndCount(CaseRecordSchema, where, {
		populate: ["unit"],
		orderBy: { openedAt: "desc", caseNumber: "desc" },
		limit: Math.min(page.limit ?? 50, 500),
		offset: page.offset ?? 0,
	});
	return { items, total };
}
