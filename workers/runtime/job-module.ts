import type { EntityManager } from "@mikro-orm/postgresql";
import type { IdentityService, LegalClockRules } from "../../domain";
import type { Logger } from "pino";

/** Process variables as zeebe-node hands them over (JSON). */
export type JobVariables = Record<string, unknown>;

/** What a handler sees of an activated job. */
export interface JobInput {
	/** The job key: the idempotency key of everything the handler writes. */
	key: string;
	type: string;
	processInstanceKey: string;
	bpmnProcessId: string;
	elementId: string;
	retries: number;
	variables: JobVariables;
	/** `zeebe:taskHeaders` of the task (always strings). */
	customHeaders: Record<string, string>;
}

/** A message the worker publishes after its database work committed (e.g. `PersonArrested`). */
export interface OutgoingMessage {
	name: string;
	correlationKey: string;
	/** Zeebe drops a second message with the same id while the first is buffered, so a redelivery starts nothing twice. */
	messageId: string;
	variables: JobVariables;
	/** @default 3_600_000 (one hour) */
	timeToLiveMs?: number;
}

/** Complete the job with these variables (and publish these messages once the outcome is stored). */
export interface CompleteOutcome {
	kind: "complete";
	variables: JobVariables;
	messages?: OutgoingMessage[];
}

/** Throw a BPMN error: a business outcome the diagram catches with a boundary event. */
export interface BusinessErrorOutcome {
	kind: "error";
	errorCode: string;
	errorMessage: string;
	/** Variables the catching boundary event sees (e.g. `competentUnitCode`). */
	variables?: JobVariables;
	/**
	 * Commit what the handler wrote with the error (e.g. the INTEGRITY_ALERT custody entry that records a
	 * broken seal). By default a business error rolls the handler's writes back. @default false
	 */
	keepWrites?: boolean;
}

/** A technical failure: the job is failed with one retry fewer and an exponential back-off. */
export interface FailOutcome {
	kind: "fail";
	errorMessage: string;
	/** No point retrying (bad input that will not change): fail with 0 retries so an incident shows at once. */
	final?: boolean;
}

/** Every way a handler can settle a job. Handlers return one; the runtime tells the engine. */
export type JobOutcome = CompleteOutcome | BusinessErrorOutcome | FailOutcome;

/** @example return complete({ caseNumber }) */
export function complete(variables: JobVariables = {}, messages?: OutgoingMessage[]): CompleteOutcome {
	return messages?.length ? { kind: "complete", variables, messages } : { kind: "complete", variables };
}

/** @example return businessError("IDENTITY_NOT_FOUND", "…") */
export function businessError(
	errorCode: string,
	errorMessage: string,
	variables?: JobVariables,
	options: { keepWrites?: boolean } = {},
): BusinessErrorOutcome {
	return {
		kind: "error",
		errorCode,
		errorMessage,
		...(variables ? { variables } : {}),
		...(options.keepWrites ? { keepWrites: true } : {}),
	};
}

/** @example return fail("caseNumber is missing; map it into the task", { final: true }) */
export function fail(errorMessage: string, options: { final?: boolean } = {}): FailOutcome {
	return { kind: "fail", errorMessage, final: options.final };
}

/** Adapters and configuration shared by the handlers; production swaps the simulators here. */
export interface JobServices {
	/** The national identity service (NIC/Yakeen via GSB in production); the local registry by default. */
	identity: (em: EntityManager) => IdentityService;
	/** Legal clock tables by governing law (tests pass compressed ones). */
	clocks: Readonly<Record<string, LegalClockRules>>;
	/** The instant "now" of the handlers (so tests can pin it). */
	now: () => Date;
}

/** What a handler gets besides the job. */
export interface JobContext {
	/** An EntityManager inside the job's transaction: everything written commits with the outcome, or not at all. */
	em: EntityManager;
	/** Child logger already carrying jobKey, jobType and (when known) caseNumber; never log a national ID. */
	logger: Logger;
	services: JobServices;
}

/**
 * One job type: `type` is the BPMN `zeebe:taskDefinition type`, `handle` returns how the job settles
 * (STYLE.md: a handler cannot forget to settle, it has to return an outcome). Throwing is a technical
 * failure; a DomainError thrown is a final one (the same input would fail the same way).
 */
export interface JobModule {
	type: string;
	/** One line on what the worker does, for the README table and logs. */
	description: string;
	handle(job: JobInput, context: JobContext): Promise<JobOutcome>;
}
