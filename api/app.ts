import { randomUUID } from "node:crypto";
import helmet from "@fastify/helmet";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import type { Logger } from "pino";
import { installProblemHandlers } from "./errors/problem";
import { installJsonBodyParser } from "./errors/json-body";
import { healthRoutes } from "./health/health.routes";
import type { PartRegistry } from "./health/part-registry";
import { installApiMetrics } from "./metrics/api-metrics";
import { type ApiOptions, v2Routes } from "./v2.plugin";
import { registerWebApp, sendWebApp, wantsWebApp } from "./web/web-app.plugin";

/** What the HTTP app needs from the platform. */
export interface AppOptions {
	logger: Logger;
	parts: PartRegistry;
	/**
	 * The `/v2` API (auth, users, audit, user tasks). Omitted: only health, docs and problem handling are served
	 * (used by tests of those parts and before the database is up).
	 */
	api?: ApiOptions;
	/**
	 * Largest request body accepted, in bytes; larger bodies get 413 PAYLOAD_TOO_LARGE.
	 * @default 1048576
	 */
	bodyLimitBytes?: number;
	/**
	 * Proxies whose `X-Forwarded-For` is believed for the client IP written to the audit log: an address, CIDR list
	 * or `true` (any). Env: `TRUST_PROXY`.
	 * @default false
	 */
	trustProxy?: boolean | string;
	/** Folder of the built web app (`web/dist`) to serve at `/`; omitted: no web app. */
	webDistDir?: string;
	/**
	 * `GET /metrics` extras: the embedded engine's Prometheus text to append, and Node process metrics (the
	 * platform's app only; once per process).
	 */
	metrics?: { engine?: () => Promise<{ body: string }>; processMetrics?: boolean };
}

/**
 * Builds the HTTP app (API, health, docs, later the web app) without listening, so tests use `app.inject()`.
 * Every request gets an id (the caller's `x-request-id` when it sends a sane one), echoed in the response
 * and present on every log line of that request.
 * @throws ApiConfigError when the API options are unsafe for production (see {@link ApiOptions}).
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
	const app = Fastify({
		loggerInstance: options.logger as FastifyBaseLogger,
		genReqId: (request) => {
			const given = request.headers["x-request-id"];
			return typeof given === "string" && /^[A-Za-z0-9._:-]{1,128}$/.test(given) ? given : randomUUID();
		},
		logController: new LogController({ requestIdLogLabel: "requestId", disableRequestLogging: false }),
		bodyLimit: options.bodyLimitBytes ?? 1024 * 1024,
		// Off by default: otherwise any client could forge the audit log's client IP with X-Forwarded-For.
		trustProxy: options.trustProxy ?? false,
		ajv: {
			// Every field error in one 400 answer, and no silent dropping of unknown fields: schemas say
			// additionalProperties: false where extra fields are mistakes.
			customOptions: { allErrors: true, removeAdditional: false, coerceTypes: "array" as const, useDefaults: true },
		},
	});
	app.addHook("onSend", async (request, reply) => {
		reply.header("x-request-id", request.id);
	});
	installApiMetrics(app, { orm: options.api?.orm, taskEvents: options.api?.tasks?.events, ...options.metrics });
	installProblemHandlers(app, options.webDistDir ? { wants: wantsWebApp, send: sendWebApp } : undefined);
	installJsonBodyParser(app);
	await app.register(helmet, { global: true });
	await app.register(rateLimit, { global: false });
	await app.register(swagger, {
		// Shared schemas keep their $id as the component name, e.g. #/components/schemas/Problem.
		refResolver: { buildLocalReference: (json, _baseUri, _fragment, index) => String(json.$id ?? `def-${index}`) },
		openapi: {
			openapi: "3.1.0",
			info: {
				title: "Mizan API",
				version: "2",
				description:
					"Camunda 8 REST v2 conventions: string keys, `POST …/search` with `{filter, sort, page}`, verb-noun commands answering 204, RFC 9457 problems with a stable `code`.",
			},
			components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } } },
			security: [{ bearer: [] }],
		},
	});
	await app.register(swaggerUi, { routePrefix: "/docs", staticCSP: true });
	await app.register(healthRoutes, { parts: options.parts });
	if (options.api) await app.register(v2Routes, { ...options.api, prefix: "/v2" });
	if (options.webDistDir) await registerWebApp(app, options.webDistDir);
	return app;
}
