import type { FastifyPluginAsync } from "fastify";
import type { PartRegistry } from "./part-registry";

const partSchema = {
	type: "object",
	properties: {
		state: { type: "string", enum: ["starting", "ready", "failed", "stopped", "disabled"] },
		detail: { type: "object", additionalProperties: true },
		since: { type: "string", format: "date-time" },
	},
	required: ["state", "since"],
} as const;

const readinessSchema = {
	type: "object",
	properties: {
		status: { type: "string", enum: ["UP", "DOWN"] },
		parts: { type: "object", additionalProperties: partSchema },
	},
	required: ["status", "parts"],
} as const;

/**
 * `GET /health/ready`: 200 with each part's state once every part is up, 503 with the same body before.
 * `GET /health/live`: 200 while the process serves HTTP at all.
 */
export const healthRoutes: FastifyPluginAsync<{ parts: PartRegistry }> = async (app, { parts }) => {
	app.get(
		"/health/ready",
		{ schema: { response: { 200: readinessSchema, 503: readinessSchema } } },
		async (_request, reply) => {
			const ready = parts.ready();
			return reply.code(ready ? 200 : 503).send({ status: ready ? "UP" : "DOWN", parts: parts.snapshot() });
		},
	);
	app.get("/health/live", async () => ({ status: "UP" }));
};
