import { MikroORM, type Options } from "@mikro-orm/core";
import { Migrator } from "@mikro-orm/migrations";
import { PostgreSqlDriver } from "@mikro-orm/postgresql";
import { domainEntities } from "./entities";
import { domainMigrations } from "./migrations";

/** Table recording which domain migrations ran (separate from the engine's and the API's). */
export const DOMAIN_MIGRATIONS_TABLE = "domain_migrations";

/** MikroORM options for the case records on PostgreSQL, shared by the ORM and the migrator. */
export function domainOrmOptions(databaseUrl: string): Options<PostgreSqlDriver> {
	return {
		driver: PostgreSqlDriver,
		clientUrl: databaseUrl,
		entities: domainEntities,
		extensions: [Migrator],
		debug: false,
		// Callers fork an EntityManager per request or job (orm.em.fork()); a shared context is a bug.
		allowGlobalContext: false,
		migrations: {
			tableName: DOMAIN_MIGRATIONS_TABLE,
			migrationsList: domainMigrations,
			transactional: true,
			allOrNothing: false,
			silent: true,
		},
	};
}

/**
 * Opens a MikroORM instance over the case-record entities. The schema must already be migrated
 * (`migrateDomainSchema`); this never changes it. `overrides` may set e.g. `pool` or `debug`; to share
 * one ORM with other entities, pass `entities: [...domainEntities, ...yours]`. Close with `orm.close()`.
 */
export async function openDomainOrm(
	databaseUrl: string,
	overrides: Partial<Options<PostgreSqlDriver>> = {},
): Promise<MikroORM<PostgreSqlDriver>> {
	return MikroORM.init({ ...domainOrmOptions(databaseUrl), ...overrides });
}
