/**
 * `npm start`: the whole platform in one process — PostgreSQL (embedded unless DATABASE_URL), migrations,
 * the engine (unless ZEEBE_ADDRESS), the API and web app, the job workers and, in demo mode, the demo data.
 * Ctrl-C stops everything cleanly.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import pg from "pg";
import type { Logger } from "pino";
import { buildApp } from "../api/app";
import { runMigrations } from "../api/db/migrate";
import { apiMigrations } from "../api/db/migrations";
import { PartRegistry } from "../api/health/part-registry";
import { oidcOptionsFrom } from "../api/auth/oidc";
import { startApi } from "../api/platform";
import { migrateDomainSchema } from "../domain/migrate";
import { startEngine } from "../engine/index";
import { migrateWorkersSchema } from "../workers/index";
import { startWorkers } from "../workers/runtime/start-workers";
import { type Config, ConfigError, loadConfig } from "./config";
import { seedDemoData } from "./platform/demo-data";
import { type PlatformDatabase, provideDatabase } from "./platform/database";
import { createLogger } from "./platform/logger";
import { ensureWebBuilt } from "./platform/web-build";

const root = path.resolve(import.meta.dirname, "..");

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
	const embeddedEngine = !config.ZEEBE_ADDRESS;
	const demoData = config.MIZAN_MODE === "demo" && config.DEMO_DATA;

	for (const part of ["database", "migrations", "engine", "api", "web", "workers", "demo-data"]) parts.register(part);
	if (!embeddedEngine) parts.set("engine", "disabled", { reason: "ZEEBE_ADDRESS is set", zeebe: config.ZEEBE_ADDRESS });
	if (!demoData) parts.set("demo-data", "disabled", { reason: config.MIZAN_MODE === "demo" ? "DEMO_DATA=false" : "production mode" });

	// Health first, so /health/ready answers 503 while the rest starts; swapped for the full app below.
	let app: FastifyInstance = await buildApp({ logger: logger.child({ part: "api" }), parts });
	await app.listen({ port: config.PORT, host: config.HOST });
	stoppers.push({ name: "api", order: STOP_ORDER.api, stop: () => app.close() });
	const webBuild = ensureWebBuilt(root, logger.child({ part: "web" }));

	const database = await step(parts, "database", () =>
		provideDatabase({
			databaseUrl: config.DATABASE_URL,
			dataDir: config.DATA_DIR,
			embeddedPort: config.EMBEDDED_PG_PORT,
			logger: logger.child({ part: "database" }),
		}),
	);
	stoppers.push({ name: "database", order: STOP_ORDER.database, stop: () => database.stop() });
	parts.set("database", "ready", { embedded: database.embedded });

	await step(parts, "migrations", () => migrateAll(database, logger.child({ part: "migrations" })));
	parts.set("migrations", "ready");
	const starts = await countStart(database.url);
	logger.info({ starts }, starts === 1 ? "first start on this database" : "reusing existing data");

	let gatewayAddress = config.ZEEBE_ADDRESS;
	let engineMetrics: (() => Promise<{ body: string }>) | undefined;
	if (embeddedEngine) {
		const engine = await step(parts, "engine", () =>
			startEngine({
				databaseUrl: database.url,
				gatewayPort: config.GATEWAY_PORT,
				gatewayHost: config.GATEWAY_HOST,
				managementPort: config.MANAGEMENT_PORT,
				clockControlled: config.ENGINE_CLOCK_CONTROLLED,
				maxQueuedCommands: config.ENGINE_MAX_QUEUED_COMMANDS,
				retention: {
					records: config.ENGINE_RECORD_RETENTION,
					recordDays: config.ENGINE_RECORD_RETENTION_DAYS,
					completedInstanceDays: config.ENGINE_INSTANCE_RETENTION_DAYS ?? null,
				},
				logger: logger.child({ part: "engine" }),
			}),
		);
		stoppers.push({ name: "engine", order: STOP_ORDER.engine, stop: () => engine.stop() });
		gatewayAddress = `127.0.0.1:${engine.gatewayPort}`;
		engineMetrics = engine.metrics;
		parts.set("engine", "ready", { gateway: `${config.GATEWAY_HOST}:${engine.gatewayPort}`, management: engine.managementPort });
	}

	const webDistDir = await step(parts, "web", () => webBuild);
	parts.set("web", "ready", { dist: path.relative(root, webDistDir) });

	const fullApp = await step(parts, "api", () =>
		startApi({
			databaseUrl: database.url,
			logger: logger.child({ part: "api" }),
			parts,
			mode: config.MIZAN_MODE,
			auth: {
				jwtSecret: config.JWT_SECRET,
				jwtTtlSeconds: config.JWT_TTL_SECONDS,
				loginRateLimit: { max: config.LOGIN_RATE_LIMIT_MAX, timeWindowMs: config.LOGIN_RATE_LIMIT_WINDOW_MS },
				jwtPrivateKeyPem: config.JWT_PRIVATE_KEY_FILE
					? readFileSync(path.resolve(root, config.JWT_PRIVATE_KEY_FILE), "utf8")
					: undefined,
				oidc: oidcOptionsFrom(config),
			},
			gatewayAddress,
			embeddedEngine,
			formsDir: path.resolve(root, config.FORMS_DIR),
			defaultTenantId: config.DEFAULT_TENANT_ID,
			bodyLimitBytes: config.BODY_LIMIT_BYTES,
			trustProxy: parseTrustProxy(config.TRUST_PROXY),
			webDistDir,
			engineMetrics,
		}),
	);
	await app.close();
	app = fullApp;
	await app.listen({ port: config.PORT, host: config.HOST });
	parts.set("api", "ready", { url: `http://${config.HOST}:${config.PORT}`, docs: "/docs" });

	if (!gatewayAddress) throw new Error("no engine: neither the embedded engine nor ZEEBE_ADDRESS");
	const zeebeAddress = gatewayAddress;
	const workers = await step(parts, "workers", () =>
		startWorkers({ zeebeAddress, databaseUrl: database.url, logger: logger.child({ part: "workers" }) }),
	);
	stoppers.push({ name: "workers", order: STOP_ORDER.workers, stop: () => workers.stop() });
	parts.set("workers", "ready");

	if (demoData) {
		const seeded = await step(parts, "demo-data", () =>
			seedDemoData({ databaseUrl: database.url, zeebeAddress, logger: logger.child({ part: "demo-data" }) }),
		);
		parts.set("demo-data", "ready", seeded);
	}

	logger.info(
		{ url: `http://${config.HOST}:${config.PORT}`, gateway: gatewayAddress, ready: parts.ready() },
		"Mizan is up: open the URL and sign in (demo users in scripts/demo-users.json)",
	);
}

/** Runs one start-up step; a failure marks its part failed with the reason before start-up stops. */
async function step<T>(parts: PartRegistry, name: string, run: () => Promise<T>): Promise<T> {
	try {
		return await run();
	} catch (error) {
		parts.set(name, "failed", { error: (error as Error).message });
		throw error;
	}
}

/** Every part's migrations but the engine's, which `startEngine` applies itself. */
async function migrateAll(database: PlatformDatabase, logger: Logger): Promise<void> {
	await runMigrations({ databaseUrl: database.url, tableName: "api_migrations", migrations: apiMigrations, logger });
	await migrateDomainSchema(database.url, logger);
	await migrateWorkersSchema(database.url, logger);
}

function parseTrustProxy(value: string | undefined): boolean | string | undefined {
	if (value === undefined) return undefined;
	if (value === "true" || value === "false") return value === "true";
	return value;
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

/** Ctrl-C / SIGTERM: stop parts by their order (HTTP first, PostgreSQL last). A second Ctrl-C exits at once. */
function installShutdown(logger: Logger, stoppers: Stopper[], parts: PartRegistry): void {
	let stopping = false;
	let firstSignalAt = 0;
	const stopAll = async () => {
		for (const { name, stop } of [...stoppers].sort((a, b) => a.order - b.order)) {
			try {
				await stop();
				parts.set(name, "stopped");
				logger.info({ part: name }, "stopped");
			} catch (error) {
				logger.error({ part: name, err: error }, "failed to stop cleanly");
			}
		}
	};
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
		await stopAll();
		logger.flush();
		process.exit(0);
	};
	process.on("SIGINT", () => void shutdown("SIGINT"));
	process.on("SIGTERM", () => void shutdown("SIGTERM"));
	process.on("unhandledRejection", (error) => logger.error({ err: error }, "unhandled promise rejection"));
	startFailure = async (error: unknown) => {
		logger.fatal({ err: error }, `start-up failed: ${(error as Error)?.message ?? error}`);
		stopping = true;
		await stopAll();
		logger.flush();
		process.exit(1);
	};
}

let startFailure: (error: unknown) => Promise<void> = async (error) => {
	process.stderr.write(`mizan: start-up failed: ${(error as Error)?.message ?? error}\n`);
	process.exit(1);
};

main().catch((error) => startFailure(error));
