/**
 * "Jobs of this type became activatable" notifications for long-polling ActivateJobs requests (Zeebe's
 * jobs-available notification, zeebe-behaviour.md §4.2).
 *
 * Each type has a generation counter that `notify` bumps. A poller reads the generation before it sends
 * its activation; if the activation came back empty but the generation moved meanwhile, jobs appeared in
 * between and it retries at once instead of parking. That closes the gap between "the batch answered
 * empty" and "the poller parked" without the runtime knowing about pollers.
 */
export class JobAvailability {
	private readonly generations = new Map<string, number>();
	private readonly waiters = new Map<string, Set<() => void>>();

	/** The current generation of `type`. */
	generation(type: string): number {
		return this.generations.get(type) ?? 0;
	}

	/** Marks jobs of these types as available and wakes everyone waiting for them. */
	notify(types: Iterable<string>): void {
		for (const type of types) {
			this.generations.set(type, this.generation(type) + 1);
			const waiting = this.waiters.get(type);
			if (!waiting) continue;
			this.waiters.delete(type);
			for (const wake of waiting) wake();
		}
	}

	/** Wakes every waiter (used when the engine stops). */
	wakeAll(): void {
		const all = [...this.waiters.values()];
		this.waiters.clear();
		for (const waiting of all) for (const wake of waiting) wake();
	}

	/**
	 * Waits until jobs of `type` become available after generation `since`, or `timeoutMs` passes, or
	 * `signal` aborts. Resolves true when notified (or already notified since `since`), false otherwise.
	 */
	wait(type: string, since: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
		if (this.generation(type) !== since) return Promise.resolve(true);
		if (signal?.aborted) return Promise.resolve(false);
		return new Promise((resolve) => {
			let waiting = this.waiters.get(type);
			if (!waiting) {
				waiting = new Set();
				this.waiters.set(type, waiting);
			}
			const finish = (notified: boolean) => {
				clearTimeout(timer);
				signal?.removeEventListener("abort", onAbort);
				this.waiters.get(type)?.delete(wake);
				resolve(notified);
			};
			const wake = () => finish(true);
			const onAbort = () => finish(false);
			const timer = setTimeout(() => finish(false), timeoutMs);
			waiting.add(wake);
			signal?.addEventListener("abort", onAbort, { once: true });
		});
	}
}
