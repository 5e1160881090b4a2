/**
 * `npm start`: the whole platform in one process — PostgreSQL (embedded unless DATABASE_URL), migrations,
 * the engine, the API and web app, the workers and the demo data. Ctrl-C stops everything cleanly.
 */
import pg from "pg";
import type { Logger } from "pino";
import { buildApp } from "../api/app";
import { runMigrations } from "../api/db/migrate";
import { apiMigrations } from "../api/db/migrations";
import { PartRegistry } from "../api/health/part-registry";
import { migrateDomainSchema } from "../domain/migrate";
import { ConfigError, type Config, loadConfig } from "./config";
import { type PlatformDatabase, provideDatabase } from "./platform/database";
import { createLogger } from "./platform/logger";

/** A started part; `order` decides the stop sequence (lower stops first; PostgreSQL stops last). */
type Stopper = { name: string; order: number; stop: () => Promise<void> };
const STOP_ORDER = { api: 10, workers: 20, engine: 30, database: 100 } as const;

async function main(): Promise<void> {
	let config: Config;
	try {
		config = loadConfig();
	} catch (error) {
		if (error instanceof ConfigError) {
			process.stderr.write(`mizan: invalid configuration: ${error.message}\n`);
			process.exit(2);
		}
		throw error;
	}
	const logger = createLogger({ level: config.LOG_LEVEL, format: config.LOG_FORMAT });
	const parts = new PartRegistry();
	const stoppers: Stopper[] = [];
	installShutdown(logger, stoppers, parts);

	parts.register("database");
	parts.register("migrations");
	parts.register("api");

	// HTTP first, so /health/ready answers (503) while the rest starts.
	const app = await buildApp({ logger: logger.child({ part: "api" }), parts });
	await app.listen({ port: config.PORT, host: config.HOST });
	stoppers.push({ name: "api", order: STOP_ORDER.api, stop: () => app.close() });
	parts.set("api", "ready", { url: `http://${config.HOST}:${config.PORT}` });

	let database: PlatformDatabase;
	try {
		database = await provideDatabase({
			databaseUrl: config.DATABASE_URL,
			dataDir: config.DATA_DIR,
			embeddedPort: config.EMBEDDED_PG_PORT,
			logger: logger.child({ part: "database" }),
		});
	} catch (error) {
		parts.set("database", "failed", { error: (error as Error).message });
		throw error;
	}
	stoppers.push({ name: "database", order: STOP_ORDER.database, stop: () => database.stop() });
	parts.set("database", "ready", { embedded: database.embedded });

	try {
		const migrationLogger = logger.child({ part: "migrations" });
		await runMigrations({ databaseUrl: database.url, tableName: "api_migrations", migrations: apiMigrations, logger: migrationLogger });
		await migrateDomainSchema(database.url, migrationLogger);
	} catch (error) {
		parts.set("migrations", "failed", { error: (error as Error).message });
		throw error;
	}
	parts.set("migrations", "ready");
	const starts = await countStart(database.url);
	logger.info({ starts }, starts === 1 ? "first start on this database" : "reusing existing data");

	logger.info({ url: `http://${config.HOST}:${config.PORT}`, ready: parts.ready() }, "Mizan is up");
}

/** Counts starts in `platform_fact` so that a restart visibly reuses the data. */
async function countStart(databaseUrl: string): Promise<number> {
	const client = new pg.Client({ connectionString: databaseUrl });
	await client.connect();
	try {
		const { rows } = await client.query(
			`insert into platform_fact (name, value) values ('starts', '1'::jsonb)
			 on conflict (name) do update set value = to_jsonb((platform_fact.value)::int + 1), updated_at = now()
			 returning (value)::int as starts`,
		);
		return rows[0].starts as number;
	} finally {
		await client.end();
	}
}

/** Ctrl-C / SIGTERM: stop parts in reverse order of start (PostgreSQL last). A second Ctrl-C exits at once. */
function installShutdown(logger: Logger, stoppers: Stopper[], parts: PartRegistry): void {
	let stopping = false;
	let firstSignalAt = 0;
	const shutdown = async (signal: string) => {
		// A terminal's Ctrl-C reaches npm, the shell and node at once: repeats within 2 s are the same press.
		if (stopping && Date.now() - firstSignalAt < 2_000) return;
		if (stopping) {
			logger.warn({ signal }, "second signal: exiting without waiting");
			process.exit(130);
		}
		stopping = true;
		firstSignalAt = Date.now();
		logger.info({ signal }, "stopping Mizan");
		for (const { name, stop } of [...stoppers].sort((a, b) => a.order - b.order)) {
			try {
				await stop();
				parts.set(name, "stopped");
				logger.info({ part: name }, "stopped");
			} catch (error) {
				logger.error({ part: name, err: error }, "failed to stop cleanly");
			}
		}
		logger.flush();
		process.exit(0);
	};
	process.on("SIGINT", () => void shutdown("SIGINT"));
	process.on("SIGTERM", () => void shutdown("SIGTERM"));
	process.on("unhandledRejection", (error) => logger.error({ err: error }, "unhandled promise rejection"));
	startFailure = async (error: unknown) => {
		logger.fatal({ err: error }, `start-up failed: ${(error as Error)?.message ?? error}`);
		stopping = true;
		for (const { stop } of [...stoppers].sort((a, b) => a.order - b.order)) await stop().catch(() => {});
		process.exit(1);
	};
}

let startFailure: (error: unknown) => Promise<void> = async (error) => {
	process.stderr.write(`mizan: start-up failed: ${(error as Error)?.message ?? error}\n`);
	process.exit(1);
};

main().catch((error) => startFailure(error));
