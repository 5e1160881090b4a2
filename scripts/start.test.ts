import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "./platform/embedded-postgres";

const root = path.resolve(import.meta.dirname, "..");

/** Runs `npm start`'s entry point as its own process, as a user would. */
function startPlatform(env: Record<string, string>): { child: ChildProcess; output: () => string } {
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

async function waitReady(port: number, output: () => string, timeoutMs = 60_000): Promise<Record<string, unknown>> {
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

const exited = (child: ChildProcess) =>
	new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once("exit", (code) => resolve(code))));

describe("npm start", () => {
	const dataDir = mkdtempSync(path.join(tmpdir(), "mizan-start-"));
	afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

	it("should come up on embedded PostgreSQL, survive SIGKILL, reuse its data, and stop cleanly on SIGINT", async () => {
		const env = { PORT: String(await freePort()), EMBEDDED_PG_PORT: String(await freePort()), DATA_DIR: dataDir };
		const first = startPlatform(env);
		const health = await waitReady(Number(env.PORT), first.output);
		expect(health).toMatchObject({ status: "UP", parts: { database: { state: "ready" }, migrations: { state: "ready" } } });
		first.child.kill("SIGKILL"); // leaves an orphaned postmaster and its postmaster.pid behind
		await exited(first.child);

		const second = startPlatform(env);
		await waitReady(Number(env.PORT), second.output);
		expect(second.output()).toContain("orphaned embedded PostgreSQL");
		expect(second.output()).toMatch(/"starts":2/);
		second.child.kill("SIGINT");
		expect(await exited(second.child)).toBe(0);
		expect(second.output()).toMatch(/"part":"database","msg":"stopped"/);
	}, 120_000);

	it("should refuse to start with one line naming a bad variable", async () => {
		const run = startPlatform({ PORT: "abc", DATA_DIR: dataDir });
		expect(await exited(run.child)).toBe(2);
		expect(run.output().trim()).toBe('mizan: invalid configuration: PORT="abc" is not valid: must be a whole number from 1 to 65535');
	});
});
