import type { MikroORM } from "@mikro-orm/postgresql";
import type { Logger } from "pino";
import type { ZBClient } from "zeebe-node";
import { elementNameResolver } from "./element-name.resolver";
import { TaskEvents } from "./task-events";
import { endedJobsFromEngine, type InstanceJobsSource, startUserTaskReconciler } from "./user-task.reconciler";
import { startUserTaskWorker } from "./user-task.worker";

/** The engine read side the task service uses in embedded mode (`EngineQueries` from engine/query). */
export interface TaskServiceEngineReads extends InstanceJobsSource {
	getDefinition(key: string): Promise<{ xml: string | null } | null>;
}

/** Options of {@link startTaskService}. */
export interface StartTaskServiceOptions {
	zbc: ZBClient;
	orm: MikroORM;
	logger: Logger;
	/**
	 * Embedded mode: the engine's queries, for task names from the deployed XML and for taking tasks off the lists
	 * within a second when their jobs end. Absent against a Zeebe cluster: names are element ids and ended jobs are
	 * noticed at completion (409 USER_TASK_JOB_GONE).
	 */
	engineReads?: TaskServiceEngineReads;
	/** Env `DEFAULT_TENANT_ID`. @default "public-security" */
	defaultTenantId?: string;
	/** Env `USER_TASK_JOB_TIMEOUT_MS`. @default 2592000000 (30 days) */
	jobTimeoutMs?: number;
}

/**
 * Starts the task service: the `io.camunda.zeebe:userTask` worker and, in embedded mode, the reconciler.
 * Pass the returned `events` and the same `zbc` to `buildApp({ api: { tasks: { zbc, events } } })`.
 * @example
 * const tasks = startTaskService({ zbc, orm, logger, engineReads: new EngineQueries(engine.store.knex) });
 * const app = await buildApp({ logger, parts, api: { orm, mode, auth, tasks: { zbc, events: tasks.events } } });
 */
export function startTaskService(options: StartTaskServiceOptions): { events: TaskEvents; close(): Promise<void> } {
	const events = new TaskEvents();
	const reads = options.engineReads;
	const worker = startUserTaskWorker({
		zbc: options.zbc,
		orm: options.orm,
		logger: options.logger,
		events,
		defaultTenantId: options.defaultTenantId,
		jobTimeoutMs: options.jobTimeoutMs,
		resolveName: reads ? elementNameResolver(async (key) => (await reads.getDefinition(key))?.xml) : undefined,
	});
	const reconciler = reads
		? startUserTaskReconciler({
				orm: options.orm,
				logger: options.logger,
				endedJobs: endedJobsFromEngine(reads),
				events,
			})
		: undefined;
	return {
		events,
		close: async () => {
			await reconciler?.close();
			await worker.close();
		},
	};
}
