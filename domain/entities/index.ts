import { CaseOffenceSchema, CasePartySchema, CaseRecordSchema, ChargeSchema, ExternalRefSchema } from "./case.entity";
import { AppealSchema, HearingSchema, JudgmentSchema } from "./court.entity";
import { CustodyEpisodeSchema, DetentionOrderSchema } from "./custody.entity";
import { EvidenceCustodyEventSchema, EvidenceItemSchema } from "./evidence.entity";
import { IdentifierSequenceSchema, NotificationSchema } from "./notification.entity";
import { OffenceSchema } from "./offence.entity";
import { IdentityDocumentSchema, PersonRegistryEntrySchema, PersonSchema } from "./person.entity";
import { ReportSchema } from "./report.entity";
import { UnitSchema } from "./unit.entity";

export * from "./case.entity";
export * from "./common";
export * from "./court.entity";
export * from "./custody.entity";
export * from "./evidence.entity";
export * from "./notification.entity";
export * from "./offence.entity";
export * from "./person.entity";
export * from "./report.entity";
export * from "./unit.entity";

/** Every entity schema of the case records, to pass as `entities` when opening an ORM. */
export const domainEntities = [
	UnitSchema,
	PersonSchema,
	IdentityDocumentSchema,
	PersonRegistryEntrySchema,
	OffenceSchema,
	ReportSchema,
	CaseRecordSchema,
	CasePartySchema,
	CaseOffenceSchema,
	ChargeSchema,
	ExternalRefSchema,
	CustodyEpisodeSchema,
	DetentionOrderSchema,
	EvidenceItemSchema,
	EvidenceCustodyEventSchema,
	HearingSchema,
	JudgmentSchema,
	AppealSchema,
	NotificationSchema,
	IdentifierSequenceSchema,
];
