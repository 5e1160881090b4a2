import type { EntityManager, MikroORM } from "@mikro-orm/postgresql";
import { AuditLog } from "../audit/audit-log.repository";
import { textArray } from "../db/sql";
import type { Logger } from "pino";
import type { TaskEvents } from "./task-events";

/** An open task as the reconciler checks it. */
export interface OpenTaskRef {
	key: string;
	processInstanceKey: string;
}

/**
 * Says which of these tasks' jobs the engine no longer holds open, and how each ended:
 * `COMPLETED` (completed by another client) or `CANCELED` (instance canceled, boundary event, job gone).
 */
export type EndedJobs = (tasks: OpenTaskRef[]) => Promise<Array<{ key: string; state: "COMPLETED" | "CANCELED" }>>;

/** The parts of the engine's read side ({@link EngineQueries}) the embedded-mode check uses. */
export interface InstanceJobsSource {
	instanceJobs(processInstanceKey: string): Promise<Array<{ key: string; state: string }>>;
}

const openJobStates = new Set(["ACTIVATABLE", "ACTIVATED", "FAILED"]);

/** {@link EndedJobs} over the embedded engine's read side: one query per process instance of the batch. */
export function endedJobsFromEngine(queries: InstanceJobsSource): EndedJobs {
	return async (tasks) => {
		const byInstance = new Map<string, string[]>();
		for (const task of tasks)
			byInstance.set(task.processInstanceKey, [...(byInstance.get(task.processInstanceKey) ?? []), task.key]);
		const ended: Array<{ key: string; state: "COMPLETED" | "CANCELED" }> = [];
		for (const [instance, keys] of byInstance) {
			const jobs = new Map((await queries.instanceJobs(instance)).map((job) => [String(job.key), job.state]));
			for (const key of keys) {
				const state = jobs.get(key);
				if (state === undefined || !openJobStates.has(state))
					ended.push({ key, state: state === "COMPLETED" ? "COMPLETED" : "CANCELED" });
			}
		}
		return ended;
	};
}

/** Options of {@link startUserTaskReconciler}. */
export interface UserTaskReconcilerOptions {
	orm: MikroORM;
	logger: Logger;
	endedJobs: EndedJobs;
	events?: TaskEvents;
	/** @default 1000 */
	intervalMs?: number;
	/** Open tasks checked per sweep, walking the whole list in turns. @default 200 */
	batchSize?: number;
}

/**
 * Takes tasks whose jobs ended without this service (instance canceled, interrupting boundary event, completed
 * by another client) off the lists: every `intervalMs`, checks a batch of open tasks against the engine.
 * @returns a handle; `sweep()` runs one pass at once (tests), `close()` stops.
 */
export function startUserTaskReconciler(options: UserTaskReconcilerOptions): {
	sweep(): Promise<number>;
	close(): Promise<void>;
} {
	const audit = new AuditLog(options.orm);
	let cursor = "";
	let running: Promise<number> | undefined;
	const sweepOnce = async (): Promise<number> => {
		const em = options.orm.em.fork();
		const rows = await em.execute<Array<{ key: string; process_instance_key: string }>>(
			"select key, process_instance_key from user_task where state = 'CREATED' and key > ? order by key limit ?",
			[cursor, options.batchSize ?? 200],
		);
		cursor = rows.length > 0 ? rows[rows.length - 1]!.key : "";
		if (rows.length === 0) return 0;
		const ended = await options.endedJobs(
			rows.map((row) => ({ key: row.key, processInstanceKey: row.process_instance_key })),
		);
		const now = new Date();
		let changed = 0;
		for (const state of ["COMPLETED", "CANCELED"] as const) {
			const keys = ended.filter((item) => item.state === state).map((item) => item.key);
			if (keys.length === 0) continue;
			// The state change and its audit entries commit together: a task never leaves the lists unaccounted for.
			const done = await em.fork().transactional(async (tx) => {
				const rows = await tx.execute<
					Array<{
						key: string;
						tenant_id: string;
						assignee: string | null;
						candidate_users: string[];
						candidate_groups: string[];
						units: string[];
						case_number: string | null;
						completed_by: string | null;
					}>
				>(
					`update user_task set state = ?, completion_date = ? where key = any(?::text[]) and state = 'CREATED'
					returning key, tenant_id, assignee, candidate_users, candidate_groups, units, case_number, completed_by`,
					[state, now, textArray(keys)],
				);
				if (state === "COMPLETED" && rows.length > 0) {
					// A job completed by a request whose answer was lost (USER_TASK_COMPLETION_UNCONFIRMED) is that user's.
					// A statement of its own: its snapshot sees an entry the API committed while this update waited for the
					// task's row lock (the API holds it while it calls the engine).
					const attributed = await tx.execute<Array<{ key: string; completed_by: string }>>(
						`update user_task t set completed_by = (
							select a.actor_username from audit_log a
							where a.action = 'USER_TASK_COMPLETION_UNCONFIRMED' and a.entity_type = 'user-task' and a.entity_id = t.key
							order by a.seq desc limit 1)
						where t.key = any(?::text[]) and t.completed_by is null
						returning t.key, t.completed_by`,
						[textArray(rows.map((row) => row.key))],
					);
					for (const { key, completed_by } of attributed) {
						const row = rows.find((candidate) => candidate.key === key);
						if (row) row.completed_by = completed_by;
					}
				}
				for (const row of rows) {
					await audit.append(
						{
							tenantId: row.tenant_id,
							actorId: null,
							actorUsername: null,
							actorRoles: [],
							action: "USER_TASK_ENDED_IN_ENGINE",
							entityType: "user-task",
							entityId: row.key,
							caseNumber: row.case_number,
							detail: { state, by: "reconciler", ...(row.completed_by ? { completedBy: row.completed_by } : {}) },
							clientIp: null,
							requestId: null,
							occurredAt: now,
						},
						tx as EntityManager,
					);
				}
				return rows;
			});
			changed += done.length;
			for (const row of done) {
				options.events?.emit({
					type: state === "COMPLETED" ? "userTask.completed" : "userTask.canceled",
					userTaskKey: row.key,
					tenantId: row.tenant_id,
					assignee: row.assignee,
					candidateUsers: row.candidate_users,
					candidateGroups: row.candidate_groups,
					units: row.units,
				});
			}
			if (done.length > 0)
				options.logger.info({ userTaskKeys: done.map((row) => row.key), state }, "user tasks ended in the engine");
		}
		return changed;
	};
	const sweep = () => {
		running ??= sweepOnce().finally(() => {
			running = undefined;
		});
		return running;
	};
	const timer = setInterval(() => {
		sweep().catch((error: unknown) =>
			options.logger.warn({ err: error }, "checking user tasks against the engine failed; retrying"),
		);
	}, options.intervalMs ?? 1000);
	timer.unref();
	return {
		sweep,
		close: async () => {
			clearInterval(timer);
			await running?.catch(() => undefined);
		},
	};
}
