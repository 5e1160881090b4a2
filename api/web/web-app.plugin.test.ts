import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { buildApp } from "../app";
import { PartRegistry } from "../health/part-registry";

describe("web app serving", () => {
	const dist = mkdtempSync(path.join(tmpdir(), "mizan-web-"));
	mkdirSync(path.join(dist, "assets"));
	writeFileSync(path.join(dist, "index.html"), '<!doctype html><html lang="ar" dir="rtl"><title>ميزان</title></html>');
	writeFileSync(path.join(dist, "assets", "app.js"), "console.log('mizan')");
	afterAll(() => rmSync(dist, { recursive: true, force: true }));

	it("should serve the shell at /, assets by path, and the shell for browser navigation to app routes", async () => {
		const app = await buildApp({ logger: pino({ level: "silent" }), parts: new PartRegistry(), webDistDir: dist });
		const root = await app.inject({ url: "/" });
		expect(root.statusCode).toBe(200);
		expect(root.body).toContain('dir="rtl"');
		expect((await app.inject({ url: "/assets/app.js" })).body).toContain("mizan");
		const deepLink = await app.inject({ url: "/tasks/2251799813685260", headers: { accept: "text/html" } });
		expect(deepLink.statusCode).toBe(200);
		expect(deepLink.body).toContain("ميزان");
		await app.close();
	});

	it("should keep problem-details 404s for API paths and non-HTML requests", async () => {
		const app = await buildApp({ logger: pino({ level: "silent" }), parts: new PartRegistry(), webDistDir: dist });
		const api = await app.inject({ url: "/v2/nothing-here", headers: { accept: "text/html" } });
		expect(api.statusCode).toBe(404);
		expect(api.headers["content-type"]).toContain("application/problem+json");
		expect((await app.inject({ url: "/missing.js" })).statusCode).toBe(404);
		await app.close();
	});
});
