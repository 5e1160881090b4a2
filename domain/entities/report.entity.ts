import { EntitySchema, type OptionalProps } from "@mikro-orm/core";
import { REPORT_MACHINE, type ReportStatus } from "../rules/case-states.rule";
import { statesOf } from "../rules/state-machine.rule";
import { CLASSIFICATIONS, type Classification, createdAtColumn, instant, textEnum, uuidPrimaryKey } from "./common";
import { type Person, PersonSchema } from "./person.entity";
import { type Unit, UnitSchema } from "./unit.entity";

/** Where a report came in. */
export const REPORT_CHANNELS = ["STATION", "EMERGENCY_911", "KOLLONA_AMN", "ABSHER", "PATROL"] as const;
/** What a report is about; lost-property reports get `MFQ-` numbers, the rest `BLG-`. */
export const REPORT_KINDS = ["CRIMINAL", "TRAFFIC", "LOST_PROPERTY", "FOUND_PROPERTY", "OTHER"] as const;

/** A report (بلاغ): a notification of an incident, triaged into zero or more cases (domain.md §2.4). */
export interface Report {
	[OptionalProps]?: "createdAt" | "status" | "classification" | "synthetic";
	id: string;
	/** `BLG-1447-000153` or `MFQ-1447-000077`. */
	reportNumber: string;
	kind: (typeof REPORT_KINDS)[number];
	channel: (typeof REPORT_CHANNELS)[number];
	status: ReportStatus;
	unit: Unit;
	reporter?: Person | null;
	receivedAt: Date;
	summary: string;
	classification: Classification;
	synthetic: boolean;
	createdAt: Date;
	/** Caller-supplied key (e.g. the job key) that makes a redelivered request return this row instead of creating another. */
	idempotencyKey?: string | null;
}

/** Schema of {@link Report}. */
export const ReportSchema = new EntitySchema<Report>({
	name: "Report",
	tableName: "report",
	properties: {
		id: uuidPrimaryKey,
		idempotencyKey: { type: "text", nullable: true, unique: true },
		reportNumber: { type: "text", unique: true },
		kind: textEnum(REPORT_KINDS),
		channel: textEnum(REPORT_CHANNELS),
		status: textEnum(statesOf(REPORT_MACHINE), { default: "DRAFT" }),
		unit: { kind: "m:1", entity: () => UnitSchema },
		reporter: { kind: "m:1", entity: () => PersonSchema, nullable: true },
		receivedAt: instant,
		summary: { type: "text" },
		classification: textEnum(CLASSIFICATIONS, { default: "RESTRICTED" }),
		synthetic: { type: "boolean", default: false },
		createdAt: createdAtColumn,
	},
});
