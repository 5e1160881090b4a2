import type { Migration } from "@mikro-orm/migrations";
import { Migration20261128CaseRecords } from "./migration-20261128-case-records";
import { Migration20261128DetentionAnchor } from "./migration-20261128-detention-anchor";
import { Migration20261128IdempotencyKeys } from "./migration-20261128-idempotency-keys";

/** A named migration class. */
export interface DomainMigration {
	name: string;
	class: new (...args: ConstructorParameters<typeof Migration>) => Migration;
}

/** Domain migrations, in the order they run. Add new ones at the end; never edit one that shipped. */
export const domainMigrations: DomainMigration[] = [
	{ name: "Migration20261128CaseRecords", class: Migration20261128CaseRecords },
	{ name: "Migration20261128IdempotencyKeys", class: Migration20261128IdempotencyKeys },
	{ name: "Migration20261128DetentionAnchor", class: Migration20261128DetentionAnchor },
];
