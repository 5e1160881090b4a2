import type { MikroORM } from "@mikro-orm/core";
import type { EntityManager, PostgreSqlDriver } from "@mikro-orm/postgresql";
import pino from "pino";
import { createTestDatabase, type TestDatabase } from "../../scripts/testing/database";
import { migrateDomainSchema } from "../migrate";
import { openDomainOrm } from "../orm";
import { seedDomain } from "../seed/seed";

/** A migrated, seeded database with an open ORM, for one test file. */
export interface DomainTestDatabase {
	db: TestDatabase;
	orm: MikroORM<PostgreSqlDriver>;
	/** A fresh EntityManager (one per test step, as a request or job would have). */
	em(): EntityManager;
	close(): Promise<void>;
}

/** Creates a test database, migrates it, seeds the demo data of domain.md §5 and opens an ORM. */
export async function createDomainTestDatabase(prefix: string): Promise<DomainTestDatabase> {
	const db = await createTestDatabase(prefix);
	await migrateDomainSchema(db.url, pino({ level: "silent" }));
	const orm = await openDomainOrm(db.url);
	await seedDomain(orm);
	return {
		db,
		orm,
		em: () => orm.em.fork() as EntityManager,
		close: async () => {
			await orm.close(true);
			await db.drop();
		},
	};
}
