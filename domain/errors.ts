/**
 * Closed set of reasons a domain operation refuses. Workers map them to BPMN errors (`throwError`) and
 * the API to problem details; anything that is not a DomainError is a technical failure.
 */
export type DomainErrorCode =
	| "NOT_FOUND"
	| "INVALID_ARGUMENT"
	| "INVALID_STATE"
	| "ALREADY_EXISTS"
	| "RULE_VIOLATION"
	| "DEADLINE_PASSED";

/** A business refusal: the message names the record, the reason and what to do instead. */
export class DomainError extends Error {
	override name = "DomainError";
	constructor(
		readonly code: DomainErrorCode,
		message: string,
		/** Machine-readable detail, e.g. the list of violated limits. */
		readonly details?: Record<string, unknown>,
	) {
		super(message);
	}
}

/** Whether `error` is a {@link DomainError} (optionally with the given code). */
export function isDomainError(error: unknown, code?: DomainErrorCode): error is DomainError {
	return error instanceof DomainError && (code === undefined || error.code === code);
}
