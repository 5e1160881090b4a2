import { EntitySchema, type OptionalProps } from "@mikro-orm/core";
import { CUSTODY_MACHINE, type CustodyStatus } from "../rules/case-states.rule";
import type { DetentionAuthority } from "../rules/legal-clock.rule";
import { statesOf } from "../rules/state-machine.rule";
import { type CaseParty, CasePartySchema, type CaseRecord, CaseRecordSchema } from "./case.entity";
import { createdAtColumn, instant, textEnum, uuidPrimaryKey } from "./common";

/** Facility types; juveniles go to observation homes (domain.md §1.5). */
export const FACILITY_TYPES = ["POLICE_STATION", "DETENTION_HOUSE", "JUVENILE_OBSERVATION_HOME", "PRISON"] as const;

/**
 * One period in custody of one suspect/accused (`…/C01`), with its statutory clocks computed when it
 * opens (domain.md §1.3). Detention periods count from `detentionAnchorAt` — the arrest under the LCP,
 * the referral to the PP under special laws — never from an order date.
 */
export interface CustodyEpisode {
	[OptionalProps]?: "createdAt" | "updatedAt" | "status";
	id: string;
	custodyNumber: string;
	caseRecord: CaseRecord;
	party: CaseParty;
	status: CustodyStatus;
	governingLaw: string;
	arrestedAt: Date;
	/** What detention periods and caps count from (the law's `detentionAnchor`). */
	detentionAnchorAt: Date;
	arrestPlace?: string | null;
	inFlagrante: boolean;
	/** arrestedAt + 24 h: police hold limit without a written investigator order. */
	policeHoldDeadline: Date;
	/** Expiry of the detention in force (initial 5 days, then each extension). */
	detentionExpiresAt: Date;
	/** Cumulative caps from the legal clock table. */
	branchCapAt: Date;
	attorneyGeneralCapAt: Date;
	investigatorOrderAt?: Date | null;
	facilityType?: (typeof FACILITY_TYPES)[number] | null;
	releasedAt?: Date | null;
	releaseConditions?: string | null;
	createdAt: Date;
	updatedAt: Date;
	/** Caller-supplied key (e.g. the job key) that makes a redelivered request return this row instead of creating another. */
	idempotencyKey?: string | null;
}

/** Schema of {@link CustodyEpisode}. */
export const CustodyEpisodeSchema = new EntitySchema<CustodyEpisode>({
	name: "CustodyEpisode",
	tableName: "custody_episode",
	properties: {
		id: uuidPrimaryKey,
		idempotencyKey: { type: "text", nullable: true, unique: true },
		custodyNumber: { type: "text", unique: true },
		caseRecord: { kind: "m:1", entity: () => CaseRecordSchema, index: true },
		party: { kind: "m:1", entity: () => CasePartySchema, index: true },
		status: textEnum(statesOf(CUSTODY_MACHINE), { default: "ARRESTED" }),
		governingLaw: { type: "text" },
		arrestedAt: instant,
		detentionAnchorAt: instant,
		arrestPlace: { type: "text", nullable: true },
		inFlagrante: { type: "boolean" },
		policeHoldDeadline: instant,
		detentionExpiresAt: instant,
		branchCapAt: instant,
		attorneyGeneralCapAt: instant,
		investigatorOrderAt: { ...instant, nullable: true },
		facilityType: textEnum(FACILITY_TYPES, { nullable: true }),
		releasedAt: { ...instant, nullable: true },
		releaseConditions: { type: "text", nullable: true },
		createdAt: createdAtColumn,
		updatedAt: { ...createdAtColumn, onUpdate: () => new Date() },
	},
});

/** Kinds of detention order (أمر توقيف/تمديد/إفراج). */
export const DETENTION_ORDER_KINDS = [
	"HOLD_ORDER",
	"INITIAL_DETENTION",
	"EXTENSION",
	"COURT_EXTENSION",
	"RELEASE",
] as const;
/** Authorities recorded on orders. */
export const DETENTION_AUTHORITIES = ["INVESTIGATOR", "BRANCH_HEAD", "ATTORNEY_GENERAL", "COURT"] as const;

/** An order received from the PP or a court on a custody episode. */
export interface DetentionOrder {
	[OptionalProps]?: "createdAt";
	id: string;
	episode: CustodyEpisode;
	kind: (typeof DETENTION_ORDER_KINDS)[number];
	authority: DetentionAuthority;
	orderNumber?: string | null;
	orderedAt: Date;
	/** New expiry for detention and extension orders; null for release orders. */
	expiresAt?: Date | null;
	/** Whole days from the anchor to `expiresAt` when the order was recorded. */
	cumulativeDays?: number | null;
	reasons?: string | null;
	createdAt: Date;
	/** Caller-supplied key (e.g. the job key) that makes a redelivered request return this row instead of creating another. */
	idempotencyKey?: string | null;
}

/** Schema of {@link DetentionOrder}. */
export const DetentionOrderSchema = new EntitySchema<DetentionOrder>({
	name: "DetentionOrder",
	tableName: "detention_order",
	properties: {
		id: uuidPrimaryKey,
		idempotencyKey: { type: "text", nullable: true, unique: true },
		episode: { kind: "m:1", entity: () => CustodyEpisodeSchema, index: true },
		kind: textEnum(DETENTION_ORDER_KINDS),
		authority: textEnum(DETENTION_AUTHORITIES),
		orderNumber: { type: "text", nullable: true },
		orderedAt: instant,
		expiresAt: { ...instant, nullable: true },
		cumulativeDays: { type: "integer", nullable: true },
		reasons: { type: "text", nullable: true },
		createdAt: createdAtColumn,
	},
});
