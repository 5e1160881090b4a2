import * as grpc from "@grpc/grpc-js";
import type { Logger } from "pino";
import { loadServices } from "./gateway-proto";
import { type CommandRuntime, type GatewayDefaults, gatewayHandlers } from "./gateway.service";

/** Options of {@link startGateway}. */
export interface GatewayOptions {
	runtime: CommandRuntime;
	logger: Logger;
	/** TCP port; 0 picks a free one. @default 26500 */
	port?: number;
	/** @default "0.0.0.0" */
	host?: string;
	/** Is the engine able to serve? Drives the health service. */
	healthy: () => boolean;
	defaults?: Partial<GatewayDefaults>;
}

/** A listening gateway. */
export interface RunningGateway {
	port: number;
	/** `host:port` to give to clients. */
	address: string;
	stop(): Promise<void>;
}

/** Largest message accepted or sent (Zeebe's default max message size). */
const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/**
 * Starts the plaintext gRPC gateway: `gateway_protocol.Gateway` from zeebe-node's proto and the standard
 * `grpc.health.v1.Health` service. RPCs of the proto this engine does not serve yet answer UNIMPLEMENTED
 * with the RPC's name.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
	const log = options.logger;
	const services = loadServices();
	const server = new grpc.Server({ "grpc.max_receive_message_length": MAX_MESSAGE_BYTES, "grpc.max_send_message_length": MAX_MESSAGE_BYTES });
	let boundPort = options.port ?? 26500;
	const defaults: GatewayDefaults = { longPollTimeoutMs: 10_000, requestTimeoutMs: 15_000, ...options.defaults };
	const implemented = gatewayHandlers(options.runtime, { logger: log, port: () => boundPort, defaults });
	const handlers: grpc.UntypedServiceImplementation = {};
	for (const [name, method] of Object.entries(services.gateway)) {
		handlers[name] = implemented[name] ?? unimplemented(name, method.responseStream);
	}
	server.addService(services.gateway, handlers);
	server.addService(services.health, {
		Check: (call: grpc.ServerUnaryCall<{ service: string }, unknown>, callback: grpc.sendUnaryData<unknown>) => {
			const service = call.request.service;
			if (service !== "" && service !== "gateway_protocol.Gateway") {
				callback({ code: grpc.status.NOT_FOUND, details: `Unknown service '${service}'; ask for '' or 'gateway_protocol.Gateway'.` });
				return;
			}
			callback(null, { status: options.healthy() ? "SERVING" : "NOT_SERVING" });
		},
	});
	const host = options.host ?? "0.0.0.0";
	boundPort = await new Promise<number>((resolve, reject) => {
		server.bindAsync(`${host}:${boundPort}`, grpc.ServerCredentials.createInsecure(), (error, port) => {
			if (error) reject(new Error(`The gateway could not listen on ${host}:${boundPort}: ${error.message}. Free the port or set GATEWAY_PORT.`));
			else resolve(port);
		});
	});
	log.info({ port: boundPort }, "gateway listening");
	return {
		port: boundPort,
		address: `localhost:${boundPort}`,
		stop: () =>
			new Promise<void>((resolve) => {
				const timer = setTimeout(() => {
					server.forceShutdown();
					resolve();
				}, 2_000);
				server.tryShutdown(() => {
					clearTimeout(timer);
					resolve();
				});
			}),
	};
}

/** An RPC of the proto without a handler (none in zeebe-node 8.3's proto; a newer proto may add some). */
function unimplemented(name: string, streaming: boolean) {
	const status = { code: grpc.status.UNIMPLEMENTED, details: `The RPC '${name}' is not implemented by the embedded engine yet.` };
	if (streaming) return (call: grpc.ServerWritableStream<unknown, unknown>) => call.emit("error", status);
	return (_call: unknown, callback: grpc.sendUnaryData<unknown>) => callback(status);
}
