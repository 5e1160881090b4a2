/**
 * `npm run engine`: the embedded engine alone (gateway on GATEWAY_PORT, default 26500; management port
 * MANAGEMENT_PORT, default 9600; both on GATEWAY_HOST, default 127.0.0.1). Needs DATABASE_URL. LOG_LEVEL, LOG_FORMAT (auto | json | pretty).
 * ENGINE_CLOCK_CONTROLLED=true lets `/actuator/clock` on the management port pin and move the engine clock.
 * ENGINE_RECORD_RETENTION, ENGINE_RECORD_RETENTION_DAYS, ENGINE_INSTANCE_RETENTION_DAYS as in `npm start`.
 * ENGINE_MAX_QUEUED_COMMANDS (10000): commands waiting beyond this are refused with RESOURCE_EXHAUSTED.
 * SIGINT/SIGTERM stop it cleanly.
 */
import { startEngine } from "../engine/index";
import { ConfigError, loadConfig } from "./config";
import { createLogger, safeUrl } from "./platform/logger";

const logFormat = process.env.LOG_FORMAT === "json" || process.env.LOG_FORMAT === "pretty" ? process.env.LOG_FORMAT : "auto";
const logger = createLogger({ level: process.env.LOG_LEVEL ?? "info", format: logFormat }).child({ part: "engine" });

function port(name: string, fallback: number): number {
	const raw = process.env[name];
	if (raw === undefined || raw === "") return fallback;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < 0 || value > 65535) {
		throw new Error(`${name} must be a TCP port number (0–65535), but is '${raw}'.`);
	}
	return value;
}

function wholeNumber(name: string, fallback: number): number {
	const raw = process.env[name];
	if (raw === undefined || raw === "") return fallback;
	const value = Number(raw);
	if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a whole number of at least 1, but is '${raw}'.`);
	return value;
}

function flag(name: string): boolean {
	const raw = (process.env[name] ?? "").trim().toLowerCase();
	if (raw === "" || raw === "false" || raw === "0") return false;
	if (raw === "true" || raw === "1") return true;
	throw new Error(`${name} must be 'true' or 'false', but is '${process.env[name]}'.`);
}

/** The retention variables, validated like `npm start` does (the other variables are read above). */
function retentionConfig() {
	const names = ["ENGINE_RECORD_RETENTION", "ENGINE_RECORD_RETENTION_DAYS", "ENGINE_INSTANCE_RETENTION_DAYS"];
	try {
		return loadConfig(Object.fromEntries(names.map((name) => [name, process.env[name]])));
	} catch (error) {
		if (error instanceof ConfigError) throw new Error(`invalid configuration: ${error.message}`);
		throw error;
	}
}

async function main(): Promise<void> {
	const databaseUrl = process.env.DATABASE_URL;
	if (!databaseUrl) {
		throw new Error("DATABASE_URL is not set: `npm run engine` needs a PostgreSQL URL, e.g. DATABASE_URL=postgres://user:pass@localhost:5432/mizan. (`npm start` runs an embedded PostgreSQL instead.)");
	}
	const config = retentionConfig();
	const engine = await startEngine({
		databaseUrl,
		gatewayPort: port("GATEWAY_PORT", 26500),
		// Loopback unless GATEWAY_HOST says otherwise, as in `npm start`: the gateway and management port have no sign-in.
		gatewayHost: process.env.GATEWAY_HOST || "127.0.0.1",
		managementPort: port("MANAGEMENT_PORT", 9600),
		clockControlled: flag("ENGINE_CLOCK_CONTROLLED"),
		maxQueuedCommands: wholeNumber("ENGINE_MAX_QUEUED_COMMANDS", 10_000),
		retention: {
			records: config.ENGINE_RECORD_RETENTION,
			recordDays: config.ENGINE_RECORD_RETENTION_DAYS,
			completedInstanceDays: config.ENGINE_INSTANCE_RETENTION_DAYS ?? null,
		},
		logger,
	});
	logger.info({ gateway: engine.gatewayAddress, database: safeUrl(databaseUrl) }, "engine ready");
	let stopping = false;
	const stop = (signal: string) => {
		if (stopping) return;
		stopping = true;
		logger.info({ signal }, "stopping engine");
		engine.stop().then(
			() => process.exit(0),
			(error) => {
				logger.error({ err: error }, "engine did not stop cleanly");
				process.exit(1);
			},
		);
	};
	process.on("SIGINT", () => stop("SIGINT"));
	process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error) => {
	logger.fatal({ err: error }, (error as Error).message);
	process.exit(1);
});
