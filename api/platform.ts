import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { ZBClient } from "zeebe-node";
import { openDomainOrm } from "../domain/index";
import { openEngineQueries } from "../engine/query/index";
import { type AppOptions, buildApp } from "./app";
import { seedDemoUsers } from "./auth/demo-users";
import { createApiOrm } from "./db/orm";
import type { PartRegistry } from "./health/part-registry";
import { formFolderResolver } from "./tasks/form-folder.resolver";
import { startTaskService } from "./tasks/task-service";
import type { AuthOptions } from "./v2.plugin";

/** Options of {@link startApi}; the environment variable behind each is named in its doc. */
export interface StartApiOptions {
	/** PostgreSQL with the API's and the domain's migrations applied (and the engine's, when embedded). */
	databaseUrl: string;
	logger: Logger;
	parts: PartRegistry;
	/** Env `MIZAN_MODE`. Demo seeds the demo users; production refuses them and a missing or short JWT secret. */
	mode: "demo" | "production";
	/** Env `JWT_SECRET`, `JWT_TTL_SECONDS`, `LOGIN_RATE_LIMIT_MAX`, `LOGIN_RATE_LIMIT_WINDOW_MS`. */
	auth: AuthOptions;
	/** `host:port` of the Zeebe gateway: the embedded engine's, or env `ZEEBE_ADDRESS`. None: no engine commands. */
	gatewayAddress?: string;
	/** True when the engine is the embedded one on `databaseUrl`: enables monitoring reads, task names and the reconciler. */
	embeddedEngine: boolean;
	/** Folder of Camunda Forms for completion validation (the repository's `forms/`). Env `FORMS_DIR`. */
	formsDir?: string;
	/** Env `DEFAULT_TENANT_ID`. @default "public-security" */
	defaultTenantId?: string;
	/** Env `BODY_LIMIT_BYTES`. @default 1048576 */
	bodyLimitBytes?: number;
	/** Env `TRUST_PROXY`. @default false */
	trustProxy?: AppOptions["trustProxy"];
	/** Built web app to serve at `/` (`web/dist`). */
	webDistDir?: string;
	/** The embedded engine's Prometheus text, appended to the API's `/metrics` (`engine.metrics` of startEngine). */
	engineMetrics?: () => Promise<{ body: string }>;
}

/**
 * Opens everything the `/v2` API needs and builds the app (not listening): the API's ORM, demo users in demo mode,
 * the domain ORM for case files, a zeebe-node client, the engine's read side (embedded mode) and the task service.
 * `app.close()` stops and closes all of it.
 * @example
 * const app = await startApi({ databaseUrl, logger, parts, mode: "demo", auth: {}, gatewayAddress: engine.gatewayAddress, embeddedEngine: true, formsDir });
 * await app.listen({ port: 3000, host: "127.0.0.1" });
 */
export async function startApi(options: StartApiOptions): Promise<FastifyInstance> {
	const log = options.logger;
	const closers: Array<() => Promise<unknown>> = [];
	try {
		const orm = await createApiOrm({ databaseUrl: options.databaseUrl });
		closers.push(() => orm.close(true));
		if (options.mode === "demo") await seedDemoUsers(orm, log.child({ part: "demo-users" }));
		const domainOrm = await openDomainOrm(options.databaseUrl);
		closers.push(() => domainOrm.close(true));
		const reads = options.embeddedEngine ? await openEngineQueries(options.databaseUrl) : undefined;
		if (reads) closers.push(() => reads.close());
		const zbLog = log.child({ part: "zeebe-client" });
		const zbc = options.gatewayAddress
			? new ZBClient(options.gatewayAddress, {
					useTLS: false,
					// zeebe-node retries UNAVAILABLE and RESOURCE_EXHAUSTED for ever by default, which would hold an HTTP
					// request open while the engine is down or busy; retry twice (≤ 1 s apart), then answer 503 / 429.
					maxRetries: 2,
					maxRetryTimeout: 1_000,
					loglevel: "INFO",
					stdout: {
						info: (message: string) => zbLog.debug(message),
						debug: (message: string) => zbLog.trace(message),
						error: (message: string) => zbLog.warn(message),
					},
				})
			: undefined;
		if (zbc) closers.push(() => zbc.close());
		// Task completion gets a client that never retries: a retry after an answer lost in transit would meet the job
		// already completed (NOT_FOUND) and could not say whose request completed it. The first failure is recorded as
		// USER_TASK_COMPLETION_UNCONFIRMED and answered 503; the user retries.
		const completionClient = options.gatewayAddress
			? new ZBClient(options.gatewayAddress, { useTLS: false, retry: false, loglevel: "NONE" })
			: undefined;
		if (completionClient) closers.push(() => completionClient.close());
		const tasks = zbc
			? startTaskService({
					zbc,
					orm,
					logger: log.child({ part: "task-service" }),
					engineReads: reads?.queries,
					defaultTenantId: options.defaultTenantId,
				})
			: undefined;
		if (tasks) closers.push(() => tasks.close());
		const app = await buildApp({
			logger: log,
			parts: options.parts,
			bodyLimitBytes: options.bodyLimitBytes,
			webDistDir: options.webDistDir,
			trustProxy: options.trustProxy,
			metrics: { engine: options.engineMetrics, processMetrics: true },
			api: {
				orm,
				mode: options.mode,
				auth: options.auth,
				engine: { queries: reads?.queries, zbc, defaultTenantId: options.defaultTenantId },
				tasks: {
					zbc: completionClient,
					events: tasks?.events,
					jobState: reads
						? async (task) =>
								(await reads.queries.instanceJobs(task.processInstanceKey)).find((job) => String(job.key) === task.key)?.state
						: undefined,
					formResolver: options.formsDir ? formFolderResolver(options.formsDir) : undefined,
				},
				cases: { orm: domainOrm as never },
			},
		});
		app.addHook("onClose", async () => {
			for (const close of closers.reverse())
				await close().catch((error: unknown) => log.warn({ err: error }, "closing an API resource failed"));
		});
		return app;
	} catch (error) {
		for (const close of closers.reverse()) await close().catch(() => undefined);
		throw error;
	}
}
