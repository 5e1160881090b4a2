import pino from "pino";
import { describe, expect, it } from "vitest";
import { retryBackOffMs, startWorkers } from "./start-workers";

describe("retryBackOffMs", () => {
	it("should double the back-off with every failure of a job with three retries", () => {
		expect([3, 2, 1].map(retryBackOffMs)).toEqual([1_000, 2_000, 4_000]);
	});

	it("should cap the back-off at five minutes", () => {
		expect(retryBackOffMs(-20)).toBe(300_000);
	});
});

describe("startWorkers", () => {
	it("should refuse to start without a database, saying what to pass", async () => {
		await expect(startWorkers({ zeebeAddress: "127.0.0.1:1", logger: pino({ level: "silent" }) })).rejects.toThrow(
			"startWorkers needs a databaseUrl or an open orm",
		);
	});
});
