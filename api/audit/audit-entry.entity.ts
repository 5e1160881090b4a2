import { EntitySchema } from "@mikro-orm/core";

/** One entry of the append-only, hash-chained audit log. */
export interface AuditEntry {
	/** Position in the chain, 1, 2, 3… without gaps. */
	seq: string;
	occurredAt: Date;
	/** The agency the event belongs to; null for events of no known tenant (a sign-in by an unknown name). */
	tenantId: string | null;
	actorId: string | null;
	actorUsername: string | null;
	actorRoles: string[];
	/** What happened, e.g. `LOGIN`, `USER_TASK_COMPLETED`, `CASE_FILE_READ`. */
	action: string;
	entityType: string;
	entityId: string;
	caseNumber: string | null;
	/** What changed (national IDs masked). */
	detail: Record<string, unknown>;
	clientIp: string | null;
	requestId: string | null;
	prevHash: string;
	hash: string;
}

export const AuditEntrySchema = new EntitySchema<AuditEntry>({
	name: "AuditEntry",
	tableName: "audit_log",
	properties: {
		seq: { type: "bigint", primary: true },
		occurredAt: { type: "Date", columnType: "timestamptz" },
		tenantId: { type: "text", nullable: true },
		actorId: { type: "text", nullable: true },
		actorUsername: { type: "text", nullable: true },
		actorRoles: { type: "text[]" },
		action: { type: "text" },
		entityType: { type: "text" },
		entityId: { type: "text" },
		caseNumber: { type: "text", nullable: true },
		detail: { type: "json" },
		clientIp: { type: "text", nullable: true },
		requestId: { type: "text", nullable: true },
		prevHash: { type: "text" },
		hash: { type: "text" },
	},
});
