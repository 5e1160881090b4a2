import { EntitySchema, type OptionalProps } from "@mikro-orm/core";
import { EVIDENCE_MACHINE, type EvidenceStatus } from "../rules/case-states.rule";
import { CHAIN_GENESIS } from "../rules/custody-chain.rule";
import { statesOf } from "../rules/state-machine.rule";
import { type CaseRecord, CaseRecordSchema } from "./case.entity";
import { createdAtColumn, instant, textEnum, uuidPrimaryKey } from "./common";
import { type Person, PersonSchema } from "./person.entity";

/** How an item came to the police (domain.md §5.4/§5.5). */
export const LOSS_TYPES = ["SEIZED", "RECOVERED", "STOLEN", "LOST", "FOUND", "DAMAGED"] as const;

/** A sealed exhibit or seized item (حرز/مضبوط), `…/E01`, with the head of its custody chain. */
export interface EvidenceItem {
	[OptionalProps]?: "createdAt" | "status" | "digital" | "custodyHeadHash" | "custodyEventCount";
	id: string;
	evidenceNumber: string;
	caseRecord: CaseRecord;
	status: EvidenceStatus;
	descriptionAr: string;
	descriptionEn?: string | null;
	quantityValue?: number | null;
	quantityUnit?: string | null;
	sealNumber?: string | null;
	digital: boolean;
	/** SHA-256 of a digital item at acquisition. */
	sha256?: string | null;
	lossType: (typeof LOSS_TYPES)[number];
	valueSar?: number | null;
	owner?: Person | null;
	/**
	 * Hash and count of the last custody event. Kept on the item so that deleting the newest events is
	 * detected too, not only edits in the middle of the chain.
	 */
	custodyHeadHash: string;
	custodyEventCount: number;
	createdAt: Date;
	/** Caller-supplied key (e.g. the job key) that makes a redelivered request return this row instead of creating another. */
	idempotencyKey?: string | null;
}

/** Schema of {@link EvidenceItem}. */
export const EvidenceItemSchema = new EntitySchema<EvidenceItem>({
	name: "EvidenceItem",
	tableName: "evidence_item",
	properties: {
		id: uuidPrimaryKey,
		idempotencyKey: { type: "text", nullable: true, unique: true },
		evidenceNumber: { type: "text", unique: true },
		caseRecord: { kind: "m:1", entity: () => CaseRecordSchema, index: true },
		status: textEnum(statesOf(EVIDENCE_MACHINE), { default: "COLLECTED" }),
		descriptionAr: { type: "text" },
		descriptionEn: { type: "text", nullable: true },
		quantityValue: { type: "double", nullable: true },
		quantityUnit: { type: "text", nullable: true },
		sealNumber: { type: "text", nullable: true },
		digital: { type: "boolean", default: false },
		sha256: { type: "text", nullable: true },
		lossType: textEnum(LOSS_TYPES),
		valueSar: { type: "double", nullable: true },
		owner: { kind: "m:1", entity: () => PersonSchema, nullable: true },
		custodyHeadHash: { type: "text", default: CHAIN_GENESIS },
		custodyEventCount: { type: "integer", default: 0 },
		createdAt: createdAtColumn,
	},
});

/** What happened to an item in one custody event. */
export const CUSTODY_ACTIONS = [
	"COLLECTED",
	"SEALED",
	"TRANSFERRED",
	"STORED",
	"CHECKED_OUT",
	"CHECKED_IN",
	"INTEGRITY_ALERT",
	"DISPOSED",
] as const;

/**
 * One entry of an item's chain of custody (سجل حيازة). Append-only: a database trigger refuses
 * updates and deletes, and each entry carries `hash = SHA-256(prevHash + canonical entry)`, so an edit
 * or deletion made behind the trigger's back is still detected by verification.
 */
export interface EvidenceCustodyEvent {
	id: string;
	evidenceItem: EvidenceItem;
	/** 1, 2, … within the item. */
	seq: number;
	action: (typeof CUSTODY_ACTIONS)[number];
	/** Status of the item after this event. */
	toStatus: EvidenceStatus;
	fromHolder?: string | null;
	toHolder: string;
	location?: string | null;
	note?: string | null;
	occurredAt: Date;
	prevHash: string;
	hash: string;
	/** Caller-supplied key (e.g. the job key) that makes a redelivered request return this row instead of creating another. */
	idempotencyKey?: string | null;
}

/** Schema of {@link EvidenceCustodyEvent}. */
export const EvidenceCustodyEventSchema = new EntitySchema<EvidenceCustodyEvent>({
	name: "EvidenceCustodyEvent",
	tableName: "evidence_custody_event",
	properties: {
		id: uuidPrimaryKey,
		idempotencyKey: { type: "text", nullable: true, unique: true },
		evidenceItem: { kind: "m:1", entity: () => EvidenceItemSchema },
		seq: { type: "integer" },
		action: textEnum(CUSTODY_ACTIONS),
		toStatus: textEnum(statesOf(EVIDENCE_MACHINE)),
		fromHolder: { type: "text", nullable: true },
		toHolder: { type: "text" },
		location: { type: "text", nullable: true },
		note: { type: "text", nullable: true },
		occurredAt: instant,
		prevHash: { type: "text" },
		hash: { type: "text" },
	},
	uniques: [{ properties: ["evidenceItem", "seq"] }],
});
