import type { EntityManager } from "@mikro-orm/postgresql";
import { CaseRecordSchema, type Notification, type NOTIFICATION_CHANNELS, NotificationSchema } from "../entities";
import { DomainError } from "../errors";
import { uuidv7 } from "../ids/uuid-v7";
import { parsePhone } from "../rules/phone.rule";

/** Input of {@link enqueueNotification}. */
export interface EnqueueNotificationInput {
	/** The job key (or another stable key): enqueuing twice with it enqueues once. */
	idempotencyKey: string;
	channel: (typeof NOTIFICATION_CHANNELS)[number];
	recipient: string;
	template: string;
	payload: Record<string, unknown>;
	caseId?: string;
}

/**
 * Puts a notification in the outbox, once per idempotency key: a redelivered job gets the row written the
 * first time (`created: false`). SMS recipients must be mobile numbers; they are stored in E.164.
 */
export async function enqueueNotification(
	em: EntityManager,
	input: EnqueueNotificationInput,
): Promise<{ notification: Notification; created: boolean }> {
	let recipient = input.recipient;
	if (input.channel === "SMS") {
		const phone = parsePhone(input.recipient);
		if (!phone.valid) throw new DomainError("INVALID_ARGUMENT", phone.message);
		if (!phone.smsCapable) {
			throw new DomainError(
				"INVALID_ARGUMENT",
				`${phone.e164} is a ${phone.type} number and cannot receive SMS; use a mobile number`,
			);
		}
		recipient = phone.e164;
	}
	if (input.caseId && !(await em.findOne(CaseRecordSchema, input.caseId))) {
		throw new DomainError("NOT_FOUND", `Case ${input.caseId} does not exist`);
	}
	const inserted = await em.execute<{ id: string }[]>(
		`insert into notification (id, idempotency_key, channel, recipient, template, payload, case_record_id, status, attempts, next_attempt_at, created_at)
		 values (?, ?, ?, ?, ?, ?::jsonb, ?, 'PENDING', 0, now(), now())
		 on conflict (idempotency_key) do nothing
		 returning id`,
		[
			uuidv7(),
			input.idempotencyKey,
			input.channel,
			recipient,
			input.template,
			JSON.stringify(input.payload),
			input.caseId ?? null,
		],
	);
	const notification = await em.findOneOrFail(
		NotificationSchema,
		{ idempotencyKey: input.idempotencyKey },
		{ refresh: true },
	);
	return { notification, created: inserted.length > 0 };
}

/**
 * Claims up to `limit` due notifications for sending (PENDING → SENDING, attempts + 1). Rows are locked
 * with SKIP LOCKED, so several senders never claim the same row.
 */
export async function claimDueNotifications(
	em: EntityManager,
	limit: number,
	now: Date = new Date(),
): Promise<Notification[]> {
	const rows = await em.execute<{ id: string }[]>(
		`update notification set status = 'SENDING', attempts = attempts + 1
		 where id in (select id from notification where status = 'PENDING' and next_attempt_at <= ?
		              order by next_attempt_at limit ? for update skip locked)
		 returning id`,
		[now, limit],
	);
	if (rows.length === 0) return [];
	return em.find(
		NotificationSchema,
		{ id: { $in: rows.map((row) => row.id) } },
		{ refresh: true, orderBy: { nextAttemptAt: "asc" } },
	);
}

/** Marks a claimed notification as sent. */
export async function markNotificationSent(em: EntityManager, id: string, at: Date = new Date()): Promise<void> {
	await em.nativeUpdate(NotificationSchema, { id, status: "SENDING" }, { status: "SENT", sentAt: at, lastError: null });
}

/**
 * Records a failed send: back to PENDING with exponential back-off (1, 2, 4 … minutes), or DEAD after
 * `maxAttempts`, so an operator can look at it.
 */
export async function markNotificationFailed(
	em: EntityManager,
	id: string,
	error: string,
	options: { now?: Date; maxAttempts?: number } = {},
): Promise<void> {
	const notification = await em.findOneOrFail(NotificationSchema, id, { refresh: true });
	const now = options.now ?? new Date();
	const dead = notification.attempts >= (options.maxAttempts ?? 8);
	await em.nativeUpdate(
		NotificationSchema,
		{ id, status: "SENDING" },
		{
			status: dead ? "DEAD" : "PENDING",
			lastError: error.slice(0, 2000),
			nextAttemptAt: new Date(now.getTime() + 60_000 * 2 ** Math.max(0, notification.attempts - 1)),
		},
	);
}
