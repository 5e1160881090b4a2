import { MikroORM } from "@mikro-orm/core";
import { Migrator } from "@mikro-orm/migrations";
import { PostgreSqlDriver } from "@mikro-orm/postgresql";
import type { Logger } from "pino";
import { workersMigrations } from "./migrations";

/** Table recording which workers migrations ran (separate from the engine's, the API's and the domain's). */
export const WORKERS_MIGRATIONS_TABLE = "workers_migrations";

/** Thrown when a workers migration fails; the message names the migration and the database's error. */
export class WorkersMigrationError extends Error {
	override name = "WorkersMigrationError";
	constructor(
		readonly migration: string,
		readonly databaseError: string,
	) {
		super(
			`Workers migration ${migration} failed: ${databaseError}. Fix the migration or the database, then start again.`,
		);
	}
}

/**
 * Applies the pending workers migrations (`worker_job_outcome`, `worker_document`), recording them in
 * `workers_migrations`. Run it after `migrateDomainSchema`; safe to call on every start.
 */
export async function migrateWorkersSchema(databaseUrl: string, logger: Logger): Promise<void> {
	const orm = await MikroORM.init({
		driver: PostgreSqlDriver,
		clientUrl: databaseUrl,
		entities: [],
		discovery: { warnWhenNoEntities: false },
		extensions: [Migrator],
		allowGlobalContext: true,
		migrations: {
			tableName: WORKERS_MIGRATIONS_TABLE,
			migrationsList: workersMigrations,
			transactional: true,
			allOrNothing: false,
			silent: true,
		},
	});
	try {
		const migrator = orm.getMigrator();
		for (const migration of await migrator.getPendingMigrations()) {
			try {
				await migrator.up({ migrations: [migration.name] });
			} catch (error) {
				const message = error instanceof Error ? (error.message.split("\n").pop() ?? error.message) : String(error);
				throw new WorkersMigrationError(migration.name, message);
			}
			logger.info({ migration: migration.name }, "workers migration applied");
		}
	} finally {
		await orm.close(true);
	}
}
