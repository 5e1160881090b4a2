import type { MikroORM } from "@mikro-orm/postgresql";
import { AuditLog } from "../audit/audit-log.repository";

/**
 * The audit entry the API writes when a user's task completion reached the engine but its answer was lost (the
 * request was answered 503): for tests of what the task service and the reconciler do next.
 */
export function recordLostCompletion(
	orm: MikroORM,
	entry: { username: string; userTaskKey: string; caseNumber?: string; variables: string[] },
): Promise<unknown> {
	return new AuditLog(orm).append({
		tenantId: null,
		actorId: null,
		actorUsername: entry.username,
		actorRoles: ["officer"],
		action: "USER_TASK_COMPLETION_UNCONFIRMED",
		entityType: "user-task",
		entityId: entry.userTaskKey,
		caseNumber: entry.caseNumber ?? null,
		detail: { variables: entry.variables },
		clientIp: null,
		requestId: null,
	});
}
