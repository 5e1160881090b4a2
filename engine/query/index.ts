import { MikroORM, PostgreSqlDriver } from "@mikro-orm/postgresql";
import { EngineQueries } from "./engine-queries";

export * from "./engine-queries";

/**
 * Opens the engine's read-only queries on their own small pool, for a process that does not host the
 * engine (the API reading an engine run by `npm run engine`). Close it with `close()`.
 */
export async function openEngineQueries(databaseUrl: string, poolSize = 4): Promise<{ queries: EngineQueries; close(): Promise<void> }> {
	const orm = await MikroORM.init({
		driver: PostgreSqlDriver,
		clientUrl: databaseUrl,
		entities: [],
		discovery: { warnWhenNoEntities: false },
		allowGlobalContext: true,
		debug: false,
		pool: { min: 0, max: poolSize },
	});
	return { queries: new EngineQueries(orm.em.getConnection().getKnex()), close: () => orm.close(true) };
}
