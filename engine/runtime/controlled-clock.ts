/**
 * The engine clock when `clockControlled` is on (Zeebe's `zeebe.clock.controlled`, served on the
 * management port as `/actuator/clock`): pinned to an instant, or moved by an offset from the system
 * clock. Everything the core does reads it per command (timers, message TTLs, job deadlines, FEEL
 * `now()`/`today()`), so tests and demos can jump over a 30-day deadline.
 */
export class ControlledClock {
	private pinnedAt: number | null = null;
	private offset = 0;

	/** @param system the underlying clock, epoch ms */
	constructor(private readonly system: () => number = Date.now) {}

	/** Current engine time, epoch ms. */
	now(): number {
		return this.pinnedAt ?? this.system() + this.offset;
	}

	/** Freezes the clock at `epochMilli` until it is moved, pinned again or reset. */
	pin(epochMilli: number): number {
		this.pinnedAt = epochMilli;
		this.offset = 0;
		return this.now();
	}

	/** Moves the clock by `offsetMilli` (a pinned clock stays pinned at the new instant). */
	add(offsetMilli: number): number {
		if (this.pinnedAt !== null) this.pinnedAt += offsetMilli;
		else this.offset += offsetMilli;
		return this.now();
	}

	/** Back to the system clock. */
	reset(): number {
		this.pinnedAt = null;
		this.offset = 0;
		return this.now();
	}

	/** Zeebe's clock response body. */
	describe(): { epochMilli: number; instant: string } {
		const epochMilli = this.now();
		return { epochMilli, instant: new Date(epochMilli).toISOString() };
	}
}
