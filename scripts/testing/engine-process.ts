import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { freePort } from "../platform/embedded-postgres";

/** The embedded engine running as its own process (`npm run engine`), reached only through its gateway. */
export interface EngineProcess {
	/** `127.0.0.1:<port>` of the gRPC gateway, for zeebe-node. */
	gatewayAddress: string;
	gatewayPort: number;
	/** Port of the management server (`/actuator/health`, `/actuator/prometheus`, `/actuator/clock`). */
	managementPort: number;
	/** Process id of the engine (e.g. to read its memory from `/proc/<pid>/status`). */
	pid: number;
	/** SIGTERM, then SIGKILL after 10 s; resolves when it exited. */
	stop(): Promise<void>;
	/** Sends `signal` (SIGKILL for crash tests) and resolves when the process is gone. */
	kill(signal: NodeJS.Signals): Promise<void>;
	/** The last lines the engine logged (for failure messages). */
	output(): string;
}

/** Options of {@link startEngineProcess}. */
export interface EngineProcessOptions {
	/** Gateway port; a free one when absent (pass the old one to restart an engine where clients expect it). */
	gatewayPort?: number;
	/** Management port; a free one when absent. */
	managementPort?: number;
	/** Extra environment, e.g. `{ ENGINE_CLOCK_CONTROLLED: "true" }`. */
	env?: Record<string, string>;
}

/**
 * Starts `scripts/engine.ts` on the database and waits until it logs "engine ready". API and workers tests use it so that
 * they reach the engine the way the API does in production: through zeebe-node (and engine/query for reads),
 * never through engine internals (scripts/architecture.test.ts).
 */
export async function startEngineProcess(databaseUrl: string, timeoutMs = 60_000, options: EngineProcessOptions = {}): Promise<EngineProcess> {
	const gatewayPort = options.gatewayPort ?? (await freePort());
	const managementPort = options.managementPort ?? (await freePort());
	const root = fileURLToPath(new URL("../../", import.meta.url));
	const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/engine.ts"], {
		cwd: root,
		env: {
			...process.env,
			DATABASE_URL: databaseUrl,
			GATEWAY_PORT: String(gatewayPort),
			MANAGEMENT_PORT: String(managementPort),
			LOG_LEVEL: "info",
			LOG_FORMAT: "json",
			...options.env,
		},
		stdio: ["ignore", "pipe", "pipe"],
	});
	let output = "";
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(
			() => reject(new Error(`the engine did not get ready within ${timeoutMs} ms:\n${output.slice(-2000)}`)),
			timeoutMs,
		);
		// Keeps draining the pipes for the engine's whole life (a full pipe would block its logging); only the tail is kept.
		const onData = (chunk: Buffer) => {
			output = (output + chunk.toString()).slice(-8000);
			if (output.includes('"msg":"engine ready"')) {
				clearTimeout(timer);
				resolve();
			}
		};
		child.stdout?.on("data", onData);
		child.stderr?.on("data", onData);
		child.on("exit", (code) => {
			clearTimeout(timer);
			reject(new Error(`the engine exited with code ${code} before it was ready:\n${output.slice(-2000)}`));
		});
	});
	child.removeAllListeners("exit");
	const gone = () => child.exitCode !== null || child.signalCode !== null;
	return {
		gatewayAddress: `127.0.0.1:${gatewayPort}`,
		gatewayPort,
		managementPort,
		pid: child.pid ?? 0,
		stop: () =>
			new Promise<void>((resolve) => {
				if (gone()) return resolve();
				child.once("exit", () => resolve());
				child.kill("SIGTERM");
				setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
			}),
		kill: (signal) =>
			new Promise<void>((resolve) => {
				if (gone()) return resolve();
				child.once("exit", () => resolve());
				child.kill(signal);
			}),
		output: () => output,
	};
}
