import { createHash } from "node:crypto";
import type { EntityManager, MikroORM } from "@mikro-orm/postgresql";
import { textArray } from "../db/sql";
import type { FastifyRequest } from "fastify";
import { type PageRequest, decodeCursor, pageOf, type SortRequest } from "../search/paging";
import type { AuditEntry } from "./audit-entry.entity";
import { canonicalJson } from "./canonical-json";
import { maskNationalIds, maskNationalIdsInText } from "./mask";

/** Who did something; taken from the request's principal unless given. */
export interface AuditActor {
	userId?: string | null;
	username?: string | null;
	roles?: string[];
	tenantId?: string | null;
}

/** What a caller records. */
export interface AuditRecord {
	action: string;
	entityType: string;
	entityId: string;
	caseNumber?: string | null;
	detail?: Record<string, unknown>;
	actor?: AuditActor;
}

/** Filter of `POST /v2/audit-logs/search`. */
export interface AuditFilter {
	action?: string;
	actorUsername?: string;
	entityType?: string;
	entityId?: string;
	caseNumber?: string;
	requestId?: string;
	occurredAfter?: string;
	occurredBefore?: string;
}

/** Result of {@link AuditLog.verify}. */
export interface AuditVerification {
	valid: boolean;
	entriesChecked: number;
	/** Seq of the last entry according to the chain head. */
	headSeq: string;
	problems: Array<{ seq: string; reason: string }>;
}

const genesisHash = "0".repeat(64);
const sortColumns = { seq: "seq", occurredAt: "occurred_at", action: "action" } as const;

interface Row {
	seq: string;
	occurred_at: Date;
	tenant_id: string | null;
	actor_id: string | null;
	actor_username: string | null;
	actor_roles: string[];
	action: string;
	entity_type: string;
	entity_id: string;
	case_number: string | null;
	detail: Record<string, unknown>;
	client_ip: string | null;
	request_id: string | null;
	prev_hash: string;
	hash: string;
}

/** The fields a hash covers, in a fixed shape. */
function hashOf(entry: Omit<AuditEntry, "hash">): string {
	const body = canonicalJson({ ...entry, occurredAt: entry.occurredAt.toISOString(), seq: String(entry.seq) });
	return createHash("sha256").update(`${entry.prevHash}\n${body}`).digest("hex");
}

function fromRow(row: Row): AuditEntry {
	return {
		seq: String(row.seq),
		occurredAt: new Date(row.occurred_at),
		tenantId: row.tenant_id,
		actorId: row.actor_id,
		actorUsername: row.actor_username,
		actorRoles: row.actor_roles ?? [],
		action: row.action,
		entityType: row.entity_type,
		entityId: row.entity_id,
		caseNumber: row.case_number,
		detail: row.detail ?? {},
		clientIp: row.client_ip,
		requestId: row.request_id,
		prevHash: row.prev_hash,
		hash: row.hash,
	};
}

/**
 * The audit log: appends hash-chained entries, searches them per tenant, verifies the chain.
 *
 * Each append locks the single `audit_head` row until its transaction commits, so concurrent writers (in this
 * process or another) queue up and the chain never forks. Pass the transaction of the state change to
 * {@link append}, as its last statement: the change and its audit entry then commit or roll back together.
 */
export class AuditLog {
	constructor(private readonly orm: MikroORM) {}

	/**
	 * Appends an entry in the caller's transaction (or a new one), after masking national IDs.
	 * @returns the stored entry with its seq and hash.
	 */
	async append(
		entry: Omit<AuditEntry, "seq" | "prevHash" | "hash" | "occurredAt"> & { occurredAt?: Date },
		em?: EntityManager,
	): Promise<AuditEntry> {
		const write = async (tx: EntityManager): Promise<AuditEntry> => {
			const [head] = await tx.execute<Array<{ seq: string; hash: string }>>(
				"select seq, hash from audit_head where id = 1 for update",
			);
			const masked = maskNationalIds({ entityId: entry.entityId, caseNumber: entry.caseNumber, detail: entry.detail });
			const unhashed: Omit<AuditEntry, "hash"> = {
				...entry,
				entityId: masked.entityId,
				caseNumber: masked.caseNumber,
				detail: masked.detail,
				occurredAt: new Date((entry.occurredAt ?? new Date()).getTime()),
				seq: String(BigInt(head!.seq) + 1n),
				prevHash: head!.hash,
			};
			const full: AuditEntry = { ...unhashed, hash: hashOf(unhashed) };
			await tx.execute(
				`insert into audit_log (seq, occurred_at, tenant_id, actor_id, actor_username, actor_roles, action, entity_type,
					entity_id, case_number, detail, client_ip, request_id, prev_hash, hash)
				values (?, ?, ?, ?, ?, ?::text[], ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)`,
				[
					full.seq,
					full.occurredAt,
					full.tenantId,
					full.actorId,
					full.actorUsername,
					textArray(full.actorRoles),
					full.action,
					full.entityType,
					full.entityId,
					full.caseNumber,
					JSON.stringify(full.detail),
					full.clientIp,
					full.requestId,
					full.prevHash,
					full.hash,
				],
			);
			await tx.execute("update audit_head set seq = ?, hash = ? where id = 1", [full.seq, full.hash]);
			return full;
		};
		return em ? write(em) : this.orm.em.fork().transactional(write);
	}

	/** Appends an entry for an HTTP request: actor from the principal, client IP and request id from the request. */
	record(request: FastifyRequest, record: AuditRecord, em?: EntityManager): Promise<AuditEntry> {
		const principal = request.principal;
		const actor = record.actor ?? {};
		return this.append(
			{
				tenantId: actor.tenantId !== undefined ? actor.tenantId || null : (principal?.tenantId ?? null),
				actorId: actor.userId ?? principal?.userId ?? null,
				actorUsername: actor.username ?? principal?.username ?? null,
				actorRoles: actor.roles ?? principal?.roles ?? [],
				action: record.action,
				entityType: record.entityType,
				entityId: record.entityId,
				caseNumber: record.caseNumber ?? null,
				detail: record.detail ?? {},
				clientIp: request.ip ?? null,
				requestId: request.id,
			},
			em,
		);
	}

	/**
	 * Entries of one tenant (plus tenant-less ones such as sign-ins under unknown names), newest first by default.
	 */
	async search(
		tenantId: string,
		filter: AuditFilter,
		sort: SortRequest<keyof typeof sortColumns>[] | undefined,
		page: PageRequest | undefined,
	): Promise<{ items: AuditEntry[]; page: { totalItems: number; endCursor: string | null } }> {
		const where: string[] = ["(tenant_id = ? or tenant_id is null)"];
		const params: unknown[] = [tenantId];
		const equals: Array<[keyof AuditFilter, string]> = [
			["action", "action"],
			["actorUsername", "actor_username"],
			["entityType", "entity_type"],
			["entityId", "entity_id"],
			["caseNumber", "case_number"],
			["requestId", "request_id"],
		];
		for (const [key, column] of equals) {
			if (filter[key] !== undefined) {
				where.push(`${column} = ?`);
				params.push(key === "entityId" ? maskNationalIdsInText(filter[key]!) : filter[key]);
			}
		}
		if (filter.occurredAfter) {
			where.push("occurred_at >= ?");
			params.push(new Date(filter.occurredAfter));
		}
		if (filter.occurredBefore) {
			where.push("occurred_at < ?");
			params.push(new Date(filter.occurredBefore));
		}
		const order = (sort?.length ? sort : [{ field: "seq" as const, order: "DESC" as const }])
			.map((item) => `${sortColumns[item.field]} ${item.order === "DESC" ? "desc" : "asc"}`)
			.concat("seq desc")
			.join(", ");
		const offset = decodeCursor(page?.after);
		const limit = page?.limit ?? 100;
		const em = this.orm.em.fork();
		const whereSql = where.join(" and ");
		const rows = await em.execute<Row[]>(
			`select * from audit_log where ${whereSql} order by ${order} limit ? offset ?`,
			[...params, limit, offset],
		);
		const [{ count }] = (await em.execute(
			`select count(*)::int as count from audit_log where ${whereSql}`,
			params,
		)) as [{ count: number }];
		return { items: rows.map(fromRow), page: pageOf(offset, rows.length, count) };
	}

	/**
	 * Walks the whole chain and recomputes every hash: an edited row breaks its own hash, a deleted row leaves a
	 * gap in seq and breaks the next row's link, a deleted tail no longer reaches the head.
	 */
	async verify(maxProblems = 100): Promise<AuditVerification> {
		const em = this.orm.em.fork();
		const problems: AuditVerification["problems"] = [];
		const note = (seq: string, reason: string) => {
			if (problems.length < maxProblems) problems.push({ seq, reason });
		};
		let expectedSeq = 1n;
		let previousHash = genesisHash;
		let checked = 0;
		let lastSeq = 0n;
		for (;;) {
			const rows = await em.execute<Row[]>("select * from audit_log where seq >= ? order by seq limit 1000", [
				String(expectedSeq),
			]);
			if (rows.length === 0) break;
			for (const row of rows) {
				const entry = fromRow(row);
				const seq = BigInt(entry.seq);
				if (seq !== expectedSeq) note(entry.seq, `entries ${expectedSeq}…${seq - 1n} are missing (deleted)`);
				if (entry.prevHash !== previousHash)
					note(entry.seq, "does not link to the entry before it (prev_hash differs)");
				const { hash, ...rest } = entry;
				if (hashOf(rest) !== hash) note(entry.seq, "content was changed after it was written (hash differs)");
				previousHash = hash;
				expectedSeq = seq + 1n;
				lastSeq = seq;
				checked++;
			}
		}
		const [head] = await em.execute<Array<{ seq: string; hash: string }>>(
			"select seq, hash from audit_head where id = 1",
		);
		if (BigInt(head!.seq) !== lastSeq)
			note(String(head!.seq), `the chain head says ${head!.seq} entries but the log ends at ${lastSeq} (tail deleted)`);
		else if (head!.hash !== previousHash) note(String(head!.seq), "the last entry's hash differs from the chain head");
		return { valid: problems.length === 0, entriesChecked: checked, headSeq: String(head!.seq), problems };
	}
}
