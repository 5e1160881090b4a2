import { LockMode } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import {
	CasePartySchema,
	type CustodyEpisode,
	CustodyEpisodeSchema,
	type DetentionOrder,
	DetentionOrderSchema,
	type FACILITY_TYPES,
} from "../entities";
import { DomainError } from "../errors";
import { formatChildId } from "../rules/case-number.rule";
import { CUSTODY_MACHINE, type CustodyStatus } from "../rules/case-states.rule";
import {
	checkExtension,
	computeCustodyDeadlines,
	type DetentionAuthority,
	LEGAL_CLOCKS,
	type LegalClockRules,
	legalClockRules,
	elapsedDays,
} from "../rules/legal-clock.rule";
import { assertTransition } from "../rules/state-machine.rule";
import { lockCase } from "./case.service";
import { findByIdempotencyKey } from "./idempotency";

/** Input of {@link openCustodyEpisode}. */
export interface OpenCustodyInput {
	caseId: string;
	partyId: string;
	arrestedAt: Date;
	/**
	 * Referral to the PP, for laws whose detention counts from it (CTL-1439). Ignored under laws that
	 * count from the arrest. @default arrestedAt
	 */
	referredToPpAt?: Date;
	inFlagrante: boolean;
	arrestPlace?: string;
	/** Key of the legal clock table. @default "LCP-1435" */
	governingLaw?: string;
	facilityType?: (typeof FACILITY_TYPES)[number];
	/** The job key: a redelivery returns the episode opened the first time. */
	idempotencyKey?: string;
}

/** Where the clock durations come from; tests and demos pass a compressed table. */
export interface ClockOptions {
	clocks?: Readonly<Record<string, LegalClockRules>>;
}

/**
 * Opens a custody episode (`…/C01`) for a suspect or accused at arrest, status HELD_BY_POLICE, with its
 * clocks computed from the legal clock table: police hold (24 h), initial detention (5 days), caps.
 * A juvenile goes to an observation home, never a police cell (domain.md §1.5).
 */
export async function openCustodyEpisode(
	em: EntityManager,
	input: OpenCustodyInput,
	options: ClockOptions = {},
): Promise<CustodyEpisode> {
	const rules = legalClockRules(input.governingLaw ?? "LCP-1435", options.clocks ?? LEGAL_CLOCKS);
	return em.transactional(async (tx) => {
		const caseRecord = await lockCase(tx, input.caseId);
		const previous = await findByIdempotencyKey(tx, CustodyEpisodeSchema, input.idempotencyKey);
		if (previous) return previous;
		const party = await tx.findOne(CasePartySchema, input.partyId);
		if (!party || party.caseRecord.id !== caseRecord.id) {
			throw new DomainError("NOT_FOUND", `Party ${input.partyId} is not a party of case ${caseRecord.caseNumber}`);
		}
		if (party.role !== "SUSPECT" && party.role !== "ACCUSED") {
			throw new DomainError(
				"INVALID_ARGUMENT",
				`Only a SUSPECT or ACCUSED can be taken into custody; the party is ${party.role}`,
			);
		}
		const open = await tx.count(CustodyEpisodeSchema, {
			party,
			status: { $nin: ["RELEASED", "CONVICTED_TRANSFERRED_TO_PRISON"] },
		});
		if (open > 0) {
			throw new DomainError(
				"ALREADY_EXISTS",
				`The party already has an open custody episode in case ${caseRecord.caseNumber}`,
			);
		}
		const detentionAnchorAt =
			rules.detentionAnchor === "ARREST" ? input.arrestedAt : (input.referredToPpAt ?? input.arrestedAt);
		const deadlines = computeCustodyDeadlines(rules, input.arrestedAt, detentionAnchorAt);
		caseRecord.custodyCount += 1;
		const facilityType = party.isJuvenile ? "JUVENILE_OBSERVATION_HOME" : (input.facilityType ?? "POLICE_STATION");
		const episode = tx.create(CustodyEpisodeSchema, {
			custodyNumber: formatChildId(caseRecord.caseNumber, "C", caseRecord.custodyCount),
			caseRecord,
			party,
			status: assertTransition(CUSTODY_MACHINE, "ARRESTED", "HELD_BY_POLICE"),
			governingLaw: rules.governingLaw,
			arrestedAt: input.arrestedAt,
			detentionAnchorAt,
			arrestPlace: input.arrestPlace ?? null,
			inFlagrante: input.inFlagrante,
			policeHoldDeadline: deadlines.policeHoldDeadline,
			detentionExpiresAt: deadlines.detentionExpiresAt,
			branchCapAt: deadlines.branchCapAt,
			attorneyGeneralCapAt: deadlines.attorneyGeneralCapAt,
			facilityType,
			idempotencyKey: input.idempotencyKey ?? null,
		});
		await tx.flush();
		return episode;
	});
}

/** Fields of an order as received from the PP or a court. */
export interface OrderInput {
	orderedAt: Date;
	orderNumber?: string;
	reasons?: string;
	/** The job key: an order already recorded with it is not applied again. */
	idempotencyKey?: string;
}

/**
 * Records the investigator's written order, which ends the police hold (the 24 h clock) and hands the
 * person to the investigator.
 */
export async function recordInvestigatorOrder(
	em: EntityManager,
	episodeId: string,
	order: OrderInput,
): Promise<CustodyEpisode> {
	return withEpisode(em, episodeId, order.idempotencyKey, async (tx, episode) => {
		assertTransition(CUSTODY_MACHINE, episode.status, "TRANSFERRED_TO_INVESTIGATOR", episode.custodyNumber);
		episode.status = "TRANSFERRED_TO_INVESTIGATOR";
		episode.investigatorOrderAt = order.orderedAt;
		addOrder(tx, episode, "HOLD_ORDER", "INVESTIGATOR", order, null, null);
	});
}

/**
 * Records the initial detention order. Its expiry is counted from the arrest, not the order date
 * (Art. 113), so it is the `detentionExpiresAt` computed at arrest.
 */
export async function recordDetentionOrder(
	em: EntityManager,
	episodeId: string,
	order: OrderInput,
	options: ClockOptions = {},
): Promise<CustodyEpisode> {
	return withEpisode(em, episodeId, order.idempotencyKey, async (tx, episode) => {
		assertTransition(CUSTODY_MACHINE, episode.status, "DETAINED", episode.custodyNumber);
		const rules = legalClockRules(episode.governingLaw, options.clocks ?? LEGAL_CLOCKS);
		const cumulative = elapsedDays(episode.detentionAnchorAt, episode.detentionExpiresAt);
		if (cumulative > rules.initialDetentionDays) {
			throw new DomainError(
				"RULE_VIOLATION",
				`Initial detention may last ${rules.initialDetentionDays} days from arrest`,
			);
		}
		episode.status = "DETAINED";
		addOrder(tx, episode, "INITIAL_DETENTION", "INVESTIGATOR", order, episode.detentionExpiresAt, cumulative);
	});
}

/** An extension order: new expiry and who ordered it. */
export interface ExtensionInput extends OrderInput {
	newExpiresAt: Date;
	authority: Exclude<DetentionAuthority, "INVESTIGATOR">;
	/** A court extension must be reasoned. */
	reasoned?: boolean;
}

/**
 * Records a detention extension after checking the cumulative limits of the governing law (branch head
 * ≤ 40 days from arrest, AG periods ≤ 30 days up to 180, then court only). A refused extension throws
 * a RULE_VIOLATION DomainError whose `details.problems` lists every violated limit.
 */
export async function recordExtension(
	em: EntityManager,
	episodeId: string,
	extension: ExtensionInput,
	options: ClockOptions = {},
): Promise<CustodyEpisode> {
	return withEpisode(em, episodeId, extension.idempotencyKey, async (tx, episode) => {
		assertTransition(CUSTODY_MACHINE, episode.status, "EXTENDED", episode.custodyNumber);
		const rules = legalClockRules(episode.governingLaw, options.clocks ?? LEGAL_CLOCKS);
		const check = checkExtension(rules, {
			anchorAt: episode.detentionAnchorAt,
			currentExpiresAt: episode.detentionExpiresAt,
			newExpiresAt: extension.newExpiresAt,
			authority: extension.authority,
			reasoned: extension.reasoned ?? !!extension.reasons,
		});
		if (!check.allowed) {
			throw new DomainError(
				"RULE_VIOLATION",
				`Extension of ${episode.custodyNumber} refused: ${check.problems.join("; ")}`,
				{ ...check },
			);
		}
		episode.status = "EXTENDED";
		episode.detentionExpiresAt = extension.newExpiresAt;
		const kind = extension.authority === "COURT" ? "COURT_EXTENSION" : "EXTENSION";
		addOrder(tx, episode, kind, extension.authority, extension, extension.newExpiresAt, check.cumulativeDays);
	});
}

/** Records a release (at the 24 h limit, on undertaking or guarantee, or at the end of detention). */
export async function releaseFromCustody(
	em: EntityManager,
	episodeId: string,
	release: OrderInput & { authority: DetentionAuthority; conditions?: string },
): Promise<CustodyEpisode> {
	return withEpisode(em, episodeId, release.idempotencyKey, async (tx, episode) => {
		assertTransition(CUSTODY_MACHINE, episode.status, "RELEASED", episode.custodyNumber);
		episode.status = "RELEASED";
		episode.releasedAt = release.orderedAt;
		episode.releaseConditions = release.conditions ?? null;
		addOrder(tx, episode, "RELEASE", release.authority, release, null, null);
	});
}

/** Any other custody move (referral to court in custody, transfer to prison). */
export async function transitionCustody(
	em: EntityManager,
	episodeId: string,
	to: CustodyStatus,
): Promise<CustodyEpisode> {
	return withEpisode(em, episodeId, undefined, async (_tx, episode) => {
		assertTransition(CUSTODY_MACHINE, episode.status, to, episode.custodyNumber);
		episode.status = to;
	});
}

/** The orders of an episode, oldest first. */
export async function detentionOrdersOf(em: EntityManager, episodeId: string): Promise<DetentionOrder[]> {
	return em.find(DetentionOrderSchema, { episode: episodeId }, { orderBy: { orderedAt: "asc", createdAt: "asc" } });
}

async function withEpisode(
	em: EntityManager,
	episodeId: string,
	idempotencyKey: string | undefined,
	change: (tx: EntityManager, episode: CustodyEpisode) => Promise<void>,
): Promise<CustodyEpisode> {
	return em.transactional(async (tx) => {
		const episode = await tx.findOne(CustodyEpisodeSchema, episodeId, {
			lockMode: LockMode.PESSIMISTIC_WRITE,
			refresh: true,
		});
		if (!episode) throw new DomainError("NOT_FOUND", `Custody episode ${episodeId} does not exist`);
		// Under the episode lock, so a concurrent redelivery sees the first delivery's order.
		const applied = await findByIdempotencyKey(tx, DetentionOrderSchema, idempotencyKey);
		if (applied) {
			if (applied.episode.id !== episodeId) {
				throw new DomainError(
					"INVALID_ARGUMENT",
					`Idempotency key '${idempotencyKey}' was already used for another custody episode`,
				);
			}
			return episode;
		}
		await change(tx, episode);
		await tx.flush();
		return episode;
	});
}

function addOrder(
	tx: EntityManager,
	episode: CustodyEpisode,
	kind: DetentionOrder["kind"],
	authority: DetentionAuthority,
	order: OrderInput,
	expiresAt: Date | null,
	cumulativeDays: number | null,
): void {
	tx.create(DetentionOrderSchema, {
		episode,
		kind,
		authority,
		orderNumber: order.orderNumber ?? null,
		orderedAt: order.orderedAt,
		expiresAt,
		cumulativeDays,
		reasons: order.reasons ?? null,
		idempotencyKey: order.idempotencyKey ?? null,
	});
}
