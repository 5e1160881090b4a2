import type { FastifyPluginAsync } from "fastify";
import type { PageRequest, SortRequest } from "../search/paging";
import type { ApiContext } from "../v2.plugin";
import type { AuditFilter } from "./audit-log.repository";
import { auditSearchSchema, auditVerificationSchema } from "./audit.schemas";

interface SearchBody {
	filter?: AuditFilter;
	sort?: SortRequest<"seq" | "occurredAt" | "action">[];
	page?: PageRequest;
}

/** `POST /v2/audit-logs/search` and `POST /v2/audit-logs/verification` (auditors and admins). */
export const auditRoutes: FastifyPluginAsync<{ context: ApiContext }> = async (app, { context }) => {
	app.post<{ Body: SearchBody }>(
		"/audit-logs/search",
		{ schema: auditSearchSchema, config: { permission: "audit:read" } },
		async (request) => {
			const body = request.body ?? {};
			return context.audit.search(request.principal!.tenantId, body.filter ?? {}, body.sort, body.page);
		},
	);

	app.post(
		"/audit-logs/verification",
		{ schema: auditVerificationSchema, config: { permission: "audit:read" } },
		async (request) => {
			const result = await context.audit.verify();
			await context.audit.record(request, {
				action: "AUDIT_CHAIN_VERIFIED",
				entityType: "audit-log",
				entityId: result.headSeq,
				detail: { valid: result.valid, entriesChecked: result.entriesChecked, problems: result.problems.length },
			});
			return result;
		},
	);
};
