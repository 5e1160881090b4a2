import { api, type SearchPage, type SearchRequest, search } from "./client";

/** One audit-log entry (`POST /v2/audit-logs/search`, api/audit/audit.schemas.ts). */
export interface AuditEntry {
	seq: string;
	occurredAt: string;
	actorUsername?: string | null;
	actorRoles?: string[];
	action: string;
	entityType: string;
	entityId: string;
	caseNumber?: string | null;
	clientIp?: string | null;
	requestId?: string | null;
	hash: string;
}

/** The answer of `POST /v2/audit-logs/verification`. */
export interface AuditVerification {
	valid: boolean;
	entriesChecked: number;
	headSeq: string;
	problems: { seq: string; reason: string }[];
}

/** `POST /v2/audit-logs/search`. */
export function searchAudit(request: SearchRequest): Promise<SearchPage<AuditEntry>> {
	return search<AuditEntry>("/v2/audit-logs/search", request);
}

/** `POST /v2/audit-logs/verification`. */
export function verifyAudit(): Promise<AuditVerification> {
	return api<AuditVerification>("/v2/audit-logs/verification", { method: "POST" });
}
