import * as grpc from "@grpc/grpc-js";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZBClient } from "zeebe-node";
import { createTestDatabase, type TestDatabase } from "../../scripts/testing/database";
import { startEngine } from "../index";
import type { RunningEngine } from "../runtime/engine-host";
import { messageCatchProcess, signalProcess, timerProcess } from "./event-diagrams";

const grpcCode = (error: unknown) => (error as { code?: number }).code;

describe("PublishMessage, BroadcastSignal and timers through zeebe-node", () => {
	let db: TestDatabase;
	let engine: RunningEngine;
	let zb: ZBClient;

	beforeAll(async () => {
		db = await createTestDatabase("engine_gateway_events");
		engine = await startEngine({ databaseUrl: db.url, gatewayPort: 0, logger: pino({ level: "silent" }) });
		zb = new ZBClient(engine.gatewayAddress, { useTLS: false, loglevel: "NONE", retry: false });
	});
	afterAll(async () => {
		await zb?.close();
		await engine?.stop();
		await db?.drop();
	});

	const deploy = (processId: string, xml: string) => zb.deployResource({ process: Buffer.from(xml), name: `${processId}.bpmn` });
	/** Waits until the instance reaches `state` (the projection is written with the commit). */
	const waitForState = async (processInstanceKey: string, state: string, withinMs = 5_000) => {
		const until = Date.now() + withinMs;
		for (;;) {
			const instance = await engine.queries.getInstance(processInstanceKey);
			if (instance?.state === state || Date.now() > until) return instance?.state;
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
	};

	it("should correlate a published message to an instance waiting in a message catch event, with its variables", async () => {
		await deploy("ev-catch", messageCatchProcess("ev-catch", "ev-approved"));
		const waiting = await zb.createProcessInstance({ bpmnProcessId: "ev-catch", variables: { caseId: "C-1" } });
		const other = await zb.createProcessInstance({ bpmnProcessId: "ev-catch", variables: { caseId: "C-2" } });
		const published = await zb.publishMessage({ name: "ev-approved", correlationKey: "C-1", variables: { verdict: "approved" } });
		expect(BigInt(published.key)).toBeGreaterThan(0n);
		expect(await waitForState(waiting.processInstanceKey, "COMPLETED")).toBe("COMPLETED");
		const variables = await engine.queries.instanceVariables(waiting.processInstanceKey);
		expect(variables.find((variable) => variable.name === "verdict")?.value).toBe("approved");
		expect((await engine.queries.getInstance(other.processInstanceKey))?.state).toBe("ACTIVE");
	});

	it("should buffer a message with a time-to-live and correlate it to an instance created later", async () => {
		await deploy("ev-buffer", messageCatchProcess("ev-buffer", "ev-filed"));
		await zb.publishMessage({ name: "ev-filed", correlationKey: "B-1", timeToLive: 60_000, variables: {} });
		const late = await zb.createProcessInstance({ bpmnProcessId: "ev-buffer", variables: { caseId: "B-1" } });
		expect(await waitForState(late.processInstanceKey, "COMPLETED")).toBe("COMPLETED");
	});

	it("should not correlate a message published without a time-to-live to an instance created later", async () => {
		await deploy("ev-nottl", messageCatchProcess("ev-nottl", "ev-gone"));
		await zb.publishMessage({ name: "ev-gone", correlationKey: "N-1", variables: {} });
		const late = await zb.createProcessInstance({ bpmnProcessId: "ev-nottl", variables: { caseId: "N-1" } });
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect((await engine.queries.getInstance(late.processInstanceKey))?.state).toBe("ACTIVE");
	});

	it("should refuse a second message with the same messageId while the first is buffered (ALREADY_EXISTS)", async () => {
		const message = { name: "ev-dup", correlationKey: "D-1", messageId: "msg-1", timeToLive: 60_000, variables: {} };
		await zb.publishMessage(message);
		const error = await zb.publishMessage(message).catch((e) => e);
		expect(grpcCode(error)).toBe(grpc.status.ALREADY_EXISTS);
		expect(String(error.message)).toContain("msg-1");
	});

	it("should reject a message without a name with INVALID_ARGUMENT", async () => {
		const error = await zb.publishMessage({ name: "", correlationKey: "x", variables: {} }).catch((e) => e);
		expect(grpcCode(error)).toBe(grpc.status.INVALID_ARGUMENT);
	});

	it("should start a process with a signal and continue it with another", async () => {
		await deploy("ev-signal", signalProcess("ev-signal", "ev-open-case", "ev-close-case"));
		const started = await zb.broadcastSignal({ signalName: "ev-open-case", variables: { opened: true } });
		expect(BigInt(started.key)).toBeGreaterThan(0n);
		const instances = await engine.queries.searchInstances({ bpmnProcessId: "ev-signal" });
		expect(instances.items).toHaveLength(1);
		const key = String(instances.items[0]?.key);
		expect(instances.items[0]?.state).toBe("ACTIVE");
		await zb.broadcastSignal({ signalName: "ev-close-case", variables: {} });
		expect(await waitForState(key, "COMPLETED")).toBe("COMPLETED");
	});

	it("should complete a process waiting in a PT1S timer catch event without any command", async () => {
		await deploy("ev-timer", timerProcess("ev-timer", "PT1S"));
		const created = await zb.createProcessInstance({ bpmnProcessId: "ev-timer", variables: {} });
		expect((await engine.queries.getInstance(created.processInstanceKey))?.state).toBe("ACTIVE");
		expect(await waitForState(created.processInstanceKey, "COMPLETED", 4_000)).toBe("COMPLETED");
	});
});
