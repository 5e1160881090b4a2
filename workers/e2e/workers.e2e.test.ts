import { readFileSync } from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZBClient } from "zeebe-node";
import { caseNumberCheckDigit, parseCaseNumber } from "../../domain";
import { jobModules } from "../jobs";
import { prosecutionNotifyWorker } from "../jobs/prosecution-notify.worker";
import type { JobModule } from "../runtime/job-module";
import { type RunningWorkers, startWorkers } from "../runtime/start-workers";
import { type EngineProcess, startEngineProcess } from "../../scripts/testing/engine-process";
import { createWorkersTestDatabase, type WorkersTestDatabase } from "../testing/workers-database";

/** prosecution.notify whose first delivery hits a "GSB outage": the engine must retry it after the back-off. */
let outages = 1;
const flakyProsecutionNotify: JobModule = {
	...prosecutionNotifyWorker,
	async handle(job, context) {
		if (outages > 0) {
			outages -= 1;
			throw new Error("GSB connection refused");
		}
		return prosecutionNotifyWorker.handle(job, context);
	},
};

/** Every log line the workers write, parsed. */
const logLines: Record<string, unknown>[] = [];
const logStream = new Writable({
	write(chunk: Buffer, _encoding, done) {
		for (const line of chunk.toString().split("\n").filter(Boolean)) logLines.push(JSON.parse(line));
		done();
	},
});

describe("workers through the embedded engine (zeebe-node)", () => {
	let kit: WorkersTestDatabase;
	let engine: EngineProcess;
	let workers: RunningWorkers;
	let zbc: ZBClient;

	beforeAll(async () => {
		kit = await createWorkersTestDatabase("workers_e2e");
		engine = await startEngineProcess(kit.db.url);
		zbc = new ZBClient(engine.gatewayAddress, { useTLS: false, loglevel: "NONE", retry: false });
		await zbc.deployResource({
			process: readFileSync(path.join(import.meta.dirname, "fixtures/workers-e2e.bpmn")),
			name: "workers-e2e.bpmn",
		});
		workers = await startWorkers({
			zeebeAddress: engine.gatewayAddress,
			databaseUrl: kit.db.url,
			logger: pino({ level: "info" }, logStream),
			modules: jobModules.map((module) => (module.type === "prosecution.notify" ? flakyProsecutionNotify : module)),
		});
	}, 90_000);

	afterAll(async () => {
		await workers?.stop();
		await zbc?.close();
		await engine?.stop();
		await kit?.close();
	});

	it("should register the case, compute the 24 h clock, notify the PP after a retry and verify the reporter", async () => {
		const result = await zbc.createProcessInstanceWithResult({
			bpmnProcessId: "workers-e2e",
			variables: { unitCode: "RUH-OLY", reportedAt: "2025-09-02T22:00:00+03:00", arrestedAt: "2025-09-02T22:30:00+03:00", reporterNationalId: "1000000107" },
			requestTimeout: 30_000,
		});
		const variables = result.variables as Record<string, unknown>;
		expect(variables.caseNumber).toBe(`RUH-OLY-1447-000001-${caseNumberCheckDigit(1447, 1)}`);
		expect(parseCaseNumber(String(variables.caseNumber)).valid).toBe(true);
		expect(variables).toMatchObject({
			caseStatus: "OPEN",
			deadline24h: "2025-09-03T22:30:00+03:00",
			warning12hAt: "2025-09-03T10:30:00+03:00",
			warning20hAt: "2025-09-03T18:30:00+03:00",
			prosecutionNotifiedAt: expect.any(String),
			reporterVerified: true,
			reporterPersonId: expect.any(String),
		});
		expect(outages).toBe(0);
		const notifications = await kit.rows("select channel, template from notification where payload->>'caseNumber' = ?", [variables.caseNumber]);
		expect(notifications).toEqual([{ channel: "PROSECUTION", template: "prosecution-report" }]);
		const outcomes = await kit.rows<{ job_type: string; outcome: string }>(
			"select job_type, outcome from worker_job_outcome where process_instance_key = ? order by settled_at",
			[result.processInstanceKey],
		);
		expect(outcomes).toEqual([
			{ job_type: "case.assign-number", outcome: "COMPLETE" },
			{ job_type: "custody.compute-deadlines", outcome: "COMPLETE" },
			{ job_type: "prosecution.notify", outcome: "COMPLETE" },
			{ job_type: "identity.verify", outcome: "COMPLETE" },
		]);
	}, 60_000);

	it("should log every settled job with its case number and never a national ID", () => {
		const settled = logLines.filter((line) => ["job completed", "job failed", "job threw a BPMN error"].includes(String(line.msg)));
		expect(settled.length).toBeGreaterThanOrEqual(5);
		expect(settled.filter((line) => typeof line.caseNumber !== "string")).toEqual([]);
		expect(settled.find((line) => line.msg === "job failed")).toMatchObject({ jobType: "prosecution.notify", retries: 2, retryBackOff: 1000 });
		expect(JSON.stringify(logLines)).not.toContain("1000000107");
	});

	it("should take the diagram's error path when the identity is unknown (BPMN error, not a failure)", async () => {
		const result = await zbc.createProcessInstanceWithResult({
			bpmnProcessId: "workers-e2e",
			variables: { unitCode: "RUH-MLZ", arrestedAt: "2025-09-02T22:30:00+03:00", reporterNationalId: "1000000108" },
			requestTimeout: 30_000,
		});
		expect(result.variables).toMatchObject({ identityPath: "UNVERIFIED", caseNumber: expect.stringMatching(/^RUH-MLZ-/) });
		expect(result.variables).not.toHaveProperty("reporterPersonId");
		const outcomes = await kit.rows("select outcome, error_code from worker_job_outcome where process_instance_key = ? and job_type = 'identity.verify'", [
			result.processInstanceKey,
		]);
		expect(outcomes).toEqual([{ outcome: "ERROR", error_code: "IDENTITY_NOT_FOUND" }]);
	}, 60_000);
});
