import { applyEvent } from "./appliers/event-appliers";
import type { EngineCommand, EngineRecord, EngineResponse } from "./contract";
import type { EngineState } from "./engine-state";
import { type RejectionType, RecordType, type ValueType } from "./protocol";

/** A command waiting in the processing queue (a follow-up command already written to the log). */
export interface QueuedCommand {
	record: EngineRecord;
	requestId?: number;
}

/**
 * Everything processing one command (and its follow-ups) needs: the state, the clock and the writers.
 * Writing an event applies it to the state at once (Zeebe's StateWriter); follow-up commands are
 * written to the log and queued, to be processed in log order.
 */
export class ProcessingContext {
	readonly records: EngineRecord[] = [];
	readonly responses: EngineResponse[] = [];
	readonly jobsAvailable = new Set<string>();
	readonly queue: QueuedCommand[] = [];
	/** Position of the command being processed: the source of every record written now. */
	sourcePosition = -1;
	/**
	 * Scope key → ACTIVATE_ELEMENT commands written for it and not processed yet. Transient: it lets a scope
	 * know that a child is on its way (e.g. a boundary event after its activity was terminated), so that it
	 * does not complete in between. Always back to zero when processing ends.
	 */
	readonly pendingActivations = new Map<number, number>();
	/** Parallel joins ("scopeKey:gatewayId") whose activation is queued but not processed yet. */
	readonly pendingJoins = new Map<string, number>();
	/** Non-interrupting event sub-process instance key → key of its start event (where its trigger waits). */
	readonly eventSubProcessStarts = new Map<number, number>();
	/** Start instructions of instances created in this step: process instance key → element ids. */
	readonly startInstructions = new Map<number, string[]>();
	/**
	 * Element instances terminated by a process instance modification in this step: when one ends, a flow
	 * scope it leaves with nothing active is terminated too (not completed), up to the process instance.
	 */
	readonly terminatedByModification = new Set<number>();
	/** Multi-instance bodies activated in this step → their evaluated input collection (read by their inner instances). */
	readonly inputCollections = new Map<number, unknown[]>();

	constructor(
		readonly state: EngineState,
		readonly now: number,
	) {}

	/** Hands out the next key of the partition's single key counter. */
	nextKey(): number {
		// Keys are state: the counter only moves through records (see `advanceCounters`).
		return this.state.nextKey++;
	}

	private append(record: Omit<EngineRecord, "position" | "timestamp" | "sourceRecordPosition">): EngineRecord {
		this.state.position += 1;
		const full: EngineRecord = {
			position: this.state.position,
			sourceRecordPosition: this.sourcePosition,
			timestamp: this.now,
			...record,
		} as EngineRecord;
		this.records.push(full);
		return full;
	}

	/** Writes an event and applies it to the state. */
	event(valueType: ValueType, intent: string, key: number, value: object): EngineRecord {
		const record = this.append({
			recordType: RecordType.EVENT,
			valueType,
			intent,
			key,
			value: value as Record<string, unknown>,
		});
		applyEvent(this.state, record);
		return record;
	}

	/** Writes a follow-up command; it is processed after the commands written before it. */
	command(valueType: ValueType, intent: string, key: number, value: object): EngineRecord {
		const record = this.append({
			recordType: RecordType.COMMAND,
			valueType,
			intent,
			key,
			value: value as Record<string, unknown>,
		});
		this.queue.push({ record });
		return record;
	}

	/** Writes the record of a command that came from outside (position assigned, source -1). */
	external(command: EngineCommand, value: object): EngineRecord {
		const saved = this.sourcePosition;
		this.sourcePosition = -1;
		const record = this.append({
			recordType: RecordType.COMMAND,
			valueType: command.valueType,
			intent: command.intent,
			key: command.key,
			value: value as Record<string, unknown>,
		});
		this.sourcePosition = saved;
		return record;
	}

	/** Writes a rejection of `command` and answers its request. */
	reject(command: QueuedCommand, rejectionType: RejectionType, reason: string): EngineRecord {
		const record = this.append({
			recordType: RecordType.COMMAND_REJECTION,
			valueType: command.record.valueType,
			intent: command.record.intent,
			key: command.record.key,
			value: command.record.value,
			rejectionType,
			rejectionReason: reason,
		});
		this.respond(command.requestId, record);
		return record;
	}

	respond(requestId: number | undefined, record: EngineRecord): void {
		if (requestId !== undefined) this.responses.push({ requestId, record });
	}

	addPendingActivation(scopeKey: number, delta: number): void {
		const next = (this.pendingActivations.get(scopeKey) ?? 0) + delta;
		if (next <= 0) this.pendingActivations.delete(scopeKey);
		else this.pendingActivations.set(scopeKey, next);
	}
}
