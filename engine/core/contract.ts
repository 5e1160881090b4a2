/**
 * The contract between the engine's pure core (processors, appliers, state) and its edges (store,
 * processing loop, gateway). The core does no I/O: the clock arrives as `now`, keys and positions come
 * from the state, and every change is an event record that an applier applies to the state.
 *
 * Durability model (ARCHITECTURE.md, "The embedded engine"): the runtime hands the core one command at a
 * time; the core processes it *and all its follow-up commands* and returns every record written. The
 * runtime appends the records of a whole batch of commands to PostgreSQL in one transaction and only
 * then sends the responses. Recovery = restore the latest snapshot, then `applyRecord` every EVENT
 * record after the snapshot's position: replaying the events rebuilds the same state (Zeebe's
 * "replay equals processing").
 */
import type { RecordType, RejectionType, ValueType } from "./protocol";

/** A record of the log, shaped like a Zeebe record. Keys and positions are JS numbers (exact below 2^53). */
export interface EngineRecord<V extends object = Record<string, unknown>> {
	/** Position in the log: strictly increasing, assigned by the core from its state. */
	position: number;
	/** Position of the command that caused this record; -1 for commands from outside. */
	sourceRecordPosition: number;
	/** The entity's key (Zeebe key), or -1. */
	key: number;
	recordType: RecordType;
	valueType: ValueType;
	/** Zeebe intent name, e.g. `ELEMENT_ACTIVATED`, `CREATED`, `COMPLETE`. */
	intent: string;
	/** Zeebe's record value for the value type (fields as in zeebe-behaviour.md §2.3). */
	value: V;
	/** Engine clock at processing time, epoch ms. */
	timestamp: number;
	/** Only on COMMAND_REJECTION records. */
	rejectionType?: RejectionType;
	rejectionReason?: string;
}

/**
 * A command from outside the core: the gateway (a client request), or the runtime's schedulers (timer
 * due, job time-out, back-off over, message TTL). `requestId` is set when a client waits for the answer.
 */
export interface EngineCommand<V extends object = Record<string, unknown>> {
	valueType: ValueType;
	intent: string;
	/** Key of the entity the command is about (job key, incident key, …), or -1. */
	key: number;
	value: V;
	requestId?: number;
}

/** The answer to a client's command: the event that settles it, or the rejection. */
export interface EngineResponse {
	requestId: number;
	record: EngineRecord;
}

/** What processing one command produced. */
export interface ProcessingResult {
	/** The command record itself, its follow-up commands, events and rejections, in log order. */
	records: EngineRecord[];
	/**
	 * Answers to send once `records` are committed. Usually the answer to the command's own `requestId`;
	 * may also answer earlier requests (CreateProcessInstanceWithResult when the instance completes).
	 */
	responses: EngineResponse[];
	/** Job types that got activatable jobs (created, timed out, failed with retries, recurred, …): wakes long polls. */
	jobsAvailable: string[];
}

/** Work that is due by time, asked for by the runtime's schedulers. */
export interface DueWork {
	/** Commands to process now (TIMER TRIGGER, JOB TIME_OUT, JOB RECUR_AFTER_BACKOFF, MESSAGE EXPIRE …). */
	commands: EngineCommand[];
	/** Earliest epoch ms at which more work becomes due, or null when nothing is scheduled. */
	nextDueAt: number | null;
}

/**
 * The pure engine. The runtime holds one state per partition and is its only writer.
 * @typeParam S the in-memory state
 */
export interface EngineCore<S> {
	/** An empty state (no definitions, key counter at its start). */
	createState(): S;
	/**
	 * Async preparation outside the processing loop, for work that cannot be synchronous: parsing and
	 * validating deployed BPMN/DMN/form resources with bpmn-moddle (whose parser is async). The runtime
	 * awaits it before queuing the command; it must not read or change the state. Commands that need no
	 * preparation are returned unchanged.
	 */
	prepareCommand(command: EngineCommand): Promise<EngineCommand>;
	/** Processes one command and all its follow-ups; mutates `state` only through appliers. */
	processCommand(state: S, command: EngineCommand, now: number): ProcessingResult;
	/**
	 * Replays records of the log in order (used on recovery): EVENT records go through their appliers; every
	 * record advances the position and key counters. Must leave the state exactly as processing left it.
	 * Async so that deployment events may re-parse their resources.
	 */
	replay(state: S, records: EngineRecord[]): Promise<void>;
	/** Work due at `now` (never early), and when the next work becomes due. */
	dueWork(state: S, now: number): DueWork;
	/** A JSON-serialisable copy of the state, and its inverse. */
	snapshot(state: S): unknown;
	restore(snapshot: unknown): Promise<S>;
	/** Position of the last record the state has seen (0 for an empty state). */
	lastPosition(state: S): number;
}
