import type { EntityManager } from "@mikro-orm/postgresql";
import type { BusinessErrorOutcome, CompleteOutcome, JobInput, OutgoingMessage } from "./job-module";

/** A settled outcome as stored in `worker_job_outcome`. */
export type StoredOutcome = CompleteOutcome | BusinessErrorOutcome;

interface OutcomeRow {
	outcome: "COMPLETE" | "ERROR";
	variables: Record<string, unknown>;
	error_code: string | null;
	error_message: string | null;
	messages: OutgoingMessage[];
}

/** The outcome stored for this job key by an earlier delivery, if any. */
export async function loadOutcome(em: EntityManager, jobKey: string): Promise<StoredOutcome | null> {
	const rows = await em.execute<OutcomeRow[]>(
		`select outcome, variables, error_code, error_message, messages from worker_job_outcome where job_key = ?`,
		[jobKey],
	);
	const row = rows[0];
	if (!row) return null;
	if (row.outcome === "ERROR") {
		const error: BusinessErrorOutcome = { kind: "error", errorCode: row.error_code ?? "", errorMessage: row.error_message ?? "" };
		return Object.keys(row.variables).length > 0 ? { ...error, variables: row.variables } : error;
	}
	return row.messages.length > 0
		? { kind: "complete", variables: row.variables, messages: row.messages }
		: { kind: "complete", variables: row.variables };
}

/**
 * Stores the outcome of a job; returns false when another delivery of the same job stored one first
 * (the caller then rolls back and reports that one).
 */
export async function storeOutcome(
	em: EntityManager,
	job: JobInput,
	caseNumber: string | undefined,
	outcome: StoredOutcome,
): Promise<boolean> {
	const inserted = await em.execute<{ job_key: string }[]>(
		`insert into worker_job_outcome
		   (job_key, job_type, process_instance_key, element_id, case_number, outcome, variables, error_code, error_message, messages)
		 values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?::jsonb)
		 on conflict (job_key) do nothing
		 returning job_key`,
		[
			job.key,
			job.type,
			job.processInstanceKey,
			job.elementId,
			caseNumber ?? null,
			outcome.kind === "complete" ? "COMPLETE" : "ERROR",
			JSON.stringify(outcome.variables ?? {}),
			outcome.kind === "error" ? outcome.errorCode : null,
			outcome.kind === "error" ? outcome.errorMessage : null,
			JSON.stringify(outcome.kind === "complete" ? (outcome.messages ?? []) : []),
		],
	);
	return inserted.length > 0;
}
