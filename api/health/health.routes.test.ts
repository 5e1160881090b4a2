import pino from "pino";
import { describe, expect, it } from "vitest";
import { buildApp } from "../app";
import { PartRegistry } from "./part-registry";

describe("GET /health/ready", () => {
	it("should answer 503 naming each part while a part is still starting, then 200 once all are ready", async () => {
		const parts = new PartRegistry();
		parts.register("database", "ready", { embedded: true });
		parts.register("engine");
		const app = await buildApp({ logger: pino({ level: "silent" }), parts });

		const before = await app.inject({ method: "GET", url: "/health/ready" });
		expect(before.statusCode).toBe(503);
		expect(before.json()).toMatchObject({ status: "DOWN", parts: { database: { state: "ready" }, engine: { state: "starting" } } });

		parts.set("engine", "ready", { gateway: "127.0.0.1:26500" });
		const after = await app.inject({ method: "GET", url: "/health/ready" });
		expect(after.statusCode).toBe(200);
		expect(after.json()).toMatchObject({ status: "UP", parts: { engine: { state: "ready", detail: { gateway: "127.0.0.1:26500" } } } });
		await app.close();
	});

	it("should count disabled parts as ready and failed parts as not ready", async () => {
		const parts = new PartRegistry();
		parts.register("engine", "disabled", { reason: "ZEEBE_ADDRESS is set" });
		parts.register("workers", "failed", { error: "boom" });
		const app = await buildApp({ logger: pino({ level: "silent" }), parts });
		expect((await app.inject({ url: "/health/ready" })).statusCode).toBe(503);
		parts.set("workers", "ready");
		expect((await app.inject({ url: "/health/ready" })).statusCode).toBe(200);
		await app.close();
	});

	it("should echo a caller's request id and make one up otherwise", async () => {
		const app = await buildApp({ logger: pino({ level: "silent" }), parts: new PartRegistry() });
		const given = await app.inject({ url: "/health/live", headers: { "x-request-id": "abc-123" } });
		expect(given.headers["x-request-id"]).toBe("abc-123");
		const made = await app.inject({ url: "/health/live" });
		expect(made.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
		await app.close();
	});
});
