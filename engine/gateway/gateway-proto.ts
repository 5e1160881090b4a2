import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";

/**
 * Options matching zeebe-node's own loader: field names as in the proto, int64 as decimal strings (keys
 * exceed 2^31), enums as names, defaults filled in, oneof names set.
 */
const loaderOptions: protoLoader.Options = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };

/** Path of the gateway proto that ships in the zeebe-node package (loaded from node_modules, never copied). */
export function zeebeProtoPath(): string {
	const require = createRequire(import.meta.url);
	return path.join(path.dirname(require.resolve("zeebe-node/package.json")), "proto", "zeebe.proto");
}

/** `gateway_protocol.Gateway` and `grpc.health.v1.Health` service definitions. */
export function loadServices(): { gateway: grpc.ServiceDefinition; health: grpc.ServiceDefinition } {
	const zeebe = grpc.loadPackageDefinition(protoLoader.loadSync(zeebeProtoPath(), loaderOptions)) as unknown as {
		gateway_protocol: { Gateway: grpc.ServiceClientConstructor };
	};
	const healthProto = path.join(path.dirname(fileURLToPath(import.meta.url)), "health.proto");
	const health = grpc.loadPackageDefinition(protoLoader.loadSync(healthProto, loaderOptions)) as unknown as {
		grpc: { health: { v1: { Health: grpc.ServiceClientConstructor } } };
	};
	return { gateway: zeebe.gateway_protocol.Gateway.service, health: health.grpc.health.v1.Health.service };
}
