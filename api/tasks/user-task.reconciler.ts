import type { MikroORM } from "@mikro-orm/postgresql";
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
			const done = await em.execute<
				Array<{
					key: string;
					tenant_id: string;
					assignee: string | null;
					candidate_users: string[];
					candidate_groups: string[];
					units: string[];
				}>
			>(
				`update user_task set state = ?, completion_date = ? where key = any(?::text[]) and state = 'CREATED'
				returning key, tenant_id, assignee, candidate_users, candidate_groups, units`,
				[state, now, textArray(keys)],
			);
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
