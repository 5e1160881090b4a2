import path from "node:path";
import pg from "pg";
import type { Logger } from "pino";
import { startEmbeddedPostgres } from "./embedded-postgres";
import { safeUrl } from "./logger";

/** The PostgreSQL every part uses. */
export interface PlatformDatabase {
	url: string;
	embedded: boolean;
	stop(): Promise<void>;
}

/** Name of the platform's database inside the embedded cluster. */
export const EMBEDDED_DATABASE = "mizan";

/**
 * `DATABASE_URL` when given; otherwise the embedded PostgreSQL with its data under `<dataDir>/pg`,
 * which survives restarts (a second start reuses it).
 */
export async function provideDatabase(options: {
	databaseUrl?: string;
	dataDir: string;
	embeddedPort: number;
	logger: Logger;
}): Promise<PlatformDatabase> {
	const log = options.logger;
	if (options.databaseUrl) {
		await waitForDatabase(options.databaseUrl, log);
		log.info({ url: safeUrl(options.databaseUrl) }, "using external PostgreSQL");
		return { url: options.databaseUrl, embedded: false, stop: async () => {} };
	}
	const dataDir = path.resolve(options.dataDir, "pg");
	const cluster = await startEmbeddedPostgres({ dataDir, port: options.embeddedPort, logger: log });
	const client = new pg.Client({ connectionString: cluster.adminUrl });
	await client.connect();
	try {
		const exists = await client.query("select 1 from pg_database where datname = $1", [EMBEDDED_DATABASE]);
		if (exists.rowCount === 0) await client.query(`create database ${EMBEDDED_DATABASE}`);
	} finally {
		await client.end();
	}
	log.info({ dataDir, port: cluster.port }, "embedded PostgreSQL is up");
	return { url: cluster.urlFor(EMBEDDED_DATABASE), embedded: true, stop: () => cluster.stop() };
}

/** Waits up to `timeoutMs` for an external PostgreSQL to accept connections (it may start after us). */
async function waitForDatabase(url: string, log: Logger, timeoutMs = 60_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (let attempt = 1; ; attempt++) {
		const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
		try {
			await client.connect();
			await client.query("select 1");
			return;
		} catch (error) {
			if (Date.now() > deadline) {
				throw new Error(`PostgreSQL at ${safeUrl(url)} did not accept connections within ${timeoutMs / 1000} s: ${(error as Error).message}`);
			}
			if (attempt === 1) log.warn({ url: safeUrl(url), err: (error as Error).message }, "waiting for PostgreSQL");
			await new Promise((resolve) => setTimeout(resolve, 1_000));
		} finally {
			await client.end().catch(() => {});
		}
	}
}
