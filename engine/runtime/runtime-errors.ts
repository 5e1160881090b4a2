/**
 * Why the runtime could not take or finish a command. The gateway maps each to a gRPC status:
 * back-pressure → RESOURCE_EXHAUSTED, unavailable → UNAVAILABLE, processing failure → INTERNAL.
 */

/** The command queue is full: the client should retry later (Zeebe's back-pressure). */
export class EngineBackPressureError extends Error {
	override name = "EngineBackPressureError";
	constructor(queued: number) {
		super(`The engine is busy: ${queued} commands are waiting to be processed. Retry with back-off.`);
	}
}

/** The engine is stopping, recovering, or could not commit the batch that held the command. */
export class EngineUnavailableError extends Error {
	override name = "EngineUnavailableError";
}

/** The core threw while processing the command (a bug, not a rejection). */
export class EngineProcessingError extends Error {
	override name = "EngineProcessingError";
}
