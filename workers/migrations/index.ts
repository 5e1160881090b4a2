import type { Migration } from "@mikro-orm/migrations";
import { Migration20261128WorkerJobOutcome } from "./migration-20261128-worker-job-outcome";

/** A named migration class. */
export interface WorkersMigration {
	name: string;
	class: new (...args: ConstructorParameters<typeof Migration>) => Migration;
}

/** Workers migrations, in the order they run. Add new ones at the end; never edit one that shipped. */
export const workersMigrations: WorkersMigration[] = [
	{ name: "Migration20261128WorkerJobOutcome", class: Migration20261128WorkerJobOutcome },
];
