import pino from "pino";
import { describe, expect, it } from "vitest";
import { jobClock, retryBackOffMs, startWorkers } from "./start-workers";

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

describe("jobClock", () => {
	it("should read the engine's clock from the job's deadline and advance it with the handler's time", async () => {
		const pinned = Date.parse("2025-12-23T09:00:00Z");
		const now = jobClock(String(pinned + 60_000), 60_000);
		expect(now().getTime()).toBeGreaterThanOrEqual(pinned);
		await new Promise((resolve) => setTimeout(resolve, 25));
		const later = now().getTime() - pinned;
		expect(later).toBeGreaterThanOrEqual(20);
		expect(later).toBeLessThan(5_000);
	});

	it("should use the wall clock when the engine runs on it (activation within a minute, e.g. after a queue wait)", () => {
		const activatedSecondsAgo = Date.now() - 20_000;
		expect(Math.abs(jobClock(String(activatedSecondsAgo + 60_000), 60_000)().getTime() - Date.now())).toBeLessThan(1_000);
	});

	it("should fall back to the wall clock when the deadline is missing or not a number", () => {
		for (const deadline of [undefined, "", "soon", "-1"]) {
			expect(Math.abs(jobClock(deadline, 60_000)().getTime() - Date.now())).toBeLessThan(1_000);
		}
	});
});
