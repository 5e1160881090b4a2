import { existsSync } from "node:fs";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/** Paths that belong to the server, never to the single-page app. */
const SERVER_PATHS = /^\/(v2|docs|health|metrics)(\/|$|\?)/;

/**
 * Serves the built web app (`web/dist`) at `/`. Unknown GET paths that a browser asks for as HTML
 * (`/tasks/123` after a reload) get `index.html`, so the app's own router takes over; API paths keep
 * their problem-details 404.
 */
export async function registerWebApp(app: FastifyInstance, distDir: string): Promise<void> {
	const root = path.resolve(distDir);
	if (!existsSync(path.join(root, "index.html"))) throw new Error(`The web app is not built: ${root}/index.html is missing; run npm run build:web`);
	await app.register(fastifyStatic, { root, prefix: "/", wildcard: false, index: ["index.html"], cacheControl: true, maxAge: "1h" });
}

/** True when a not-found request should get the web app's `index.html`. */
export function wantsWebApp(request: FastifyRequest): boolean {
	const accept = request.headers.accept ?? "";
	return request.method === "GET" && !SERVER_PATHS.test(request.url) && accept.includes("text/html");
}

/** Answers with the app shell; never cached, so a new build is picked up at once. */
export function sendWebApp(reply: FastifyReply) {
	return reply.header("cache-control", "no-cache").sendFile("index.html");
}
