import { connect } from "node:net";
import { networkInterfaces } from "node:os";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEngine, startEngine } from "../../engine/index";
import { loadConfig } from "../config";
import { freePort } from "../platform/embedded-postgres";
import { createLogger } from "../platform/logger";
import { createTestDatabase, type TestDatabase } from "../testing/database";

/** Does anything accept a TCP connection at host:port? */
function accepts(host: string, port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect({ host, port, timeout: 2_000 });
		socket.once("connect", () => {
			socket.destroy();
			resolve(true);
		});
		socket.once("error", () => resolve(false));
		socket.once("timeout", () => {
			socket.destroy();
			resolve(false);
		});
	});
}

/**
 * SECURITY.md: the gateway and the management port have no sign-in, so by default they (and the HTTP API) listen on
 * loopback only, and the engine clock cannot be moved unless ENGINE_CLOCK_CONTROLLED is on.
 */
describe("security: listen addresses and the engine clock", () => {
	const lines: string[] = [];
	let db: TestDatabase;
	let engine: RunningEngine;
	let gatewayPort = 0;
	let managementPort = 0;
	beforeAll(async () => {
		db = await createTestDatabase("sec_listen");
		const config = loadConfig({});
		gatewayPort = await freePort();
		managementPort = await freePort();
		const destination = new Writable({
			write(chunk: Buffer, _encoding, done) {
				lines.push(...chunk.toString().split("\n").filter(Boolean));
				done();
			},
		});
		engine = await startEngine({
			databaseUrl: db.url,
			gatewayPort,
			gatewayHost: config.GATEWAY_HOST,
			managementPort,
			clockControlled: config.ENGINE_CLOCK_CONTROLLED,
			logger: createLogger({ level: "info", format: "json", destination }),
		});
	});
	afterAll(async () => {
		await engine?.stop();
		await db?.drop();
	});

	it("should default HOST and GATEWAY_HOST to loopback and leave the clock uncontrolled", () => {
		const config = loadConfig({});
		expect(config.HOST).toBe("127.0.0.1");
		expect(config.GATEWAY_HOST).toBe("127.0.0.1");
		expect(config.ENGINE_CLOCK_CONTROLLED).toBe(false);
	});

	it("should serve the gateway and the management port on loopback and refuse connections on every other address", async () => {
		expect(await accepts("127.0.0.1", gatewayPort)).toBe(true);
		expect(await accepts("127.0.0.1", managementPort)).toBe(true);
		expect(lines.join("\n")).toMatch(/"host":"127\.0\.0\.1".*"msg":"engine management port listening"/);
		const external = Object.values(networkInterfaces())
			.flat()
			.filter((entry) => entry && !entry.internal && entry.family === "IPv4")
			.map((entry) => entry?.address as string);
		for (const address of external) {
			expect(await accepts(address, gatewayPort), `gateway on ${address}`).toBe(false);
			expect(await accepts(address, managementPort), `management port on ${address}`).toBe(false);
		}
	});

	it("should refuse to move the engine clock unless ENGINE_CLOCK_CONTROLLED is on", async () => {
		const moved = await fetch(`http://127.0.0.1:${managementPort}/actuator/clock/add`, {
			method: "POST",
			headers: { "content-type": "application/json" },
			body: JSON.stringify({ offsetMilli: 86_400_000 }),
		});
		expect(moved.status).toBe(403);
		expect(await moved.text()).toContain("ENGINE_CLOCK_CONTROLLED");
	});
});
