import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { ControlledClock } from "./controlled-clock";

/** What the management port serves. */
export interface ManagementOptions {
	port: number;
	/** Address to bind (the gateway's); all interfaces when absent. */
	host?: string;
	logger: Logger;
	health(): { status: "UP" | "DOWN"; details: Record<string, unknown> };
	/** Present when the clock is controlled; `/actuator/clock` answers 403 otherwise. */
	clock?: ControlledClock;
	/** Called after the controlled clock moved, so that timers now due fire. */
	clockMoved(): void;
	/** Prometheus text exposition for `/actuator/prometheus`, when metrics are on. */
	metrics?: () => Promise<{ contentType: string; body: string }>;
}

/** Largest request body read (clock requests are tiny). */
const MAX_BODY_BYTES = 16 * 1024;

/**
 * Zeebe's management port: `/actuator/health` (+ readiness, liveness), `/actuator/clock` (controlled
 * clock) and `/actuator/prometheus`.
 */
export async function startManagement(options: ManagementOptions): Promise<Server> {
	const log = options.logger;
	const server = createServer((request, response) => {
		handle(options, request, response).catch((error) => {
			log.error({ err: error, url: request.url }, "management request failed");
			if (!response.headersSent) send(response, 500, { error: `The management request failed: ${(error as Error).message}` });
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once("error", reject);
		server.listen(options.port, options.host, () => resolve());
	});
	log.info({ port: (server.address() as { port: number }).port, host: options.host ?? "(all)" }, "engine management port listening");
	return server;
}

async function handle(options: ManagementOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
	const path = (request.url ?? "/").split("?")[0] ?? "/";
	const method = request.method ?? "GET";
	if (path === "/actuator/health" || path === "/actuator/health/readiness" || path === "/actuator/health/liveness") {
		const current = options.health();
		send(response, current.status === "UP" ? 200 : 503, current);
		return;
	}
	if (path === "/actuator/prometheus" && options.metrics) {
		const metrics = await options.metrics();
		response.writeHead(200, { "content-type": metrics.contentType });
		response.end(metrics.body);
		return;
	}
	if (path === "/actuator/clock" || path === "/actuator/clock/pin" || path === "/actuator/clock/add") {
		await handleClock(options, path, method, request, response);
		return;
	}
	send(response, 404, { error: `No management endpoint at ${path}; try /actuator/health${options.metrics ? ", /actuator/prometheus" : ""} or /actuator/clock.` });
}

async function handleClock(options: ManagementOptions, path: string, method: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
	const clock = options.clock;
	if (!clock) {
		send(response, 403, { error: "The engine clock is not controlled. Start the engine with ENGINE_CLOCK_CONTROLLED=true (startEngine({ clockControlled: true })) to pin or move it." });
		return;
	}
	const moved = (body: unknown) => {
		options.logger.info({ clock: clock.describe() }, "engine clock changed through /actuator/clock");
		options.clockMoved();
		send(response, 200, body);
	};
	if (path === "/actuator/clock" && method === "GET") return send(response, 200, clock.describe());
	if (path === "/actuator/clock" && method === "DELETE") {
		clock.reset();
		return moved(clock.describe());
	}
	if (method !== "POST" || path === "/actuator/clock") {
		send(response, 405, { error: `${method} ${path} is not supported; use GET or DELETE /actuator/clock, POST /actuator/clock/pin or POST /actuator/clock/add.` });
		return;
	}
	const field = path === "/actuator/clock/pin" ? "epochMilli" : "offsetMilli";
	const body = await readJson(request);
	const value = (body as Record<string, unknown> | null)?.[field];
	if (typeof value !== "number" || !Number.isSafeInteger(value)) {
		send(response, 400, { error: `Expected a JSON body like {"${field}": ${field === "epochMilli" ? 1767225600000 : 86400000}} (an integer number of ms), but '${field}' is ${JSON.stringify(value)}.` });
		return;
	}
	if (field === "epochMilli") clock.pin(value);
	else clock.add(value);
	moved(clock.describe());
}

async function readJson(request: IncomingMessage): Promise<unknown> {
	let size = 0;
	const chunks: Buffer[] = [];
	for await (const chunk of request) {
		size += (chunk as Buffer).length;
		if (size > MAX_BODY_BYTES) return null;
		chunks.push(chunk as Buffer);
	}
	try {
		return JSON.parse(Buffer.concat(chunks).toString("utf8"));
	} catch {
		return null;
	}
}

function send(response: ServerResponse, status: number, body: unknown): void {
	response.writeHead(status, { "content-type": "application/json" });
	response.end(JSON.stringify(body));
}
