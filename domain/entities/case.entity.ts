import { EntitySchema, type OptionalProps } from "@mikro-orm/core";
import {
	CASE_MACHINE,
	type CaseStatus,
	CHARGE_MACHINE,
	type ChargeDisposition,
	DISMISSAL_REASONS,
	type DismissalReason,
} from "../rules/case-states.rule";
import { statesOf } from "../rules/state-machine.rule";
import { CLASSIFICATIONS, type Classification, createdAtColumn, instant, textEnum, uuidPrimaryKey } from "./common";
import { type Offence, OffenceSchema } from "./offence.entity";
import { type Person, PersonSchema } from "./person.entity";
import { type Report, ReportSchema } from "./report.entity";
import { type Unit, UnitSchema } from "./unit.entity";

/** A place attached to a case: scene or arrest place, with district and geo point (domain.md §3.5). */
export interface CaseLocation {
	districtAr?: string;
	districtEn?: string;
	city?: string;
	streetAr?: string;
	/** [latitude, longitude]. */
	geo?: [number, number];
}

/** A case (قضية), numbered `RUH-OLY-1447-000153-9` (domain.md §2.4, §2.6). */
export interface CaseRecord {
	[OptionalProps]?:
		| "createdAt"
		| "updatedAt"
		| "status"
		| "classification"
		| "synthetic"
		| "evidenceCount"
		| "custodyCount";
	id: string;
	caseNumber: string;
	unit: Unit;
	hijriYear: number;
	sequence: number;
	report?: Report | null;
	status: CaseStatus;
	classification: Classification;
	titleAr?: string | null;
	titleEn?: string | null;
	openedAt: Date;
	closedAt?: Date | null;
	dismissalReason?: DismissalReason | null;
	/** A temporary dismissal may reopen on new evidence; a final one may not. */
	dismissalFinal?: boolean | null;
	location?: CaseLocation | null;
	/** Counters behind the `/E01` and `/C01` child identifiers. */
	evidenceCount: number;
	custodyCount: number;
	synthetic: boolean;
	createdAt: Date;
	updatedAt: Date;
	/** Caller-supplied key (e.g. the job key) that makes a redelivered request return this row instead of creating another. */
	idempotencyKey?: string | null;
}

/** Schema of {@link CaseRecord}. */
export const CaseRecordSchema = new EntitySchema<CaseRecord>({
	name: "CaseRecord",
	tableName: "case_record",
	properties: {
		id: uuidPrimaryKey,
		idempotencyKey: { type: "text", nullable: true, unique: true },
		caseNumber: { type: "text", unique: true },
		unit: { kind: "m:1", entity: () => UnitSchema },
		hijriYear: { type: "integer" },
		sequence: { type: "integer" },
		report: { kind: "m:1", entity: () => ReportSchema, nullable: true },
		status: textEnum(statesOf(CASE_MACHINE), { default: "OPEN" }),
		classification: textEnum(CLASSIFICATIONS, { default: "RESTRICTED" }),
		titleAr: { type: "text", nullable: true },
		titleEn: { type: "text", nullable: true },
		openedAt: instant,
		closedAt: { ...instant, nullable: true },
		dismissalReason: textEnum(DISMISSAL_REASONS, { nullable: true }),
		dismissalFinal: { type: "boolean", nullable: true },
		location: { type: "json", nullable: true },
		evidenceCount: { type: "integer", default: 0 },
		custodyCount: { type: "integer", default: 0 },
		synthetic: { type: "boolean", default: false },
		createdAt: createdAtColumn,
		updatedAt: { ...createdAtColumn, onUpdate: () => new Date() },
	},
	uniques: [{ properties: ["unit", "hijriYear", "sequence"] }],
});

/** Roles a person can have in a case (domain.md §2.4). */
export const PARTY_ROLES = [
	"REPORTER",
	"COMPLAINANT",
	"VICTIM",
	"SUSPECT",
	"ACCUSED",
	"WITNESS",
	"EXPERT",
	"GUARDIAN",
	"INTERPRETER",
] as const;
/** One of {@link PARTY_ROLES}. */
export type PartyRole = (typeof PARTY_ROLES)[number];

/** Bilingual labels of the party roles. */
export const PARTY_ROLE_LABELS: Record<PartyRole, { ar: string; en: string }> = {
	REPORTER: { ar: "مبلّغ", en: "Reporter" },
	COMPLAINANT: { ar: "شاكٍ/مدعٍ بالحق الخاص", en: "Complainant / private claimant" },
	VICTIM: { ar: "مجني عليه", en: "Victim" },
	SUSPECT: { ar: "مشتبه به", en: "Suspect" },
	ACCUSED: { ar: "متهم", en: "Accused" },
	WITNESS: { ar: "شاهد", en: "Witness" },
	EXPERT: { ar: "خبير", en: "Expert" },
	GUARDIAN: { ar: "ولي", en: "Guardian" },
	INTERPRETER: { ar: "مترجم", en: "Interpreter" },
};

/** A person's part in one case, with the case-specific facts (age at offence, juvenile flag). */
export interface CaseParty {
	[OptionalProps]?: "createdAt" | "isJuvenile";
	id: string;
	caseRecord: CaseRecord;
	person: Person;
	role: PartyRole;
	ageAtOffence?: number | null;
	isJuvenile: boolean;
	/** For a juvenile: the guardian party to notify. */
	guardian?: CaseParty | null;
	notes?: string | null;
	createdAt: Date;
}

/** Schema of {@link CaseParty}. A person has a role in a case once. */
export const CasePartySchema = new EntitySchema<CaseParty>({
	name: "CaseParty",
	tableName: "case_party",
	properties: {
		id: uuidPrimaryKey,
		caseRecord: { kind: "m:1", entity: () => CaseRecordSchema, index: true },
		person: { kind: "m:1", entity: () => PersonSchema, index: true },
		role: textEnum(PARTY_ROLES),
		ageAtOffence: { type: "integer", nullable: true },
		isJuvenile: { type: "boolean", default: false },
		guardian: { kind: "m:1", entity: "CaseParty", nullable: true },
		notes: { type: "text", nullable: true },
		createdAt: createdAtColumn,
	},
	uniques: [{ properties: ["caseRecord", "person", "role"] }],
});

/** An offence recorded on a case (تهمة/وصف جرمي), from the catalogue. */
export interface CaseOffence {
	[OptionalProps]?: "createdAt";
	id: string;
	caseRecord: CaseRecord;
	offence: Offence;
	/** Copied from the catalogue when added, so a later catalogue change does not rewrite history. */
	governingLaw: string;
	majorCrime?: boolean | null;
	createdAt: Date;
}

/** Schema of {@link CaseOffence}. */
export const CaseOffenceSchema = new EntitySchema<CaseOffence>({
	name: "CaseOffence",
	tableName: "case_offence",
	properties: {
		id: uuidPrimaryKey,
		caseRecord: { kind: "m:1", entity: () => CaseRecordSchema, index: true },
		offence: { kind: "m:1", entity: () => OffenceSchema },
		governingLaw: { type: "text" },
		majorCrime: { type: "boolean", nullable: true },
		createdAt: createdAtColumn,
	},
	uniques: [{ properties: ["caseRecord", "offence"] }],
});

/** One charge against one accused, with its own disposition: outcomes are per accused per charge. */
export interface Charge {
	[OptionalProps]?: "createdAt" | "updatedAt" | "disposition";
	id: string;
	party: CaseParty;
	caseOffence: CaseOffence;
	disposition: ChargeDisposition;
	dismissalReason?: DismissalReason | null;
	dispositionAt?: Date | null;
	createdAt: Date;
	updatedAt: Date;
}

/** Schema of {@link Charge}. */
export const ChargeSchema = new EntitySchema<Charge>({
	name: "Charge",
	tableName: "charge",
	properties: {
		id: uuidPrimaryKey,
		party: { kind: "m:1", entity: () => CasePartySchema, index: true },
		caseOffence: { kind: "m:1", entity: () => CaseOffenceSchema },
		disposition: textEnum(statesOf(CHARGE_MACHINE), { default: "PENDING" }),
		dismissalReason: textEnum(DISMISSAL_REASONS, { nullable: true }),
		dispositionAt: { ...instant, nullable: true },
		createdAt: createdAtColumn,
		updatedAt: { ...createdAtColumn, onUpdate: () => new Date() },
	},
	uniques: [{ properties: ["party", "caseOffence"] }],
});

/** Kinds of reference another system keeps for a case (domain.md §2.6). */
export const EXTERNAL_REF_KINDS = [
	"PP_CASE_NUMBER",
	"COURT_CASE_NUMBER",
	"JUDGMENT_DEED_NUMBER",
	"ABSHER_REPORT_NUMBER",
	"KOLLONA_AMN_REPORT_NUMBER",
	"SAHER_VIOLATION_NUMBER",
] as const;

/** A typed reference to the case in another system. */
export interface ExternalRef {
	[OptionalProps]?: "createdAt";
	id: string;
	caseRecord: CaseRecord;
	kind: (typeof EXTERNAL_REF_KINDS)[number];
	value: string;
	createdAt: Date;
}

/** Schema of {@link ExternalRef}. A reference value is unique per kind. */
export const ExternalRefSchema = new EntitySchema<ExternalRef>({
	name: "ExternalRef",
	tableName: "external_ref",
	properties: {
		id: uuidPrimaryKey,
		caseRecord: { kind: "m:1", entity: () => CaseRecordSchema, index: true },
		kind: textEnum(EXTERNAL_REF_KINDS),
		value: { type: "text" },
		createdAt: createdAtColumn,
	},
	uniques: [{ properties: ["kind", "value"] }],
});
