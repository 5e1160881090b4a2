import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");

/**
 * Runs `npm start`'s entry point as its own process, as a user would. `DATABASE_URL` is cleared (embedded
 * PostgreSQL) unless `env` sets it.
 */
export function startPlatform(env: Record<string, string>): { child: ChildProcess; output: () => string } {
	let output = "";
	const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
		cwd: root,
		env: { ...process.env, LOG_FORMAT: "json", DATABASE_URL: "", ...env },
		stdio: ["ignore", "pipe", "pipe"],
	});
	child.stdout?.on("data", (chunk) => (output += chunk));
	child.stderr?.on("data", (chunk) => (output += chunk));
	return { child, output: () => output };
}

export async function waitReady(
	port: number,
	output: () => string,
	timeoutMs = 180_000,
): Promise<Record<string, unknown>> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (/start-up failed/.test(output())) break;
		try {
			const response = await fetch(`http://127.0.0.1:${port}/health/ready`);
			if (response.status === 200) return (await response.json()) as Record<string, unknown>;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	throw new Error(`platform on :${port} did not become ready; it printed:\n${output().slice(-3000)}`);
}

export const exited = (child: ChildProcess) =>
	new Promise<number | null>((resolve) =>
		child.exitCode !== null ? resolve(child.exitCode) : child.once("exit", (code) => resolve(code)),
	);
