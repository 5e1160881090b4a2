import type { MikroORM } from "@mikro-orm/postgresql";
import type { Logger } from "pino";
import type { ZBClient } from "zeebe-node";
import type { TaskEvents } from "./task-events";
import type { UserTask } from "./user-task.entity";
import { taskFromJob, type UserTaskJob } from "./user-task-job";
import { UserTasksRepository } from "./user-tasks.repository";

/** The job type Zeebe gives the jobs of job-based user tasks. */
export const userTaskJobType = "io.camunda.zeebe:userTask";

/** Options of {@link startUserTaskWorker} and {@link storeUserTaskJob}. */
export interface UserTaskStoreOptions {
	orm: MikroORM;
	logger: Logger;
	/**
	 * Tenant of jobs without one (or with Zeebe's `<default>`). Env: `DEFAULT_TENANT_ID`.
	 * @default "public-security"
	 */
	defaultTenantId?: string;
	/** Looks up the element's name (job records carry only its id); the id is shown when it answers nothing. */
	resolveName?: (job: UserTaskJob) => Promise<string | undefined>;
	events?: TaskEvents;
	now?: () => Date;
}

/** Options of {@link startUserTaskWorker}. */
export interface UserTaskWorkerOptions extends UserTaskStoreOptions {
	zbc: ZBClient;
	/**
	 * How long the engine keeps a task's job activated for this service before offering it again (which only
	 * refreshes the stored deadline). Env: `USER_TASK_JOB_TIMEOUT_MS`.
	 * @default 2592000000 (30 days)
	 */
	jobTimeoutMs?: number;
	/** @default 32 */
	maxJobsToActivate?: number;
}

/**
 * The worker's store function: stores the task of one user task job, idempotently by job key.
 * @returns the stored task and whether it is new.
 */
export async function storeUserTaskJob(
	job: UserTaskJob,
	options: UserTaskStoreOptions,
): Promise<{ task: UserTask; created: boolean }> {
	const name = options.resolveName ? await options.resolveName(job).catch(() => undefined) : undefined;
	const task = taskFromJob(job, {
		defaultTenantId: options.defaultTenantId ?? "public-security",
		name,
		now: (options.now ?? (() => new Date()))(),
	});
	const created = await new UserTasksRepository(options.orm).store(task);
	if (created) {
		options.logger.info(
			{ userTaskKey: task.key, elementId: task.elementId, processInstanceKey: task.processInstanceKey },
			"user task stored",
		);
		options.events?.emit({
			type: "userTask.created",
			userTaskKey: task.key,
			tenantId: task.tenantId,
			assignee: task.assignee,
			candidateUsers: task.candidateUsers,
			candidateGroups: task.candidateGroups,
			units: task.units,
		});
	}
	return { task, created };
}

/**
 * The task service's side of the engine: a zeebe-node worker for `io.camunda.zeebe:userTask` that stores each
 * task and keeps its job activated (long time-out) until an officer completes it through the API, which then
 * completes the job. Works the same against the embedded engine and a Zeebe cluster.
 * @returns a handle whose `close()` stops polling.
 */
export function startUserTaskWorker(options: UserTaskWorkerOptions): { close(): Promise<void> } {
	const worker = options.zbc.createWorker({
		taskType: userTaskJobType,
		timeout: options.jobTimeoutMs ?? 30 * 24 * 60 * 60 * 1000,
		maxJobsToActivate: options.maxJobsToActivate ?? 32,
		taskHandler: async (job) => {
			try {
				await storeUserTaskJob(job as unknown as UserTaskJob, options);
				// The job stays activated: it is completed by POST /v2/user-tasks/{key}/completion.
				return job.forward();
			} catch (error) {
				options.logger.error(
					{ err: error, jobKey: job.key },
					"storing a user task failed; the job is offered again shortly",
				);
				// Keep the retries: a database hiccup must not turn into an incident.
				return job.fail({
					errorMessage: `The task service could not store the task: ${(error as Error).message}`,
					retries: job.retries,
					retryBackOff: 5000,
				});
			}
		},
	});
	return {
		close: async () => {
			await worker.close();
		},
	};
}
