import type { Logger } from "pino";
import type { EngineCommand, EngineCore, EngineRecord } from "../core/contract";
import type { EngineStore } from "../store/engine-store";
import type { LoopMetrics } from "./engine-metrics";
import { JobAvailability } from "./job-availability";
import { EngineBackPressureError, EngineProcessingError, EngineUnavailableError } from "./runtime-errors";

/** Options of {@link ProcessingLoop.start}. */
export interface ProcessingLoopOptions<S> {
	core: EngineCore<S>;
	store: EngineStore;
	logger: Logger;
	/** Epoch-ms clock handed to the core. @default Date.now */
	clock?: () => number;
	/** Commands waiting beyond this are refused with back-pressure. @default 10000 */
	maxQueuedCommands?: number;
	/** Most commands processed into one transaction. @default 500 */
	maxBatchCommands?: number;
	/** Take a snapshot after this many records… @default 200000 */
	snapshotEveryRecords?: number;
	/** …or after this long with at least one new record. @default 60000 */
	snapshotIntervalMs?: number;
	/** How often due work (job time-outs, back-offs, timers) is looked for at the latest. @default 1000 */
	dueCheckIntervalMs?: number;
	/** Receives batch, commit and back-pressure measurements (Prometheus). */
	metrics?: LoopMetrics;
	/**
	 * The store's retention policy is applied after a snapshot at most this often (wall clock); its cut-off
	 * follows the engine clock. @default 600000
	 */
	retentionIntervalMs?: number;
}

/** What a parked long poll ended with: the activation's answer, or why there is none. */
export type LongPollOutcome = { record: EngineRecord } | { retry: true } | { timedOut: true };

/** An ActivateJobs request waiting inside the loop for jobs of its type. */
interface ParkedPoll {
	command: EngineCommand;
	requestId: number;
	finish(outcome: LongPollOutcome): boolean;
}

interface Pending {
	resolve(record: EngineRecord): void;
	reject(error: Error): void;
	/** CreateProcessInstanceWithResult: answered when the instance completes, not in its own batch. */
	awaitsResult: boolean;
}

/** A batch processed in memory, waiting for (or being) committed. */
interface ProcessedBatch {
	records: EngineRecord[];
	responses: Array<{ requestId: number; record: EngineRecord }>;
	requestIds: number[];
	jobsAvailable: Set<string>;
}

/**
 * Records that may schedule work sooner than the next regular (1 s) due check: a back-off and a timer can be
 * shorter than that. Job deadlines and message TTLs are left to the regular check, like Zeebe's 1 s job
 * time-out checker; `dueWork` scans every activated job, so it must not run after every batch.
 */
function schedulesSoon(record: EngineRecord): boolean {
	if (record.valueType === "TIMER") return record.intent === "CREATED";
	if (record.valueType === "JOB" && record.intent === "FAILED") return Number((record.value as { retryBackoff?: unknown }).retryBackoff ?? 0) > 0;
	return false;
}

/**
 * The engine's single writer (ARCHITECTURE.md, "Processing loop"). Commands queue up; the loop takes a
 * batch, lets the pure core process each command with its follow-ups, appends all the batch's records
 * (and projections) to PostgreSQL in ONE transaction, and only after the commit answers the clients and
 * wakes long polls. While batch N commits, batch N+1 is processed in memory (commits stay strictly
 * ordered on the writer connection); if a commit fails, that batch and every later one still in flight
 * are answered UNAVAILABLE and the state is rebuilt from the store.
 */
export class ProcessingLoop<S> {
	/** Jobs-available generations; bumped after each commit that made jobs activatable. */
	readonly jobs = new JobAvailability();

	private state: S;
	private readonly queue: EngineCommand[] = [];
	private readonly pending = new Map<number, Pending>();
	/** Long polls by job type, activated as soon as a command makes such jobs activatable. */
	private readonly parked = new Map<string, ParkedPoll[]>();
	private nextRequestId = 1;
	private preparing = 0;
	private running = false;
	private stopped = false;
	private needsRebuild = false;
	private rebuilding = false;
	private commitTail: Promise<void> = Promise.resolve();
	private readonly inFlight: Promise<void>[] = [];
	private lastCommitError: string | null = null;
	private dueCheckRequested = true;
	private dueTimer: NodeJS.Timeout | undefined;
	private recordsSinceSnapshot = 0;
	private lastSnapshotAt: number;
	private snapshotWrite: Promise<void> = Promise.resolve();
	private committedPosition = 0;
	private lastRetentionAt = Number.NEGATIVE_INFINITY;

	private readonly core: EngineCore<S>;
	private readonly store: EngineStore;
	private readonly log: Logger;
	private readonly clock: () => number;
	private readonly maxQueued: number;
	private readonly maxBatch: number;
	private readonly snapshotEveryRecords: number;
	private readonly snapshotIntervalMs: number;
	private readonly dueCheckIntervalMs: number;
	private readonly metrics: LoopMetrics | undefined;
	private readonly retentionIntervalMs: number;

	private constructor(options: ProcessingLoopOptions<S>, state: S) {
		this.core = options.core;
		this.store = options.store;
		this.log = options.logger;
		this.clock = options.clock ?? Date.now;
		this.maxQueued = options.maxQueuedCommands ?? 10_000;
		this.maxBatch = options.maxBatchCommands ?? 500;
		this.snapshotEveryRecords = options.snapshotEveryRecords ?? 200_000;
		this.snapshotIntervalMs = options.snapshotIntervalMs ?? 60_000;
		this.dueCheckIntervalMs = options.dueCheckIntervalMs ?? 1_000;
		this.metrics = options.metrics;
		this.retentionIntervalMs = options.retentionIntervalMs ?? 600_000;
		this.state = state;
		this.committedPosition = options.core.lastPosition(state);
		this.lastSnapshotAt = Date.now();
	}

	/** Recovers the state from the store (latest snapshot + the records after it) and starts the loop. */
	static async start<S>(options: ProcessingLoopOptions<S>): Promise<ProcessingLoop<S>> {
		const started = Date.now();
		const { state, replayed } = await recoverState(options.core, options.store);
		const loop = new ProcessingLoop(options, state);
		options.logger.info({ position: loop.committedPosition, replayed, ms: Date.now() - started }, "engine state recovered");
		loop.kick();
		return loop;
	}

	/**
	 * Queues a client command and resolves with the record that answers it (its event, or a
	 * COMMAND_REJECTION) once the batch holding it is committed.
	 * @throws EngineBackPressureError when the queue is full, EngineUnavailableError when stopping or the
	 *   commit failed, EngineProcessingError when the core failed on it
	 */
	async submit(command: EngineCommand, hooks?: { onRequestId?: (requestId: number) => void }): Promise<EngineRecord> {
		this.assertAccepting();
		this.preparing++;
		let prepared: EngineCommand;
		try {
			prepared = await this.core.prepareCommand(command);
		} finally {
			this.preparing--;
		}
		if (this.stopped) throw new EngineUnavailableError("The engine is stopping; the command was not processed.");
		const requestId = this.nextRequestId++;
		const answer = new Promise<EngineRecord>((resolve, reject) => {
			this.pending.set(requestId, { resolve, reject, awaitsResult: command.intent === "CREATE_WITH_AWAITING_RESULT" });
		});
		this.queue.push({ ...prepared, requestId });
		hooks?.onRequestId?.(requestId);
		this.kick();
		return answer;
	}

	/** Forgets a request whose client gave up (e.g. CreateProcessInstanceWithResult timed out). */
	abandon(requestId: number): void {
		this.pending.delete(requestId);
	}

	/**
	 * Parks an ActivateJobs command until jobs of `type` become activatable, then processes it at once: in
	 * the very batch whose command created the jobs (one commit from job creation to delivery), or in the
	 * next batch when they became available another way. `since` is the jobs generation read before the
	 * activation that came back empty; if it moved meanwhile, the caller retries at once.
	 */
	awaitJobs(
		command: EngineCommand,
		type: string,
		since: number,
		timeoutMs: number,
		options: { signal?: AbortSignal; onOrphaned?: (record: EngineRecord) => void } = {},
	): Promise<LongPollOutcome> {
		const signal = options.signal;
		if (this.stopped) return Promise.resolve({ timedOut: true });
		if (this.jobs.generation(type) !== since) return Promise.resolve({ retry: true });
		if (signal?.aborted) return Promise.resolve({ timedOut: true });
		return new Promise<LongPollOutcome>((resolve) => {
			const requestId = this.nextRequestId++;
			let done = false;
			const finish = (outcome: LongPollOutcome): boolean => {
				if (done) return false;
				done = true;
				clearTimeout(timer);
				signal?.removeEventListener("abort", onAbort);
				resolve(outcome);
				return true;
			};
			const unpark = () => {
				const list = this.parked.get(type);
				const at = list?.indexOf(poll) ?? -1;
				if (list && at >= 0) list.splice(at, 1);
				// Once queued, the activation runs; its answer (with jobs) is still delivered or handed back.
				if (at >= 0) this.pending.delete(requestId);
			};
			const onAbort = () => {
				unpark();
				finish({ timedOut: true });
			};
			const timer = setTimeout(onAbort, timeoutMs);
			signal?.addEventListener("abort", onAbort, { once: true });
			const poll: ParkedPoll = { command: { ...command, requestId }, requestId, finish };
			this.pending.set(requestId, {
				// An activation that was already running when the poll gave up: its jobs go back via the caller.
				resolve: (record) => {
					if (!finish({ record })) options.onOrphaned?.(record);
				},
				reject: () => finish({ retry: true }),
				awaitsResult: false,
			});
			const list = this.parked.get(type) ?? [];
			list.push(poll);
			this.parked.set(type, list);
		});
	}

	/** Takes the parked polls of these types out of the parking (they are about to be processed). */
	private unparkPolls(types: Iterable<string>): EngineCommand[] {
		const commands: EngineCommand[] = [];
		for (const type of types) {
			const list = this.parked.get(type);
			if (!list || list.length === 0) continue;
			this.parked.delete(type);
			for (const poll of list) commands.push(poll.command);
		}
		return commands;
	}

	/** Looks for due work now, e.g. after a controlled clock moved. */
	checkDueWork(): void {
		this.dueCheckRequested = true;
		this.kick();
	}

	/** For health checks. */
	status(): { status: "UP" | "DOWN"; details: Record<string, unknown> } {
		const up = !this.stopped && !this.rebuilding && this.lastCommitError === null;
		return {
			status: up ? "UP" : "DOWN",
			details: {
				position: this.committedPosition,
				queued: this.queue.length,
				waitingForResult: this.pending.size,
				...(this.rebuilding ? { rebuilding: true } : {}),
				...(this.lastCommitError ? { lastCommitError: this.lastCommitError } : {}),
				...(this.stopped ? { stopped: true } : {}),
			},
		};
	}

	/** Stops taking commands, lets batches in flight commit, refuses what is still queued, takes a snapshot. */
	async stop(): Promise<void> {
		if (this.stopped) return;
		this.stopped = true;
		clearTimeout(this.dueTimer);
		const unavailable = () => new EngineUnavailableError("The engine stopped before processing the command. Retry when it is back.");
		for (const command of this.queue.splice(0)) this.rejectRequest(command.requestId, unavailable());
		await Promise.allSettled(this.inFlight);
		while (this.running) await new Promise((resolve) => setTimeout(resolve, 5));
		for (const list of this.parked.values()) for (const poll of list) poll.finish({ timedOut: true });
		this.parked.clear();
		for (const [requestId] of this.pending) this.rejectRequest(requestId, unavailable());
		if (!this.needsRebuild && this.recordsSinceSnapshot > 0) await this.takeSnapshot();
		await this.snapshotWrite;
	}

	private assertAccepting(): void {
		if (this.stopped) throw new EngineUnavailableError("The engine is stopping; the command was not processed. Retry when it is back.");
		// A failed commit (database down or restarting): answer at once instead of queueing commands that would
		// wait for the database; the loop keeps retrying and accepts commands again once its state is rebuilt.
		if (this.lastCommitError !== null) {
			throw new EngineUnavailableError(`The engine cannot store commands right now (${this.lastCommitError}); the command was not processed. Retry.`);
		}
		const waiting = this.queue.length + this.preparing;
		if (waiting >= this.maxQueued) {
			this.metrics?.backPressure();
			throw new EngineBackPressureError(waiting);
		}
	}

	private kick(): void {
		if (this.running || this.stopped) return;
		this.running = true;
		setImmediate(() => {
			this.run().catch((error) => this.log.error({ err: error }, "processing loop crashed"));
		});
	}

	private async run(): Promise<void> {
		try {
			while (!this.stopped) {
				if (this.needsRebuild) {
					await this.rebuild();
					continue;
				}
				if (this.snapshotIsDue()) {
					await Promise.allSettled(this.inFlight);
					if (!this.needsRebuild) await this.takeSnapshot();
					continue;
				}
				const commands = this.takeBatch();
				if (commands.length === 0) break;
				const batch = this.processBatch(commands);
				this.commit(batch);
				// At most one batch commits while the next is processed: bounded latency and memory.
				while (this.inFlight.length >= 2) await this.inFlight[0];
			}
		} finally {
			this.running = false;
		}
		if (!this.stopped && (this.queue.length > 0 || this.needsRebuild)) this.kick();
	}

	private takeBatch(): EngineCommand[] {
		const commands: EngineCommand[] = [];
		if (this.dueCheckRequested) {
			this.dueCheckRequested = false;
			const due = this.core.dueWork(this.state, this.clock());
			commands.push(...due.commands);
			this.scheduleDueCheck(due.nextDueAt);
		}
		const take = Math.min(this.queue.length, this.maxBatch);
		for (let i = 0; i < take; i++) commands.push(this.queue[i] as EngineCommand);
		this.queue.splice(0, take);
		return commands;
	}

	private processBatch(commands: EngineCommand[]): ProcessedBatch {
		const batch: ProcessedBatch = { records: [], responses: [], requestIds: [], jobsAvailable: new Set() };
		let schedules = false;
		for (let index = 0; index < commands.length; index++) {
			const command = commands[index] as EngineCommand;
			let result: ReturnType<EngineCore<S>["processCommand"]>;
			try {
				result = this.core.processCommand(this.state, command, this.clock());
			} catch (error) {
				// A bug in the core: the state may be half-changed. Commit what the batch did before this
				// command, put the rest back, and rebuild the state from the store.
				this.log.error({ err: error, valueType: command.valueType, intent: command.intent, key: command.key }, "core failed to process a command");
				const message = `The engine failed to process ${command.valueType} ${command.intent}: ${(error as Error).message}`;
				this.rejectRequest(command.requestId, new EngineProcessingError(message));
				this.queue.unshift(...commands.slice(index + 1).filter((rest) => rest.requestId !== undefined));
				this.needsRebuild = true;
				break;
			}
			if (command.requestId !== undefined) batch.requestIds.push(command.requestId);
			for (const record of result.records) {
				batch.records.push(record);
				if (!schedules && record.recordType === "EVENT" && schedulesSoon(record)) schedules = true;
			}
			for (const response of result.responses) batch.responses.push(response);
			for (const type of result.jobsAvailable) batch.jobsAvailable.add(type);
			// Parked long polls of these types activate in this same batch: the jobs reach the worker with the
			// commit that created them, instead of one commit later.
			if (result.jobsAvailable.length > 0 && this.parked.size > 0) commands.push(...this.unparkPolls(result.jobsAvailable));
		}
		if (schedules) this.dueCheckRequested = true;
		// `commands` grew by the long polls activated in this batch; they count as processed too.
		this.metrics?.batchProcessed(commands);
		return batch;
	}

	private commit(batch: ProcessedBatch): void {
		const committed = this.commitTail.then(async () => {
			const started = performance.now();
			await this.store.appendBatch(batch.records);
			this.metrics?.batchCommitted(batch.records, performance.now() - started);
		});
		this.commitTail = committed;
		const settled = committed.then(
			() => this.onCommitted(batch),
			(error) => this.onCommitFailed(batch, error),
		);
		this.inFlight.push(settled);
		void settled.finally(() => {
			const at = this.inFlight.indexOf(settled);
			if (at >= 0) this.inFlight.splice(at, 1);
		});
	}

	private onCommitted(batch: ProcessedBatch): void {
		this.lastCommitError = null;
		const last = batch.records[batch.records.length - 1];
		if (last) this.committedPosition = last.position;
		this.recordsSinceSnapshot += batch.records.length;
		const answered = new Set<number>();
		for (const response of batch.responses) {
			answered.add(response.requestId);
			const pending = this.pending.get(response.requestId);
			if (!pending) continue;
			this.pending.delete(response.requestId);
			pending.resolve(response.record);
		}
		for (const requestId of batch.requestIds) {
			if (answered.has(requestId)) continue;
			const pending = this.pending.get(requestId);
			if (!pending || pending.awaitsResult) continue;
			this.pending.delete(requestId);
			pending.reject(new EngineProcessingError("The engine processed the command but gave no answer to it."));
		}
		if (batch.jobsAvailable.size > 0) {
			this.jobs.notify(batch.jobsAvailable);
			const woken = this.unparkPolls(batch.jobsAvailable);
			if (woken.length > 0) {
				this.queue.push(...woken);
				this.kick();
			}
		}
	}

	private onCommitFailed(batch: ProcessedBatch, error: unknown): void {
		const reason = (error as Error).message;
		if (this.lastCommitError === null) this.log.error({ err: error }, "batch commit failed; answering UNAVAILABLE and rebuilding state from the store");
		this.lastCommitError = reason;
		this.needsRebuild = true;
		for (const requestId of batch.requestIds) {
			this.rejectRequest(requestId, new EngineUnavailableError(`The engine could not store the command (${reason}); it was not applied. Retry.`));
		}
		this.kick();
	}

	private async rebuild(): Promise<void> {
		this.rebuilding = true;
		try {
			await Promise.allSettled(this.inFlight);
			this.commitTail = Promise.resolve();
			for (;;) {
				try {
					const { state, replayed } = await recoverState(this.core, this.store);
					this.state = state;
					this.committedPosition = this.core.lastPosition(state);
					this.log.warn({ position: this.committedPosition, replayed }, "engine state rebuilt from the store");
					break;
				} catch (error) {
					if (this.stopped) return;
					this.log.error({ err: error }, "rebuilding the engine state failed; retrying in 1 s");
					// Commands queued before the failure would wait for the database: answer them now.
					const reason = (error as Error).message;
					for (const command of this.queue.splice(0)) {
						this.rejectRequest(command.requestId, new EngineUnavailableError(`The engine cannot reach its database (${reason}); the command was not processed. Retry.`));
					}
					await new Promise((resolve) => setTimeout(resolve, 1_000));
				}
			}
			this.needsRebuild = false;
			this.lastCommitError = null;
			this.dueCheckRequested = true;
		} finally {
			this.rebuilding = false;
		}
	}

	private snapshotIsDue(): boolean {
		if (this.recordsSinceSnapshot === 0) return false;
		return this.recordsSinceSnapshot >= this.snapshotEveryRecords || Date.now() - this.lastSnapshotAt >= this.snapshotIntervalMs;
	}

	/** Snapshots the committed state; call only with nothing in flight. The write runs off the loop. */
	private async takeSnapshot(): Promise<void> {
		const position = this.core.lastPosition(this.state);
		const snapshot = this.core.snapshot(this.state);
		this.recordsSinceSnapshot = 0;
		this.lastSnapshotAt = Date.now();
		await this.snapshotWrite;
		const json = JSON.stringify(snapshot);
		this.snapshotWrite = this.store
			.saveSnapshotJson(position, json)
			.then(() => this.log.debug({ position }, "snapshot stored"))
			.catch((error) => this.log.warn({ err: error, position }, "snapshot could not be stored; recovery replays more records"))
			.then(() => this.applyRetentionIfDue());
	}

	/** Applies the store's retention policy when the last run is `retentionIntervalMs` ago; failures are logged only. */
	private async applyRetentionIfDue(): Promise<void> {
		if (this.stopped || Date.now() - this.lastRetentionAt < this.retentionIntervalMs) return;
		this.lastRetentionAt = Date.now();
		try {
			const result = await this.store.applyRetention(this.clock());
			this.metrics?.retentionApplied?.(result);
		} catch (error) {
			this.log.warn({ err: error }, "record retention failed; it is tried again after a later snapshot");
		}
	}

	private scheduleDueCheck(nextDueAt: number | null): void {
		clearTimeout(this.dueTimer);
		const now = this.clock();
		const delay = nextDueAt === null ? this.dueCheckIntervalMs : Math.max(0, Math.min(this.dueCheckIntervalMs, nextDueAt - now));
		this.dueTimer = setTimeout(() => this.checkDueWork(), delay);
		this.dueTimer.unref();
	}

	private rejectRequest(requestId: number | undefined, error: Error): void {
		if (requestId === undefined) return;
		const pending = this.pending.get(requestId);
		if (!pending) return;
		this.pending.delete(requestId);
		pending.reject(error);
	}
}

/** Latest snapshot restored, then every record after it replayed through the core, page by page. */
export async function recoverState<S>(core: EngineCore<S>, store: EngineStore, pageSize = 5_000): Promise<{ state: S; replayed: number }> {
	const snapshot = await store.latestSnapshot();
	const state = snapshot ? await core.restore(snapshot.state) : core.createState();
	let position = snapshot ? Math.max(snapshot.position, core.lastPosition(state)) : core.lastPosition(state);
	let replayed = 0;
	for (;;) {
		const records = await store.readRecords(position, pageSize);
		if (records.length === 0) break;
		await core.replay(state, records);
		replayed += records.length;
		position = (records[records.length - 1] as EngineRecord).position;
	}
	return { state, replayed };
}
