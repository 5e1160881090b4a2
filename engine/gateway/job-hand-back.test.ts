import { EventEmitter } from "node:events";
import type * as grpc from "@grpc/grpc-js";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../scripts/testing/database";
import type { JobBatchActivatedValue } from "../core/commands";
import { engineCore, type EngineState } from "../core/index";
import { ProcessingLoop } from "../runtime/processing-loop";
import { EngineStore } from "../store/engine-store";
import { migrateEngineSchema } from "../store/migrate-engine-schema";
import { gatewayHandlers } from "./gateway.service";
import { oneTaskProcess } from "./test-diagrams";

// The race "client cancels while its activation commits" cannot be staged reliably over a socket, so the
// handler gets a server call that is already cancelled; engine, core and database are the real ones.
describe("ActivateJobs for a client that went away", () => {
	const logger = pino({ level: "silent" });
	let db: TestDatabase;
	let store: EngineStore;
	let loop: ProcessingLoop<EngineState>;
	beforeAll(async () => {
		db = await createTestDatabase("engine_hand_back");
		await migrateEngineSchema(db.url, logger);
		store = await EngineStore.open({ databaseUrl: db.url, logger });
		loop = await ProcessingLoop.start({ core: engineCore, store, logger });
	});
	afterAll(async () => {
		await loop.stop();
		await store.close();
		await db.drop();
	});

	it("should hand the activated jobs back with their retries instead of leaving them to time out", async () => {
		await loop.submit({ valueType: "DEPLOYMENT", intent: "CREATE", key: -1, value: { resources: [{ resourceName: "gone.bpmn", resource: oneTaskProcess("gone", "gone-job") }], tenantId: "<default>" } });
		await loop.submit({ valueType: "PROCESS_INSTANCE_CREATION", intent: "CREATE", key: -1, value: { bpmnProcessId: "gone", version: -1, processDefinitionKey: -1, variables: {}, startInstructions: [], tenantId: "<default>" } });
		const handlers = gatewayHandlers(loop, { logger, port: () => 0, defaults: { longPollTimeoutMs: 1_000, requestTimeoutMs: 1_000 } });
		const writes: unknown[] = [];
		const call = Object.assign(new EventEmitter(), {
			request: { type: "gone-job", worker: "gone", timeout: "600000", maxJobsToActivate: 5, requestTimeout: "-1", fetchVariable: [], tenantIds: [] },
			cancelled: true,
			write: (message: unknown) => writes.push(message),
			end: () => {},
		});
		(handlers.ActivateJobs as (call: grpc.ServerWritableStream<unknown, unknown>) => void)(call as unknown as grpc.ServerWritableStream<unknown, unknown>);
		// Let the handler's own activation take the job first; without the hand-back it stays activated for 10 min.
		await new Promise((resolve) => setTimeout(resolve, 200));
		for (let attempt = 0; attempt < 100; attempt++) {
			const batch = await loop.submit({ valueType: "JOB_BATCH", intent: "ACTIVATE", key: -1, value: { type: "gone-job", worker: "next", timeout: 60_000, maxJobsToActivate: 5, fetchVariable: [], tenantIds: ["<default>"] } });
			const jobs = (batch.value as unknown as JobBatchActivatedValue).jobs;
			if (jobs.length > 0) {
				expect(jobs).toHaveLength(1);
				expect(jobs[0]?.retries).toBe(3);
				expect(writes).toEqual([]);
				return;
			}
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
		throw new Error("the job activated for the gone client never came back");
	});
});
