import type { Logger } from "pino";
import type { InstanceChange } from "../../engine/query/index";

/** The part of the engine's read side the feed polls (`EngineQueries`, embedded mode). */
export interface InstanceChangeSource {
	latestPosition(): Promise<number>;
	instanceChanges(afterPosition: number, limit?: number): Promise<{ changes: InstanceChange[]; nextPosition: number }>;
}

/** Options of {@link InstanceChangeFeed}. */
export interface InstanceChangeFeedOptions {
	/** The engine's reads, looked up on each poll (absent against a Zeebe cluster: the feed stays silent). */
	source: () => InstanceChangeSource | undefined;
	logger?: Logger;
	/** @default 250 */
	intervalMs?: number;
}

/**
 * Process instance changes (created, completed, canceled, incident raised or resolved) for the event streams,
 * read from the embedded engine's record log. It polls only while someone listens, starting at the log's end
 * when the first listener arrives (no replay of older changes), and fans each change out to every listener.
 */
export class InstanceChangeFeed {
	readonly #listeners = new Set<(change: InstanceChange) => void>();
	#position: number | undefined;
	#timer: NodeJS.Timeout | undefined;
	#polling: Promise<void> | undefined;
	#failing = false;

	constructor(private readonly options: InstanceChangeFeedOptions) {}

	/** Subscribes; returns the function that unsubscribes. */
	subscribe(listener: (change: InstanceChange) => void): () => void {
		this.#listeners.add(listener);
		if (!this.#timer) {
			this.#position = undefined;
			this.#timer = setInterval(() => void this.poll(), this.options.intervalMs ?? 250);
			this.#timer.unref();
			void this.poll();
		}
		return () => {
			this.#listeners.delete(listener);
			if (this.#listeners.size === 0) this.stop();
		};
	}

	/** Stops polling (app close); listeners stay registered but get nothing more. */
	stop(): void {
		clearInterval(this.#timer);
		this.#timer = undefined;
	}

	/** One poll: reads every change since the last one and hands them out. Concurrent calls share one poll. */
	poll(): Promise<void> {
		this.#polling ??= this.#pollOnce().finally(() => {
			this.#polling = undefined;
		});
		return this.#polling;
	}

	async #pollOnce(): Promise<void> {
		const source = this.options.source();
		if (!source || this.#listeners.size === 0) return;
		try {
			if (this.#position === undefined) {
				this.#position = await source.latestPosition();
				return;
			}
			for (;;) {
				const { changes, nextPosition } = await source.instanceChanges(this.#position, 500);
				this.#position = nextPosition;
				for (const change of changes) for (const listener of this.#listeners) listener(change);
				if (changes.length < 500) break;
			}
			this.#failing = false;
		} catch (error) {
			// Log once per outage, not on every poll.
			if (!this.#failing) this.options.logger?.warn({ err: error }, "reading instance changes from the engine failed");
			this.#failing = true;
		}
	}
}
