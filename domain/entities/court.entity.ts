import { EntitySchema, type OptionalProps } from "@mikro-orm/core";
import { type CaseRecord, CaseRecordSchema, type Charge, ChargeSchema } from "./case.entity";
import { createdAtColumn, instant, textEnum, uuidPrimaryKey } from "./common";

/** A court hearing of a case. */
export interface Hearing {
	[OptionalProps]?: "createdAt";
	id: string;
	caseRecord: CaseRecord;
	court: string;
	courtCaseNumber?: string | null;
	scheduledAt: Date;
	heldAt?: Date | null;
	outcome?: string | null;
	createdAt: Date;
	/** Caller-supplied key (e.g. the job key) that makes a redelivered request return this row instead of creating another. */
	idempotencyKey?: string | null;
}

/** Schema of {@link Hearing}. */
export const HearingSchema = new EntitySchema<Hearing>({
	name: "Hearing",
	tableName: "hearing",
	properties: {
		id: uuidPrimaryKey,
		idempotencyKey: { type: "text", nullable: true, unique: true },
		caseRecord: { kind: "m:1", entity: () => CaseRecordSchema, index: true },
		court: { type: "text" },
		courtCaseNumber: { type: "text", nullable: true },
		scheduledAt: instant,
		heldAt: { ...instant, nullable: true },
		outcome: { type: "text", nullable: true },
		createdAt: createdAtColumn,
	},
});

/** Court levels. */
export const COURT_LEVELS = ["FIRST_INSTANCE", "APPEAL", "SUPREME"] as const;
/** Judgment outcomes per accused per charge (domain.md §1.2 stage 12). */
export const JUDGMENT_OUTCOMES = ["CONVICTED", "ACQUITTED", "CLAIM_DISMISSED"] as const;

/** Sentence parts of a conviction. */
export interface Sentence {
	prisonDays?: number;
	fineSar?: number;
	/** Deportation after sentence, for non-Saudis. */
	deportation?: boolean;
	/** Death, amputation, stoning or qisas: reviewed by the higher courts even without objection. */
	gravePenalty?: boolean;
	other?: string;
}

/** A judgment on one charge (one accused, one offence) at one court level. */
export interface Judgment {
	[OptionalProps]?: "createdAt" | "mandatoryReview" | "final";
	id: string;
	charge: Charge;
	level: (typeof COURT_LEVELS)[number];
	outcome: (typeof JUDGMENT_OUTCOMES)[number];
	sentence?: Sentence | null;
	pronouncedAt: Date;
	/** The appeal clock runs from receipt of the judgment copy (domain.md §1.3). */
	copyReceivedAt?: Date | null;
	appealDeadline?: Date | null;
	deedNumber?: string | null;
	mandatoryReview: boolean;
	final: boolean;
	createdAt: Date;
}

/** Schema of {@link Judgment}. */
export const JudgmentSchema = new EntitySchema<Judgment>({
	name: "Judgment",
	tableName: "judgment",
	properties: {
		id: uuidPrimaryKey,
		charge: { kind: "m:1", entity: () => ChargeSchema },
		level: textEnum(COURT_LEVELS),
		outcome: textEnum(JUDGMENT_OUTCOMES),
		sentence: { type: "json", nullable: true },
		pronouncedAt: instant,
		copyReceivedAt: { ...instant, nullable: true },
		appealDeadline: { ...instant, nullable: true },
		deedNumber: { type: "text", nullable: true },
		mandatoryReview: { type: "boolean", default: false },
		final: { type: "boolean", default: false },
		createdAt: createdAtColumn,
	},
	uniques: [{ properties: ["charge", "level"] }],
});

/** Who objects. */
export const APPELLANTS = ["ACCUSED", "PUBLIC_PROSECUTION", "PRIVATE_CLAIMANT", "MANDATORY_REVIEW"] as const;
/** Status of an objection. */
export const APPEAL_STATUSES = ["FILED", "UPHELD", "OVERTURNED", "AMENDED", "REMANDED", "WITHDRAWN"] as const;

/** An objection (appeal or audit) against a judgment. */
export interface Appeal {
	[OptionalProps]?: "createdAt" | "status";
	id: string;
	judgment: Judgment;
	appellant: (typeof APPELLANTS)[number];
	kind: "APPEAL" | "AUDIT" | "SUPREME_OBJECTION";
	filedAt: Date;
	status: (typeof APPEAL_STATUSES)[number];
	decidedAt?: Date | null;
	createdAt: Date;
	/** Caller-supplied key (e.g. the job key) that makes a redelivered request return this row instead of creating another. */
	idempotencyKey?: string | null;
}

/** Schema of {@link Appeal}. */
export const AppealSchema = new EntitySchema<Appeal>({
	name: "Appeal",
	tableName: "appeal",
	properties: {
		id: uuidPrimaryKey,
		idempotencyKey: { type: "text", nullable: true, unique: true },
		judgment: { kind: "m:1", entity: () => JudgmentSchema, index: true },
		appellant: textEnum(APPELLANTS),
		kind: textEnum(["APPEAL", "AUDIT", "SUPREME_OBJECTION"] as const),
		filedAt: instant,
		status: textEnum(APPEAL_STATUSES, { default: "FILED" }),
		decidedAt: { ...instant, nullable: true },
		createdAt: createdAtColumn,
	},
});
