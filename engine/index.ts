/**
 * The embedded Zeebe-compatible engine: PostgreSQL store, batched processing loop, gRPC gateway on the
 * protocol of `zeebe-node`, and read-only queries for monitoring. See engine/README.md.
 */
import type { Logger } from "pino";
import { engineCore } from "./core/index";
import { hostEngine, type RunningEngine } from "./runtime/engine-host";
import type { RetentionPolicy } from "./store/engine-store";

export type { RunningEngine } from "./runtime/engine-host";
export { ControlledClock } from "./runtime/controlled-clock";
export { EngineQueries, openEngineQueries } from "./query/index";
export { migrateEngineSchema } from "./store/migrate-engine-schema";
export { defaultRetention, type RetentionPolicy } from "./store/engine-store";

/** Options of {@link startEngine}. */
export interface StartEngineOptions {
	/** PostgreSQL connection URL; the engine's tables are migrated on start. */
	databaseUrl: string;
	/** gRPC gateway port (Zeebe's default is 26500); 0 picks a free one. */
	gatewayPort: number;
	/** Address the gateway binds to. @default "0.0.0.0" */
	gatewayHost?: string;
	/** Management HTTP port for `/actuator/health` (Zeebe's is 9600); none when absent. */
	managementPort?: number;
	logger: Logger;
	/** Engine clock, epoch ms. @default Date.now */
	clock?: () => number;
	/**
	 * Serve `/actuator/clock` on the management port to pin and move the engine clock, like Zeebe's
	 * `zeebe.clock.controlled` (env ENGINE_CLOCK_CONTROLLED=true in `npm run engine`). Tests and demos only.
	 * @default false
	 */
	clockControlled?: boolean;
	/**
	 * What the record log and the query side keep: by default every record of an instance until 365 days after
	 * it ended, and ended instances in the query side for good (env ENGINE_RECORD_RETENTION,
	 * ENGINE_RECORD_RETENTION_DAYS, ENGINE_INSTANCE_RETENTION_DAYS).
	 */
	retention?: Partial<RetentionPolicy>;
	/**
	 * Back-pressure: commands waiting to be processed beyond this many are refused with RESOURCE_EXHAUSTED at once
	 * (env ENGINE_MAX_QUEUED_COMMANDS). @default 10000
	 */
	maxQueuedCommands?: number;
}

/**
 * Migrates the engine's schema, recovers its state from PostgreSQL (latest snapshot + the records after
 * it), and serves the gateway. Stop it with `stop()`: batches in flight commit, a snapshot is taken.
 * @example
 * const engine = await startEngine({ databaseUrl, gatewayPort: 26500, logger });
 * // zeebe-node: new ZBClient(engine.gatewayAddress, { useTLS: false })
 */
export async function startEngine(options: StartEngineOptions): Promise<RunningEngine> {
	return hostEngine(engineCore, {
		databaseUrl: options.databaseUrl,
		gatewayPort: options.gatewayPort,
		gatewayHost: options.gatewayHost,
		managementPort: options.managementPort,
		logger: options.logger,
		clock: options.clock,
		clockControlled: options.clockControlled,
		retention: options.retention,
		...(options.maxQueuedCommands === undefined ? {} : { loop: { maxQueuedCommands: options.maxQueuedCommands } }),
	});
}
