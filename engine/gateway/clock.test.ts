import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZBClient } from "zeebe-node";
import { createTestDatabase, type TestDatabase } from "../../scripts/testing/database";
import { startEngine } from "../index";
import type { RunningEngine } from "../runtime/engine-host";
import { messageCatchProcess, stampedTimerProcess } from "./event-diagrams";

const DAY = 24 * 60 * 60 * 1000;

describe("controlled clock on the management port (/actuator/clock)", () => {
	let db: TestDatabase;
	let engine: RunningEngine;
	let zb: ZBClient;
	let base: string;

	beforeAll(async () => {
		db = await createTestDatabase("engine_clock");
		engine = await startEngine({ databaseUrl: db.url, gatewayPort: 0, managementPort: 0, clockControlled: true, logger: pino({ level: "silent" }) });
		zb = new ZBClient(engine.gatewayAddress, { useTLS: false, loglevel: "NONE", retry: false });
		base = `http://127.0.0.1:${engine.managementPort}/actuator/clock`;
	});
	afterAll(async () => {
		await zb?.close();
		await engine?.stop();
		await db?.drop();
	});

	const clock = async (path: string, method = "GET", body?: unknown) => {
		const response = await fetch(`${base}${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }) });
		return { status: response.status, body: (await response.json()) as { epochMilli: number; instant: string; error?: string } };
	};
	const waitForState = async (processInstanceKey: string, state: string, withinMs = 3_000) => {
		const until = Date.now() + withinMs;
		for (;;) {
			const instance = await engine.queries.getInstance(processInstanceKey);
			if (instance?.state === state || Date.now() > until) return instance?.state;
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
	};

	it("should pin the clock so that FEEL today() sees the pinned day, and complete a P30D timer after adding 30 days", async () => {
		const pinned = await clock("/pin", "POST", { epochMilli: Date.UTC(2030, 0, 1, 9) });
		expect(pinned).toMatchObject({ status: 200, body: { epochMilli: Date.UTC(2030, 0, 1, 9), instant: "2030-01-01T09:00:00.000Z" } });
		expect((await clock("")).body.epochMilli).toBe(Date.UTC(2030, 0, 1, 9));

		await zb.deployResource({ process: Buffer.from(stampedTimerProcess("clock-30d", "P30D")), name: "clock-30d.bpmn" });
		const created = await zb.createProcessInstance({ bpmnProcessId: "clock-30d", variables: {} });
		const variables = await engine.queries.instanceVariables(created.processInstanceKey);
		expect(variables.find((variable) => variable.name === "day")?.value).toBe("2030-01-01");

		await clock("/add", "POST", { offsetMilli: 29 * DAY });
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect((await engine.queries.getInstance(created.processInstanceKey))?.state).toBe("ACTIVE");

		const moved = await clock("/add", "POST", { offsetMilli: DAY });
		expect(moved.body.instant).toBe("2030-01-31T09:00:00.000Z");
		expect(await waitForState(created.processInstanceKey, "COMPLETED")).toBe("COMPLETED");
	});

	it("should expire a buffered message once the clock passes its time-to-live", async () => {
		await zb.deployResource({ process: Buffer.from(messageCatchProcess("clock-ttl", "clock-ruling")), name: "clock-ttl.bpmn" });
		await zb.publishMessage({ name: "clock-ruling", correlationKey: "T-1", timeToLive: 60 * 60 * 1000, variables: {} });
		await zb.publishMessage({ name: "clock-ruling", correlationKey: "T-2", timeToLive: 60 * 60 * 1000, variables: {} });
		const early = await zb.createProcessInstance({ bpmnProcessId: "clock-ttl", variables: { caseId: "T-1" } });
		expect(await waitForState(early.processInstanceKey, "COMPLETED")).toBe("COMPLETED");
		await clock("/add", "POST", { offsetMilli: 2 * 60 * 60 * 1000 });
		await new Promise((resolve) => setTimeout(resolve, 200));
		const late = await zb.createProcessInstance({ bpmnProcessId: "clock-ttl", variables: { caseId: "T-2" } });
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect((await engine.queries.getInstance(late.processInstanceKey))?.state).toBe("ACTIVE");
	});

	it("should reset to the system clock, and refuse bodies without the field", async () => {
		const bad = await clock("/add", "POST", { offset: 5 });
		expect(bad.status).toBe(400);
		expect(bad.body.error).toContain("offsetMilli");
		const reset = await clock("", "DELETE");
		expect(reset.status).toBe(200);
		expect(Math.abs(reset.body.epochMilli - Date.now())).toBeLessThan(5_000);
	});
});
