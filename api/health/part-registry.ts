/** The state of one part of the platform (database, engine, api, workers, demo data, …). */
export type PartState = "starting" | "ready" | "failed" | "stopped" | "disabled";

export interface PartStatus {
	state: PartState;
	/** What the part says about itself: addresses, versions, the reason of a failure. */
	detail?: Record<string, unknown>;
	since: string;
}

/**
 * Which parts the platform runs and how each is doing. `npm start` registers every part before starting
 * any, so readiness stays false until each has reported `ready` (or is `disabled` by configuration).
 */
export class PartRegistry {
	readonly #parts = new Map<string, PartStatus>();

	/** Declares a part that readiness must wait for. */
	register(name: string, state: PartState = "starting", detail?: Record<string, unknown>): void {
		this.set(name, state, detail);
	}

	set(name: string, state: PartState, detail?: Record<string, unknown>): void {
		this.#parts.set(name, { state, detail, since: new Date().toISOString() });
	}

	/** Ready when there is at least one part and every part is ready or disabled. */
	ready(): boolean {
		if (this.#parts.size === 0) return false;
		for (const status of this.#parts.values()) if (status.state !== "ready" && status.state !== "disabled") return false;
		return true;
	}

	snapshot(): Record<string, PartStatus> {
		return Object.fromEntries(this.#parts);
	}
}
