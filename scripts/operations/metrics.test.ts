import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZBClient } from "zeebe-node";
import { runMigrations } from "../../api/db/migrate";
import { apiMigrations } from "../../api/db/migrations";
import { PartRegistry } from "../../api/health/part-registry";
import { startApi } from "../../api/platform";
import { migrateDomainSchema } from "../../domain/index";
import { engineCore } from "../../engine/core/index";
import { oneTaskProcess } from "../../engine/gateway/test-diagrams";
import { hostEngine, type RunningEngine } from "../../engine/runtime/engine-host";
import { createTestDatabase, type TestDatabase } from "../testing/database";

/** One sample of a Prometheus text: the value of `name{labels}` (labels in the order the registry prints them), 0 when absent. */
function sample(text: string, name: string, labels = ""): number {
	const escaped = `${name}${labels ? `{${labels}}` : ""}`.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
	const match = text.match(new RegExp(`^${escaped} ([0-9.e+-]+)$`, "m"));
	return match ? Number(match[1]) : 0;
}

async function eventually<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

describe("metrics: /metrics on the API and /actuator/prometheus on the engine after real work", () => {
	const logger = pino({ level: "silent" });
	const caseNumber = "RUH-OLY-1447-000777-1";
	let db: TestDatabase;
	let engine: RunningEngine;
	let app: FastifyInstance;
	let zb: ZBClient;
	let apiBefore = "";
	let engineBefore = "";

	const scrapeApi = async () => {
		const response = await app.inject({ url: "/metrics" });
		expect(response.statusCode).toBe(200);
		expect(response.headers["content-type"]).toContain("text/plain");
		return response.body;
	};
	const scrapeEngine = async () => {
		const response = await fetch(`http://127.0.0.1:${engine.managementPort}/actuator/prometheus`);
		expect(response.status).toBe(200);
		return response.text();
	};
	const as = async (username: string) => {
		const login = await app.inject({ method: "POST", url: "/v2/auth/login", payload: { username, password: "mizan-demo-2026" } });
		return { authorization: `Bearer ${login.json().token}` };
	};

	beforeAll(async () => {
		db = await createTestDatabase("ops_metrics");
		await runMigrations({ databaseUrl: db.url, tableName: "api_migrations", migrations: apiMigrations, logger });
		await migrateDomainSchema(db.url, logger);
		// A small queue, so that a flood of commands meets back-pressure at the end.
		engine = await hostEngine(engineCore, { databaseUrl: db.url, gatewayPort: 0, managementPort: 0, logger, loop: { maxQueuedCommands: 20 } });
		app = await startApi({
			databaseUrl: db.url,
			logger,
			parts: new PartRegistry(),
			mode: "demo",
			auth: { jwtSecret: "metrics-test-secret-long-enough-0123456789" },
			gatewayAddress: engine.gatewayAddress,
			embeddedEngine: true,
			formsDir: fileURLToPath(new URL("../../forms/", import.meta.url)),
			engineMetrics: engine.metrics,
		});
		zb = new ZBClient(engine.gatewayAddress, { useTLS: false, loglevel: "NONE" });
		apiBefore = await scrapeApi();
		engineBefore = await scrapeEngine();
	});
	afterAll(async () => {
		await zb?.close();
		await app?.close();
		await engine?.stop();
		await db?.drop();
	});

	it("should count sign-ins, requests by route and status, user task events and tasks per state after an officer's journey", async () => {
		const failed = await app.inject({ method: "POST", url: "/v2/auth/login", payload: { username: "officer.olaya", password: "wrong-password" } });
		expect(failed.statusCode).toBe(401);
		const admin = await as("admin");
		const boundary = "----metrics";
		const xml = readFileSync(new URL("../../api/tasks/fixtures/platform-review.bpmn", import.meta.url), "utf8");
		const deployed = await app.inject({
			method: "POST",
			url: "/v2/deployments",
			headers: { ...admin, "content-type": `multipart/form-data; boundary=${boundary}` },
			payload: `--${boundary}\r\nContent-Disposition: form-data; name="resources"; filename="platform-review.bpmn"\r\n\r\n${xml}\r\n--${boundary}--\r\n`,
		});
		expect(deployed.statusCode, deployed.body).toBe(200);
		const officer = await as("officer.olaya");
		const started = await app.inject({ method: "POST", url: "/v2/process-instances", headers: officer, payload: { processDefinitionId: "platform-review", caseNumber } });
		expect(started.statusCode, started.body).toBe(200);
		const task = await eventually(async () => {
			const list = await app.inject({ method: "POST", url: "/v2/user-tasks/search", headers: officer, payload: { filter: { caseNumber } } });
			return list.json().items[0] as { userTaskKey: string } | undefined;
		}, "the task in the officer's list");
		const done = await app.inject({ method: "POST", url: `/v2/user-tasks/${task.userTaskKey}/completion`, headers: officer, payload: { variables: { reportApproved: true } } });
		expect(done.statusCode, done.body).toBe(204);
		// a read of a case that does not exist: its number must not become a label
		expect((await app.inject({ url: `/v2/cases/${caseNumber}`, headers: officer })).statusCode).toBe(404);

		const after = await scrapeApi();
		expect(sample(after, "mizan_login_failures_total") - sample(apiBefore, "mizan_login_failures_total")).toBe(1);
		expect(sample(after, "mizan_http_requests_total", 'method="POST",route="/v2/auth/login",status="401"')).toBe(1);
		expect(sample(after, "mizan_http_requests_total", 'method="POST",route="/v2/auth/login",status="200"')).toBe(2);
		expect(sample(after, "mizan_http_requests_total", 'method="POST",route="/v2/user-tasks/:userTaskKey/completion",status="204"')).toBe(1);
		expect(sample(after, "mizan_http_requests_total", 'method="GET",route="/v2/cases/:caseNumber",status="404"')).toBe(1);
		expect(sample(after, "mizan_http_request_duration_seconds_count", 'method="POST",route="/v2/process-instances",status="200"')).toBe(1);
		expect(after).not.toContain(caseNumber);
		expect(after).not.toContain(task.userTaskKey);
		expect(sample(after, "mizan_user_task_events_total", 'event="userTask.created"')).toBe(1);
		expect(sample(after, "mizan_user_task_events_total", 'event="userTask.completed"')).toBe(1);
		expect(sample(after, "mizan_user_tasks", 'state="COMPLETED"')).toBe(1);
		expect(sample(after, "mizan_api_process_resident_memory_bytes")).toBeGreaterThan(0);
		// the embedded engine's metrics come along on /metrics
		expect(sample(after, "zeebe_job_events_total", 'action="completed"')).toBeGreaterThan(sample(apiBefore, "zeebe_job_events_total", 'action="completed"'));
	});

	it("should move the engine's counters: commands, batches, commit latency, jobs, instances, incidents, back-pressure", async () => {
		await zb.deployResource({ process: Buffer.from(oneTaskProcess("ops-failing", "ops-failing-job", { retries: 1 })), name: "ops-failing.bpmn" });
		await zb.createProcessInstance({ bpmnProcessId: "ops-failing", variables: {} });
		const [job] = await zb.activateJobs({ type: "ops-failing-job", worker: "ops", maxJobsToActivate: 1, timeout: 60_000, requestTimeout: 5_000 });
		await zb.failJob({ jobKey: job?.key ?? "", errorMessage: "the registry is down", retries: 0, retryBackOff: 0 });

		const flood = new ZBClient(engine.gatewayAddress, { useTLS: false, loglevel: "NONE", retry: false });
		try {
			const answers = await Promise.allSettled(
				Array.from({ length: 400 }, (_, index) => flood.publishMessage({ name: "flood", correlationKey: String(index), timeToLive: 0, variables: {} })),
			);
			expect(answers.some((answer) => answer.status === "rejected" && /RESOURCE_EXHAUSTED|busy/i.test(String(answer.reason)))).toBe(true);
		} finally {
			await flood.close();
		}

		const after = await scrapeEngine();
		const moved = (name: string, labels = "") => sample(after, name, labels) - sample(engineBefore, name, labels);
		expect(moved("zeebe_stream_processor_commands_total", 'valueType="PROCESS_INSTANCE_CREATION",intent="CREATE"')).toBe(2);
		expect(moved("zeebe_stream_processor_batch_commands_count")).toBeGreaterThan(0);
		expect(moved("zeebe_stream_processor_commit_latency_seconds_count")).toBeGreaterThan(0);
		expect(moved("zeebe_stream_processor_records_total")).toBeGreaterThan(0);
		expect(moved("zeebe_job_events_total", 'action="activated"')).toBeGreaterThanOrEqual(2);
		expect(moved("zeebe_job_events_total", 'action="completed"')).toBe(1);
		expect(moved("zeebe_job_events_total", 'action="failed"')).toBe(1);
		expect(moved("zeebe_incident_events_total", 'action="created"')).toBe(1);
		expect(moved("zeebe_element_instance_events_total", 'action="activated",type="PROCESS"')).toBe(2);
		expect(moved("zeebe_element_instance_events_total", 'action="completed",type="PROCESS"')).toBe(1);
		expect(moved("zeebe_dropped_request_count_total")).toBeGreaterThan(0);
		expect(sample(after, "zeebe_stream_processor_last_processed_position")).toBeGreaterThan(0);
		expect(after).toMatch(/^zeebe_stream_processor_queued_commands \d+$/m);
	});
});
