import type { Logger } from "pino";
import type { EngineCore } from "../core/contract";
import type { GatewayDefaults } from "../gateway/gateway.service";
import { startGateway } from "../gateway/gateway-server";
import { EngineQueries } from "../query/engine-queries";
import { EngineStore, type RetentionPolicy } from "../store/engine-store";
import { migrateEngineSchema } from "../store/migrate-engine-schema";
import { ControlledClock } from "./controlled-clock";
import { EngineMetrics } from "./engine-metrics";
import { startManagement } from "./management-server";
import { ProcessingLoop, type ProcessingLoopOptions } from "./processing-loop";

/** Options of {@link hostEngine}. */
export interface HostEngineOptions {
	databaseUrl: string;
	/** gRPC gateway port; 0 picks a free one. @default 26500 */
	gatewayPort?: number;
	/** Address the gateway binds to. @default "0.0.0.0" */
	gatewayHost?: string;
	/** Management HTTP port (`/actuator/health`), bound to `gatewayHost` like the gateway; none when absent. */
	managementPort?: number;
	logger: Logger;
	/** Engine clock, epoch ms. @default Date.now */
	clock?: () => number;
	/**
	 * Lets `/actuator/clock` on the management port pin and move the engine clock (Zeebe's
	 * `zeebe.clock.controlled`); for tests and demos, never production. @default false
	 */
	clockControlled?: boolean;
	/** Serve `/actuator/prometheus` on the management port. @default true */
	metrics?: boolean;
	/** What the record log and the query side keep (see `RetentionPolicy`); defaults keep case history. */
	retention?: Partial<RetentionPolicy>;
	/** Tuning of the processing loop. */
	loop?: Omit<ProcessingLoopOptions<unknown>, "core" | "store" | "logger" | "clock">;
	/** Gateway time-outs. */
	gateway?: Partial<GatewayDefaults>;
}

/** A running engine. */
export interface RunningEngine {
	/** `localhost:<port>` of the gRPC gateway. */
	gatewayAddress: string;
	gatewayPort: number;
	/** Port of the management HTTP server (`/actuator/health`), when one was asked for. */
	managementPort?: number;
	/** UP while the loop processes and the last commit succeeded. */
	health(): { status: "UP" | "DOWN"; details: Record<string, unknown> };
	/** The controlled clock, when `clockControlled` is on (the same one `/actuator/clock` moves). */
	clock?: ControlledClock;
	/** Looks for due work now (after a controlled clock moved). */
	checkDueWork(): void;
	/** Read-only monitoring queries on the engine's own pool (see engine/query). */
	queries: EngineQueries;
	/** The store (its `knex` pool serves the queries). */
	store: EngineStore;
	/** The Prometheus text of `/actuator/prometheus` (absent with `metrics: false`), e.g. for the API's `/metrics`. */
	metrics?: () => Promise<{ contentType: string; body: string }>;
	stop(): Promise<void>;
}

/**
 * Migrates the schema, recovers the state (snapshot + replay), starts the processing loop and the
 * gateway (and the management port when asked). The core is passed in so that this wiring does not depend
 * on one core build; `engine/index.ts` passes the real one.
 */
export async function hostEngine<S>(core: EngineCore<S>, options: HostEngineOptions): Promise<RunningEngine> {
	const log = options.logger;
	await migrateEngineSchema(options.databaseUrl, log);
	const store = await EngineStore.open({ databaseUrl: options.databaseUrl, logger: log, retention: options.retention });
	const controlled = options.clockControlled ? new ControlledClock(options.clock ?? Date.now) : undefined;
	if (controlled) log.warn("engine clock is controlled: /actuator/clock on the management port can pin and move it");
	const clock = controlled ? () => controlled.now() : options.clock;
	const metrics = options.metrics === false ? undefined : new EngineMetrics();
	let loop: ProcessingLoop<S>;
	try {
		loop = await ProcessingLoop.start({ ...options.loop, core, store, logger: log, clock, metrics });
	} catch (error) {
		await store.close();
		throw error;
	}
	metrics?.watch(() => {
		const details = loop.status().details;
		return { queued: Number(details.queued), waitingForResult: Number(details.waitingForResult), position: Number(details.position) };
	});
	const gateway = await startGateway({
		runtime: loop,
		logger: log,
		port: options.gatewayPort ?? 26500,
		host: options.gatewayHost,
		healthy: () => loop.status().status === "UP",
		defaults: options.gateway,
	}).catch(async (error) => {
		await loop.stop();
		await store.close();
		throw error;
	});
	const health = () => {
		const status = loop.status();
		return { status: status.status, details: { ...status.details, gateway: gateway.address } };
	};
	const management =
		options.managementPort === undefined
			? undefined
			: await startManagement({ port: options.managementPort, host: options.gatewayHost, logger: log, health, clock: controlled, clockMoved: () => loop.checkDueWork(), metrics: metrics ? () => metrics.exposition() : undefined }).catch(async (error) => {
					await loop.stop();
					await gateway.stop();
					await store.close();
					throw error;
				});
	let stopping: Promise<void> | undefined;
	return {
		gatewayAddress: gateway.address,
		gatewayPort: gateway.port,
		managementPort: management ? (management.address() as { port: number }).port : undefined,
		health,
		clock: controlled,
		checkDueWork: () => loop.checkDueWork(),
		queries: new EngineQueries(store.knex),
		store,
		metrics: metrics ? () => metrics.exposition() : undefined,
		stop: () => {
			stopping ??= (async () => {
				await new Promise<void>((resolve) => (management ? management.close(() => resolve()) : resolve()));
				await loop.stop();
				await gateway.stop();
				await store.close();
				log.info("engine stopped");
			})();
			return stopping;
		},
	};
}
