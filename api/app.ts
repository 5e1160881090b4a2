import { randomUUID } from "node:crypto";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { healthRoutes } from "./health/health.routes";
import type { PartRegistry } from "./health/part-registry";

/** What the HTTP app needs from the platform. */
export interface AppOptions {
	logger: Logger;
	parts: PartRegistry;
}

/**
 * Builds the HTTP app (API, health, later the web app) without listening, so tests use `app.inject()`.
 * Every request gets an id (the caller's `x-request-id` when it sends a sane one), echoed in the response
 * and present on every log line of that request.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
	const app = Fastify({
		loggerInstance: options.logger as FastifyBaseLogger,
		genReqId: (request) => {
			const given = request.headers["x-request-id"];
			return typeof given === "string" && /^[A-Za-z0-9._:-]{1,128}$/.test(given) ? given : randomUUID();
		},
		requestIdLogLabel: "requestId",
		disableRequestLogging: false,
		bodyLimit: 1024 * 1024,
	});
	app.addHook("onSend", async (request, reply) => {
		reply.header("x-request-id", request.id);
	});
	await app.register(healthRoutes, { parts: options.parts });
	return app;
}
