import { readFile, stat } from "node:fs/promises";
import {
	createServer,
	type IncomingMessage,
	request as httpRequest,
	type Server,
	type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { extname, join, normalize } from "node:path";

const types: Record<string, string> = {
	".html": "text/html; charset=utf-8",
	".js": "text/javascript; charset=utf-8",
	".css": "text/css; charset=utf-8",
	".svg": "image/svg+xml",
	".eot": "application/vnd.ms-fontobject",
	".woff": "font/woff",
	".woff2": "font/woff2",
	".ttf": "font/ttf",
	".json": "application/json",
	".png": "image/png",
};

/** A running test server: the built app at `/`, `/v2` handed to the API handler. */
export interface WebServer {
	url: string;
	close(): Promise<void>;
}

/**
 * The Content-Security-Policy @fastify/helmet sends by default (helmet 8), which the API will send with the app.
 * Serving the app under it in the tests catches anything the policy would block (inline scripts, eval, remote
 * fonts). `upgrade-insecure-requests` spares 127.0.0.1 and localhost; behind plain http on another host it would
 * send the browser to https.
 */
export const helmetDefaultCsp =
	"default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';" +
	"img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';" +
	"style-src 'self' https: 'unsafe-inline';upgrade-insecure-requests";

/** axe-core, served from the app's origin so the page's CSP (`script-src 'self'`) lets the tests load it. */
export const axePath = "/__test/axe.min.js";
const axeFile = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/**
 * Serves the built app from `distDir` on 127.0.0.1 (a free port) under {@link helmetDefaultCsp} and passes
 * `/v2/*` to `api`. Unknown paths answer index.html, as the API will when it serves `web/dist`.
 */
export async function startWebServer(
	distDir: string,
	api: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
): Promise<WebServer> {
	const server: Server = createServer((request, response) => {
		const path = decodeURIComponent(new URL(request.url ?? "/", "http://local").pathname);
		if (path.startsWith("/v2/")) {
			api(request, response).catch((error: Error) => response.writeHead(500).end(error.message));
			return;
		}
		response.setHeader("content-security-policy", helmetDefaultCsp);
		if (path === axePath) {
			void readFile(axeFile).then((content) => response.writeHead(200, { "content-type": types[".js"]! }).end(content));
			return;
		}
		void serveFile(distDir, path, response);
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

async function serveFile(distDir: string, path: string, response: ServerResponse): Promise<void> {
	let file = normalize(join(distDir, path));
	if (!file.startsWith(distDir)) {
		response.writeHead(403).end();
		return;
	}
	try {
		if ((await stat(file)).isDirectory()) file = join(file, "index.html");
	} catch {
		file = join(distDir, "index.html");
	}
	try {
		const content = await readFile(file);
		response.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" }).end(content);
	} catch {
		response.writeHead(404).end();
	}
}

/**
 * A `/v2` handler that forwards to a running API (e.g. `http://127.0.0.1:41234`), streaming both ways so
 * server-sent events pass through as they are written.
 */
export function proxyTo(base: string): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
	const target = new URL(base);
	return (request, response) =>
		new Promise<void>((resolve, reject) => {
			const upstream = httpRequest(
				{
					hostname: target.hostname,
					port: target.port,
					path: request.url,
					method: request.method,
					headers: request.headers,
				},
				(answer) => {
					response.writeHead(answer.statusCode ?? 502, answer.headers);
					answer.pipe(response);
					answer.on("end", resolve);
					answer.on("error", resolve);
				},
			);
			upstream.on("error", reject);
			response.on("close", () => upstream.destroy());
			request.pipe(upstream);
		});
}
