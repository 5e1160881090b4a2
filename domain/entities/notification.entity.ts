import { EntitySchema, type OptionalProps } from "@mikro-orm/core";
import { type CaseRecord, CaseRecordSchema } from "./case.entity";
import { createdAtColumn, instant, textEnum, uuidPrimaryKey } from "./common";

/** Delivery channels of the outbox. */
export const NOTIFICATION_CHANNELS = ["SMS", "EMAIL", "PROSECUTION", "COURT", "INTERNAL"] as const;
/** Outbox states: a sender claims PENDING rows, then marks them SENT, or back to PENDING / DEAD. */
export const NOTIFICATION_STATUSES = ["PENDING", "SENDING", "SENT", "DEAD"] as const;

/**
 * A notification in the outbox: written in the same transaction as the change it reports, sent later
 * by a worker. The idempotency key (e.g. the job key) makes a redelivered job enqueue nothing new.
 */
export interface Notification {
	[OptionalProps]?: "createdAt" | "status" | "attempts" | "nextAttemptAt";
	id: string;
	idempotencyKey: string;
	channel: (typeof NOTIFICATION_CHANNELS)[number];
	/** E.164 for SMS, an address, or a system name (`PP`). */
	recipient: string;
	template: string;
	payload: Record<string, unknown>;
	caseRecord?: CaseRecord | null;
	status: (typeof NOTIFICATION_STATUSES)[number];
	attempts: number;
	nextAttemptAt: Date;
	lastError?: string | null;
	sentAt?: Date | null;
	createdAt: Date;
}

/** Schema of {@link Notification}. */
export const NotificationSchema = new EntitySchema<Notification>({
	name: "Notification",
	tableName: "notification",
	properties: {
		id: uuidPrimaryKey,
		idempotencyKey: { type: "text", unique: true },
		channel: textEnum(NOTIFICATION_CHANNELS),
		recipient: { type: "text" },
		template: { type: "text" },
		payload: { type: "json" },
		caseRecord: { kind: "m:1", entity: () => CaseRecordSchema, nullable: true, index: true },
		status: textEnum(NOTIFICATION_STATUSES, { default: "PENDING" }),
		attempts: { type: "integer", default: 0 },
		nextAttemptAt: { ...createdAtColumn },
		lastError: { type: "text", nullable: true },
		sentAt: { ...instant, nullable: true },
		createdAt: createdAtColumn,
	},
	indexes: [{ properties: ["status", "nextAttemptAt"] }],
});

/**
 * Per-key counter behind case and report numbers: one row per (series, Hijri year), incremented with an
 * atomic upsert, so concurrent registrations never get the same number and the count restarts on
 * 1 Muharram. `series` is the unit code (`RUH-OLY`) for cases, `BLG`/`MFQ` for reports.
 */
export interface IdentifierSequence {
	series: string;
	hijriYear: number;
	lastValue: number;
}

/** Schema of {@link IdentifierSequence}. */
export const IdentifierSequenceSchema = new EntitySchema<IdentifierSequence>({
	name: "IdentifierSequence",
	tableName: "identifier_sequence",
	properties: {
		series: { type: "text", primary: true },
		hijriYear: { type: "integer", primary: true },
		lastValue: { type: "integer" },
	},
});
