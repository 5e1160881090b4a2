import type { MikroORM } from "@mikro-orm/core";
import type { EntityManager, PostgreSqlDriver } from "@mikro-orm/postgresql";
import type { Logger } from "pino";
import { type ZBWorker, ZBClient } from "zeebe-node";
import { LEGAL_CLOCKS, LocalPersonRegistry, openDomainOrm } from "../../domain";
import { jobModules } from "../jobs";
import type { JobInput, JobModule, JobOutcome, JobServices, OutgoingMessage } from "./job-module";
import { runJob } from "./run-job";

/** Options of {@link startWorkers}. Give `databaseUrl` (the workers open and close an ORM) or an open `orm`. */
export interface StartWorkersOptions {
	/** Gateway address, e.g. `127.0.0.1:26500` (ZEEBE_ADDRESS). */
	zeebeAddress: string;
	databaseUrl?: string;
	/** An open ORM over the domain entities; the caller closes it. */
	orm?: MikroORM<PostgreSqlDriver>;
	logger: Logger;
	/** Adapters and clocks; the local simulators and the statutory tables by default. */
	services?: Partial<JobServices>;
	/** The job types to serve. @default every module of `workers/jobs` */
	modules?: readonly JobModule[];
	/** Name the engine records as the job's worker. @default "mizan-workers" */
	workerName?: string;
	/** Job activation time-out. @default 60_000 */
	jobTimeoutMs?: number;
}

/** Running workers; `stop()` closes the workers, the client and (when it opened it) the ORM. */
export interface RunningWorkers {
	stop(): Promise<void>;
}

/** First retry back-off; each further retry doubles it (1 s, 2 s, 4 s …, at most 5 min). */
export const BASE_RETRY_BACKOFF_MS = 1_000;
const MAX_RETRY_BACKOFF_MS = 300_000;
/** Retries the diagrams give every service task (`zeebe:taskDefinition retries="3"`). */
const DIAGRAM_RETRIES = 3;

/** Exponential back-off for a job failing with `retriesLeft` retries left before this failure. */
export function retryBackOffMs(retriesLeft: number): number {
	const failuresSoFar = Math.max(0, DIAGRAM_RETRIES - retriesLeft);
	return Math.min(MAX_RETRY_BACKOFF_MS, BASE_RETRY_BACKOFF_MS * 2 ** failuresSoFar);
}

/**
 * Registers one zeebe-node worker per job type (domain.md §4) against the gateway and returns a handle
 * to stop them. Each job runs through {@link runJob}: idempotent on the job key, business errors as
 * BPMN errors, technical failures as `fail` with exponential back-off.
 * @example
 * const workers = await startWorkers({ zeebeAddress: "127.0.0.1:26500", databaseUrl, logger });
 * // …
 * await workers.stop();
 */
export async function startWorkers(options: StartWorkersOptions): Promise<RunningWorkers> {
	if (!options.orm && !options.databaseUrl) {
		throw new Error("startWorkers needs a databaseUrl or an open orm; pass one of them");
	}
	const ownsOrm = !options.orm;
	const orm = options.orm ?? (await openDomainOrm(options.databaseUrl as string));
	const services: JobServices = {
		identity: (em: EntityManager) => new LocalPersonRegistry(em),
		clocks: LEGAL_CLOCKS,
		now: () => new Date(),
		...options.services,
	};
	// Unless the caller fixes "now", a job's now is the engine's clock: its activation time (the deadline
	// Zeebe hands out minus the time-out) plus the time the handler has run since. With the engine on the
	// wall clock that is the wall clock; with a pinned or moved engine clock (scenarios, demos) the case
	// file's dates agree with the process's timers.
	const engineNow = options.services?.now === undefined;
	const timeoutMs = options.jobTimeoutMs ?? 60_000;
	const logger = options.logger;
	const zbc = new ZBClient(options.zeebeAddress, { useTLS: false, loglevel: "NONE" });
	const workers: ZBWorker<Record<string, unknown>, Record<string, string>, Record<string, unknown>>[] = [];
	for (const module of options.modules ?? jobModules) {
		workers.push(
			zbc.createWorker({
				taskType: module.type,
				id: options.workerName ?? "mizan-workers",
				timeout: timeoutMs,
				maxJobsToActivate: 8,
				loglevel: "NONE",
				taskHandler: async (job) => {
					const input: JobInput = {
						key: job.key,
						type: job.type,
						processInstanceKey: job.processInstanceKey,
						bpmnProcessId: job.bpmnProcessId,
						elementId: job.elementId,
						retries: job.retries,
						variables: job.variables,
						customHeaders: job.customHeaders,
					};
					let outcome: JobOutcome;
					let caseNumber: string | undefined;
					let replayed = false;
					try {
						const jobServices = engineNow ? { ...services, now: jobClock(job.deadline, timeoutMs) } : services;
						({ outcome, caseNumber, replayed } = await runJob(module, input, { orm, logger, services: jobServices }));
						if (outcome.kind === "complete") await publishAll(zbc, outcome.messages ?? []);
					} catch (error) {
						// The database or the gateway is unreachable: a technical failure like any other.
						outcome = { kind: "fail", errorMessage: `${module.type} failed: ${(error as Error).message}` };
					}
					const log = logger.child({ jobKey: job.key, jobType: module.type, caseNumber });
					switch (outcome.kind) {
						case "complete":
							log.info({ replayed }, "job completed");
							return job.complete(outcome.variables);
						case "error":
							log.info({ replayed, errorCode: outcome.errorCode }, "job threw a BPMN error");
							return job.error({
								errorCode: outcome.errorCode,
								errorMessage: outcome.errorMessage,
								variables: (outcome.variables ?? {}) as Record<string, never>,
							});
						case "fail": {
							const retries = outcome.final ? 0 : Math.max(0, job.retries - 1);
							const retryBackOff = retries > 0 ? retryBackOffMs(job.retries) : 0;
							log.warn({ retries, retryBackOff, reason: outcome.errorMessage }, "job failed");
							return job.fail({ errorMessage: outcome.errorMessage, retries, retryBackOff });
						}
					}
				},
			}),
		);
	}
	logger.info({ jobTypes: workers.length, zeebeAddress: options.zeebeAddress }, "workers started");
	return {
		stop: async () => {
			await Promise.all(workers.map((worker) => worker.close()));
			await zbc.close();
			if (ownsOrm) await orm.close(true);
		},
	};
}

/** Within this of the wall clock, the engine is taken to run on the wall clock (queue waits make up the gap). */
export const ENGINE_CLOCK_TOLERANCE_MS = 60_000;

/**
 * "Now" for one job on the engine's clock: activation = `deadline` − time-out, advanced by the time since the
 * handler started. An engine within {@link ENGINE_CLOCK_TOLERANCE_MS} of the wall clock runs on it (production):
 * then the wall clock is exact, where the activation time would lag by the job's wait in the worker's queue.
 * Falls back to the wall clock when the deadline is missing or not a number.
 */
export function jobClock(deadline: string | number | undefined, timeoutMs: number): () => Date {
	const activatedAt = Number(deadline) - timeoutMs;
	const startedAt = Date.now();
	if (
		!Number.isFinite(activatedAt) ||
		activatedAt <= 0 ||
		Math.abs(activatedAt - startedAt) < ENGINE_CLOCK_TOLERANCE_MS
	)
		return () => new Date();
	return () => new Date(activatedAt + (Date.now() - startedAt));
}

async function publishAll(zbc: ZBClient, messages: readonly OutgoingMessage[]): Promise<void> {
	for (const message of messages) {
		await zbc.publishMessage({
			name: message.name,
			correlationKey: message.correlationKey,
			messageId: message.messageId,
			variables: message.variables,
			timeToLive: message.timeToLiveMs ?? 3_600_000,
		});
	}
}
