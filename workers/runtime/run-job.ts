import type { MikroORM } from "@mikro-orm/core";
import type { EntityManager, PostgreSqlDriver } from "@mikro-orm/postgresql";
import type { Logger } from "pino";
import { isDomainError } from "../../domain";
import type { BusinessErrorOutcome, FailOutcome, JobInput, JobModule, JobOutcome, JobServices } from "./job-module";
import { loadOutcome, type StoredOutcome, storeOutcome } from "./outcome.store";

/** The result of {@link runJob}: the outcome to report and whether it was replayed from an earlier delivery. */
export interface RunJobResult {
	outcome: JobOutcome;
	replayed: boolean;
	caseNumber?: string;
}

/** Dependencies of {@link runJob}. */
export interface RunJobDependencies {
	orm: MikroORM<PostgreSqlDriver>;
	logger: Logger;
	services: JobServices;
}

/** Thrown inside the job transaction to roll the handler's writes back while keeping its outcome. */
class RollBack extends Error {
	constructor(readonly outcome: BusinessErrorOutcome | FailOutcome | "LOST_RACE") {
		super("roll back the job transaction");
	}
}

/**
 * Runs one delivery of a job, exactly-once in effect: the handler's writes and the stored outcome commit
 * in one transaction keyed by the job key, and a redelivery returns the stored outcome without calling
 * the handler. A BPMN error is stored too (its writes are rolled back): the diagram took the error path,
 * and a redelivery must not take another one. A failure stores nothing, so the retry runs the handler again.
 */
export async function runJob(module: JobModule, job: JobInput, deps: RunJobDependencies): Promise<RunJobResult> {
	const em = deps.orm.em.fork() as EntityManager;
	const givenCaseNumber = typeof job.variables.caseNumber === "string" ? job.variables.caseNumber : undefined;
	const logger = deps.logger.child({ jobKey: job.key, jobType: job.type, caseNumber: givenCaseNumber });
	const previous = await loadOutcome(em, job.key);
	if (previous) return { outcome: previous, replayed: true, caseNumber: caseNumberOf(job, previous) };
	try {
		const outcome = await em.transactional(async (tx) => {
			const result = await module.handle(job, { em: tx as EntityManager, logger, services: deps.services });
			if (result.kind === "fail" || (result.kind === "error" && result.keepWrites !== true)) throw new RollBack(result);
			if (!(await storeOutcome(tx as EntityManager, job, caseNumberOf(job, result), result))) {
				throw new RollBack("LOST_RACE");
			}
			return result;
		});
		return { outcome, replayed: false, caseNumber: caseNumberOf(job, outcome) };
	} catch (error) {
		if (error instanceof RollBack) {
			if (error.outcome === "LOST_RACE") return replayStored(em, job);
			if (error.outcome.kind === "fail") return { outcome: error.outcome, replayed: false, caseNumber: givenCaseNumber };
			const errorOutcome = error.outcome;
			const stored = await em.fork().transactional((tx) =>
				storeOutcome(tx as EntityManager, job, givenCaseNumber, errorOutcome),
			);
			return stored ? { outcome: errorOutcome, replayed: false, caseNumber: givenCaseNumber } : replayStored(em, job);
		}
		const message = error instanceof Error ? error.message : String(error);
		// A DomainError is deterministic (illegal transition, unknown record): retrying cannot help, so the
		// job fails with no retries left and an incident shows the message at once.
		const final = isDomainError(error);
		return {
			outcome: { kind: "fail", errorMessage: `${job.type} failed: ${message}`, final },
			replayed: false,
			caseNumber: givenCaseNumber,
		};
	}
}

async function replayStored(em: EntityManager, job: JobInput): Promise<RunJobResult> {
	const stored = await loadOutcome(em.fork() as EntityManager, job.key);
	if (!stored) throw new Error(`Job ${job.key} lost the race to store its outcome, but no outcome is stored`);
	return { outcome: stored, replayed: true, caseNumber: caseNumberOf(job, stored) };
}

function caseNumberOf(job: JobInput, outcome: StoredOutcome | JobOutcome): string | undefined {
	const fromOutcome = outcome.kind === "complete" ? outcome.variables.caseNumber : undefined;
	if (typeof fromOutcome === "string") return fromOutcome;
	return typeof job.variables.caseNumber === "string" ? job.variables.caseNumber : undefined;
}
