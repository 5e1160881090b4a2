/**
 * Generation counters of "jobs of this type became activatable" (Zeebe's jobs-available notification,
 * zeebe-behaviour.md §4.2), bumped after each commit that made jobs of a type activatable.
 *
 * A long poll reads the generation before it sends its activation; if the activation came back empty but
 * the generation moved meanwhile, jobs appeared in between and it retries at once instead of parking (see
 * `ProcessingLoop.awaitJobs`). That closes the gap between "the batch answered empty" and "the poll parked".
 */
export class JobAvailability {
	private readonly generations = new Map<string, number>();

	/** The current generation of `type`. */
	generation(type: string): number {
		return this.generations.get(type) ?? 0;
	}

	/** Marks jobs of these types as available. */
	notify(types: Iterable<string>): void {
		for (const type of types) this.generations.set(type, this.generation(type) + 1);
	}
}
