import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "./platform/embedded-postgres";
import { exited, startPlatform, waitReady } from "./testing/platform-process";

describe("npm start", () => {
	const dataDir = mkdtempSync(path.join(tmpdir(), "mizan-start-"));
	afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

	it("should come up on embedded PostgreSQL, survive SIGKILL, reuse its data, and stop cleanly on SIGINT", async () => {
		const env = {
			PORT: String(await freePort()),
			EMBEDDED_PG_PORT: String(await freePort()),
			GATEWAY_PORT: String(await freePort()),
			MANAGEMENT_PORT: String(await freePort()),
			DATA_DIR: dataDir,
		};
		const first = startPlatform(env);
		const health = await waitReady(Number(env.PORT), first.output);
		expect(health).toMatchObject({
			status: "UP",
			parts: {
				database: { state: "ready" },
				migrations: { state: "ready" },
				engine: { state: "ready" },
				api: { state: "ready" },
				web: { state: "ready" },
				workers: { state: "ready" },
				"demo-data": { state: "ready", detail: { processes: expect.arrayContaining(["custody-clock v1", "case-lifecycle v1"]) } },
			},
		});
		// the web app and the API are served on the same port
		const page = await fetch(`http://127.0.0.1:${env.PORT}/`);
		expect(await page.text()).toContain('dir="rtl"');
		const login = await fetch(`http://127.0.0.1:${env.PORT}/v2/auth/login`, {
			method: "POST",
			headers: { "content-type": "application/json" },
			body: JSON.stringify({ username: "officer.olaya", password: "mizan-demo-2026" }),
		});
		expect(login.status).toBe(200);
		first.child.kill("SIGKILL"); // leaves an orphaned postmaster and its postmaster.pid behind
		await exited(first.child);

		const second = startPlatform(env);
		await waitReady(Number(env.PORT), second.output);
		expect(second.output()).toContain("orphaned embedded PostgreSQL");
		expect(second.output()).toMatch(/"starts":2/);
		// an unchanged deployment on restart makes no new versions
		expect(await (await fetch(`http://127.0.0.1:${env.PORT}/health/ready`)).json()).toMatchObject({
			parts: { "demo-data": { detail: { processes: expect.arrayContaining(["custody-clock v1"]) } } },
		});
		second.child.kill("SIGINT");
		expect(await exited(second.child)).toBe(0);
		expect(second.output()).toMatch(/"part":"database","msg":"stopped"/);
	}, 400_000);

	it("should refuse to start with one line naming a bad variable", async () => {
		const run = startPlatform({ PORT: "abc", DATA_DIR: dataDir });
		expect(await exited(run.child)).toBe(2);
		expect(run.output().trim()).toBe('mizan: invalid configuration: PORT="abc" is not valid: must be a whole number from 1 to 65535');
	});
});
