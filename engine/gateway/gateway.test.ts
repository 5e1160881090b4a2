import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZBClient } from "zeebe-node";
import { createTestDatabase, type TestDatabase } from "../../scripts/testing/database";
import { engineCore } from "../core/index";
import { startEngine } from "../index";
import type { EngineQueries } from "../query/engine-queries";
import { hostEngine, type RunningEngine } from "../runtime/engine-host";
import { loadServices, zeebeProtoPath } from "./gateway-proto";
import { type CommandRuntime, gatewayHandlers } from "./gateway.service";
import { oneTaskProcess } from "./test-diagrams";

type RawCall = (request: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** A job as ActivateJobs streams it, with `variables` and `customHeaders` parsed. */
interface StreamedJob {
	key: string;
	type: string;
	processInstanceKey: string;
	elementId: string;
	worker: string;
	retries: number;
	deadline: string;
	variables: Record<string, unknown>;
	customHeaders: Record<string, string>;
}

/** A bare gRPC client for requests zeebe-node never sends (invalid JSON, zero limits, other tenants). */
function rawGateway(address: string): {
	call(method: string): RawCall;
	activate(request: Record<string, unknown>): Promise<{ messages: number; jobs: StreamedJob[] }>;
	/** A server-streaming RPC read to its end (resolves with the message count) or its error. */
	stream(method: string): (request: Record<string, unknown>) => Promise<number>;
	health(): Promise<string>;
	close(): void;
} {
	const options = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };
	const proto = grpc.loadPackageDefinition(protoLoader.loadSync(zeebeProtoPath(), options)) as unknown as {
		gateway_protocol: { Gateway: grpc.ServiceClientConstructor };
	};
	const client = new proto.gateway_protocol.Gateway(address, grpc.credentials.createInsecure());
	const healthProto = grpc.loadPackageDefinition(protoLoader.loadSync(new URL("./health.proto", import.meta.url).pathname, options)) as unknown as {
		grpc: { health: { v1: { Health: grpc.ServiceClientConstructor } } };
	};
	const health = new healthProto.grpc.health.v1.Health(address, grpc.credentials.createInsecure());
	const unary = (target: grpc.Client, method: string): RawCall => {
		return (request) =>
			new Promise((resolve, reject) => {
				const fn = (target as unknown as Record<string, (r: unknown, cb: (e: Error | null, v: Record<string, unknown>) => void) => void>)[method];
				fn?.call(target, request, (error, value) => (error ? reject(error) : resolve(value)));
			});
	};
	return {
		call: (method) => unary(client, method),
		// zeebe-node's activateJobs() settles only on a message, so streams that end empty or fail are read here.
		activate: (request) =>
			new Promise((resolve, reject) => {
				const stream = (client as unknown as { ActivateJobs(r: unknown): grpc.ClientReadableStream<{ jobs: Array<Record<string, unknown>> }> }).ActivateJobs(request);
				let messages = 0;
				const jobs: StreamedJob[] = [];
				stream.on("data", (message) => {
					messages++;
					for (const job of message.jobs) {
						jobs.push({ ...(job as unknown as StreamedJob), variables: JSON.parse(job.variables as string), customHeaders: JSON.parse(job.customHeaders as string) });
					}
				});
				stream.on("error", reject);
				stream.on("end", () => resolve({ messages, jobs }));
			}),
		stream: (method) => (request) =>
			new Promise((resolve, reject) => {
				const stream = (client as unknown as Record<string, (r: unknown) => grpc.ClientReadableStream<unknown>>)[method].call(client, request);
				let messages = 0;
				stream.on("data", () => messages++);
				stream.on("error", reject);
				stream.on("end", () => resolve(messages));
			}),
		health: async () => (await unary(health, "Check")({ service: "" })).status as string,
		close: () => {
			client.close();
			health.close();
		},
	};
}

const grpcCode = (error: unknown) => (error as { code?: number }).code;

describe("gateway with the zeebe-node client", () => {
	let db: TestDatabase;
	let engine: RunningEngine;
	let zb: ZBClient;
	let raw: ReturnType<typeof rawGateway>;
	let queries: EngineQueries;

	beforeAll(async () => {
		db = await createTestDatabase("engine_gateway");
		engine = await startEngine({ databaseUrl: db.url, gatewayPort: 0, managementPort: 0, logger: pino({ level: "silent" }) });
		zb = new ZBClient(engine.gatewayAddress, { useTLS: false, loglevel: "NONE", retry: false });
		raw = rawGateway(engine.gatewayAddress);
		queries = engine.queries;
	});
	afterAll(async () => {
		raw?.close();
		await zb?.close();
		await engine?.stop();
		await db?.drop();
	});

	const deploy = async (processId: string, jobType: string, options?: Parameters<typeof oneTaskProcess>[2]) => {
		const result = await zb.deployResource({ process: Buffer.from(oneTaskProcess(processId, jobType, options)), name: `${processId}.bpmn` });
		return result.deployments[0]?.process;
	};
	const activate = async (type: string, extra: Partial<{ maxJobsToActivate: number; requestTimeout: number; timeout: number }> = {}) =>
		(await raw.activate({ type, worker: "test-worker", maxJobsToActivate: 10, timeout: 30_000, requestTimeout: -1, ...extra })).jobs;

	it("should answer Topology as one broker leading one healthy partition", async () => {
		const topology = await zb.topology();
		expect(topology).toMatchObject({ clusterSize: 1, partitionsCount: 1, replicationFactor: 1 });
		expect(topology.brokers).toHaveLength(1);
		expect(topology.brokers[0]?.partitions).toEqual([{ partitionId: 1, role: "LEADER", health: "HEALTHY" }]);
	});

	it("should serve grpc.health.v1 Check as SERVING and /actuator/health as UP", async () => {
		expect(await raw.health()).toBe("SERVING");
		expect(engine.health().status).toBe("UP");
		const response = await fetch(`http://127.0.0.1:${engine.managementPort}/actuator/health`);
		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ status: "UP" });
	});

	it("should refuse /actuator/clock with 403 when the clock is not controlled, and answer 404 elsewhere", async () => {
		const pin = await fetch(`http://127.0.0.1:${engine.managementPort}/actuator/clock/pin`, { method: "POST", body: JSON.stringify({ epochMilli: 0 }) });
		expect(pin.status).toBe(403);
		expect(((await pin.json()) as { error: string }).error).toContain("ENGINE_CLOCK_CONTROLLED");
		expect((await fetch(`http://127.0.0.1:${engine.managementPort}/actuator/nothing`)).status).toBe(404);
	});

	it("should serve every RPC of zeebe-node's proto (none answers UNIMPLEMENTED)", async () => {
		const handlers = gatewayHandlers({} as CommandRuntime, { logger: pino({ level: "silent" }), port: () => 0, defaults: { longPollTimeoutMs: 1, requestTimeoutMs: 1 } });
		expect(Object.keys(loadServices().gateway).filter((rpc) => !(rpc in handlers))).toEqual([]);
		// StreamActivatedJobs, the last one served, checks its request like ActivateJobs.
		const error = await raw.stream("StreamActivatedJobs")({ type: "", worker: "w", timeout: "1000" }).catch((e) => e);
		expect(grpcCode(error)).toBe(grpc.status.INVALID_ARGUMENT);
		expect(String(error.message)).toContain("'type'");
	});

	it("should deploy a process, keep the version for an unchanged resource, and accept the deprecated DeployProcess", async () => {
		const first = await deploy("gw-deploy", "gw-deploy-job");
		expect(first).toMatchObject({ bpmnProcessId: "gw-deploy", version: 1, resourceName: "gw-deploy.bpmn", tenantId: "<default>" });
		expect(BigInt(first?.processDefinitionKey ?? "0") >> 51n).toBe(1n);
		const again = await deploy("gw-deploy", "gw-deploy-job");
		expect(again).toMatchObject({ version: 1, processDefinitionKey: first?.processDefinitionKey });
		const legacy = await zb.deployProcess({ definition: Buffer.from(oneTaskProcess("gw-deploy", "gw-deploy-job-2")), name: "gw-deploy.bpmn" });
		expect(legacy.processes[0]).toMatchObject({ bpmnProcessId: "gw-deploy", version: 2 });
		expect((await queries.listDefinitions({ bpmnProcessId: "gw-deploy" })).map((definition) => definition.version)).toEqual([2, 1]);
	});

	it("should reject an invalid resource with INVALID_ARGUMENT", async () => {
		const error = await zb.deployResource({ process: Buffer.from("<not-bpmn"), name: "broken.bpmn" }).catch((e) => e);
		expect(grpcCode(error)).toBe(grpc.status.INVALID_ARGUMENT);
		expect(String(error.message)).toContain("Command 'CREATE' rejected with code 'INVALID_ARGUMENT'");
	});

	it("should create an instance, hand its job to ActivateJobs and complete it with variables", async () => {
		await deploy("gw-complete", "gw-complete-job", { headers: { region: "riyadh" } });
		const created = await zb.createProcessInstance({ bpmnProcessId: "gw-complete", variables: { caseNo: "C-1" } });
		expect(created).toMatchObject({ bpmnProcessId: "gw-complete", version: 1, tenantId: "<default>" });
		const jobs = await zb.activateJobs({ type: "gw-complete-job", worker: "test-worker", maxJobsToActivate: 10, timeout: 30_000, requestTimeout: 0 });
		expect(jobs).toHaveLength(1);
		const job = jobs[0];
		expect(job).toMatchObject({ type: "gw-complete-job", processInstanceKey: created.processInstanceKey, elementId: "task", worker: "test-worker", retries: 3 });
		expect(job?.variables).toEqual({ caseNo: "C-1" });
		expect(job?.customHeaders).toEqual({ region: "riyadh" });
		await zb.completeJob({ jobKey: job?.key ?? "", variables: { verdict: "closed" } });
		const instance = await queries.getInstance(created.processInstanceKey);
		expect(instance?.state).toBe("COMPLETED");
		const variables = await queries.instanceVariables(created.processInstanceKey);
		expect(variables.map((variable) => [variable.name, variable.value])).toEqual([
			["caseNo", "C-1"],
			["verdict", "closed"],
		]);
		const again = await zb.completeJob({ jobKey: job?.key ?? "", variables: {} }).catch((e) => e);
		expect(grpcCode(again)).toBe(grpc.status.NOT_FOUND);
		expect(String(again.message)).toMatch(/Command 'COMPLETE' rejected with code 'NOT_FOUND'/);
	});

	it("should answer NOT_FOUND for an unknown process id", async () => {
		const error = await zb.createProcessInstance({ bpmnProcessId: "gw-nowhere", variables: {} }).catch((e) => e);
		expect(grpcCode(error)).toBe(grpc.status.NOT_FOUND);
		expect(String(error.message)).toContain("Command 'CREATE' rejected with code 'NOT_FOUND'");
	});

	it("should return the result of CreateProcessInstanceWithResult once a worker completes the job", async () => {
		await deploy("gw-result", "gw-result-job");
		const worker = zb.createWorker({
			taskType: "gw-result-job",
			pollInterval: 20,
			taskHandler: (job) => job.complete({ decided: true }),
		});
		try {
			const result = await zb.createProcessInstanceWithResult({ bpmnProcessId: "gw-result", variables: { a: 1 }, requestTimeout: 10_000 });
			expect(result.variables).toEqual({ a: 1, decided: true });
			const fetched = await zb.createProcessInstanceWithResult({ bpmnProcessId: "gw-result", variables: { a: 2 }, fetchVariables: ["a"], requestTimeout: 10_000 });
			expect(fetched.variables).toEqual({ a: 2 });
		} finally {
			await worker.close();
		}
	});

	it("should end CreateProcessInstanceWithResult with DEADLINE_EXCEEDED after requestTimeout", async () => {
		await deploy("gw-slow", "gw-slow-job");
		const started = Date.now();
		const error = await zb.createProcessInstanceWithResult({ bpmnProcessId: "gw-slow", variables: {}, requestTimeout: 300 }).catch((e) => e);
		expect(grpcCode(error)).toBe(grpc.status.DEADLINE_EXCEEDED);
		expect(Date.now() - started).toBeLessThan(5_000);
	});

	it("should long-poll ActivateJobs: end with no jobs after requestTimeout, and wake when a job appears", async () => {
		await deploy("gw-poll", "gw-poll-job");
		let started = Date.now();
		expect(await raw.activate({ type: "gw-poll-job", worker: "w", maxJobsToActivate: 5, timeout: 1000, requestTimeout: 400 })).toEqual({ messages: 0, jobs: [] });
		expect(Date.now() - started).toBeGreaterThanOrEqual(350);
		started = Date.now();
		expect(await activate("gw-poll-job", { requestTimeout: -1 })).toEqual([]);
		expect(Date.now() - started).toBeLessThan(300);
		started = Date.now();
		const waiting = activate("gw-poll-job", { requestTimeout: 10_000 });
		await new Promise((resolve) => setTimeout(resolve, 200));
		await zb.createProcessInstance({ bpmnProcessId: "gw-poll", variables: {} });
		const jobs = await waiting;
		expect(jobs).toHaveLength(1);
		expect(Date.now() - started).toBeLessThan(5_000);
		await zb.completeJob({ jobKey: jobs[0]?.key ?? "", variables: {} });
	});

	it("should serve two waiting long polls of one type one job each as jobs appear", async () => {
		await deploy("gw-two", "gw-two-job");
		const started = Date.now();
		const first = activate("gw-two-job", { requestTimeout: 8_000, maxJobsToActivate: 1 });
		const second = activate("gw-two-job", { requestTimeout: 8_000, maxJobsToActivate: 1 });
		await new Promise((resolve) => setTimeout(resolve, 200));
		await zb.createProcessInstance({ bpmnProcessId: "gw-two", variables: {} });
		await new Promise((resolve) => setTimeout(resolve, 200));
		await zb.createProcessInstance({ bpmnProcessId: "gw-two", variables: {} });
		const [a, b] = await Promise.all([first, second]);
		expect(a).toHaveLength(1);
		expect(b).toHaveLength(1);
		expect(a[0]?.key).not.toBe(b[0]?.key);
		expect(Date.now() - started).toBeLessThan(4_000);
		for (const job of [...a, ...b]) await zb.completeJob({ jobKey: job.key, variables: {} });
	});

	it("should raise a JOB_NO_RETRIES incident on FailJob with no retries, and resolve it after UpdateJobRetries", async () => {
		await deploy("gw-fail", "gw-fail-job");
		const created = await zb.createProcessInstance({ bpmnProcessId: "gw-fail", variables: {} });
		const [job] = await activate("gw-fail-job");
		await zb.failJob({ jobKey: job?.key ?? "", retries: 0, errorMessage: "registry offline", retryBackOff: 0 });
		const incidents = await queries.searchIncidents({ processInstanceKey: created.processInstanceKey, state: "ACTIVE" });
		expect(incidents.items).toMatchObject([{ errorType: "JOB_NO_RETRIES", errorMessage: "registry offline", jobKey: job?.key }]);
		expect((await queries.getInstance(created.processInstanceKey))?.hasIncident).toBe(true);
		expect(await activate("gw-fail-job")).toEqual([]);

		const tooEarly = await zb.resolveIncident({ incidentKey: incidents.items[0]?.key ?? "" }).catch((e) => e);
		expect(grpcCode(tooEarly)).toBe(grpc.status.FAILED_PRECONDITION);
		await zb.updateJobRetries({ jobKey: job?.key ?? "", retries: 2 });
		await zb.resolveIncident({ incidentKey: incidents.items[0]?.key ?? "" });
		expect((await queries.getInstance(created.processInstanceKey))?.hasIncident).toBe(false);
		const [again] = await activate("gw-fail-job");
		expect(again).toMatchObject({ key: job?.key, retries: 2 });
		await zb.completeJob({ jobKey: again?.key ?? "", variables: {} });
	});

	it("should make a failed job with retries left activatable again", async () => {
		await deploy("gw-retry", "gw-retry-job");
		await zb.createProcessInstance({ bpmnProcessId: "gw-retry", variables: {} });
		const [job] = await activate("gw-retry-job");
		await zb.failJob({ jobKey: job?.key ?? "", retries: 1, errorMessage: "try again", retryBackOff: 0 });
		const [again] = await activate("gw-retry-job");
		expect(again).toMatchObject({ key: job?.key, retries: 1 });
		await zb.completeJob({ jobKey: again?.key ?? "", variables: {} });
	});

	it("should raise UNHANDLED_ERROR_EVENT when ThrowError finds no catch event", async () => {
		await deploy("gw-throw", "gw-throw-job");
		const created = await zb.createProcessInstance({ bpmnProcessId: "gw-throw", variables: {} });
		const [job] = await activate("gw-throw-job");
		await zb.throwError({ jobKey: job?.key ?? "", errorCode: "CASE_NOT_FOUND", errorMessage: "no such case" });
		const incidents = await queries.searchIncidents({ processInstanceKey: created.processInstanceKey });
		expect(incidents.items).toMatchObject([{ errorType: "UNHANDLED_ERROR_EVENT", state: "ACTIVE" }]);
	});

	it("should set variables on a scope and cancel an instance", async () => {
		await deploy("gw-cancel", "gw-cancel-job");
		const created = await zb.createProcessInstance({ bpmnProcessId: "gw-cancel", variables: { a: 1 } });
		await zb.setVariables({ elementInstanceKey: created.processInstanceKey, variables: { b: "two" }, local: false });
		const set = await raw.call("SetVariables")({ elementInstanceKey: created.processInstanceKey, variables: '{"c": true}', local: true });
		expect(BigInt(set.key as string)).toBeGreaterThan(0n);
		expect((await queries.instanceVariables(created.processInstanceKey)).map((variable) => variable.name)).toEqual(["a", "b", "c"]);
		await zb.cancelProcessInstance(created.processInstanceKey);
		expect((await queries.getInstance(created.processInstanceKey))?.state).toBe("TERMINATED");
		const again = await zb.cancelProcessInstance(created.processInstanceKey).catch((e) => e);
		expect(grpcCode(again)).toBe(grpc.status.NOT_FOUND);
		expect(await activate("gw-cancel-job")).toEqual([]);
	});

	it("should refuse malformed requests with INVALID_ARGUMENT saying what to fix", async () => {
		const expectInvalid = async (method: string, request: Record<string, unknown>, message: RegExp) => {
			const error = await raw.call(method)(request).catch((e) => e);
			expect(grpcCode(error)).toBe(grpc.status.INVALID_ARGUMENT);
			expect(String(error.details)).toMatch(message);
		};
		await expectInvalid("CreateProcessInstance", { bpmnProcessId: "gw-complete", variables: "[1,2]" }, /'variables' to be a JSON object/);
		await expectInvalid("CreateProcessInstance", { bpmnProcessId: "gw-complete", variables: "{oops" }, /not valid JSON/);
		await expectInvalid("CreateProcessInstance", { bpmnProcessId: "gw-complete", tenantId: "police" }, /multi-tenancy is disabled/);
		await expectInvalid("CompleteJob", { jobKey: "0", variables: "{}" }, /'jobKey' to be a Zeebe key/);
		await expectInvalid("ThrowError", { jobKey: "2251799813685249", errorCode: "" }, /'errorCode'/);
		const activateError = await raw.activate({ type: "x", worker: "w", maxJobsToActivate: 0, timeout: 1000, requestTimeout: -1 }).catch((e) => e);
		expect(grpcCode(activateError)).toBe(grpc.status.INVALID_ARGUMENT);
		expect(String(activateError.details)).toMatch(/maxJobsToActivate/);
		const timeoutError = await raw.activate({ type: "x", worker: "w", maxJobsToActivate: 1, timeout: 0, requestTimeout: -1 }).catch((e) => e);
		expect(String(timeoutError.details)).toMatch(/'timeout'/);
		const typeError = await raw.activate({ type: "", worker: "w", maxJobsToActivate: 1, timeout: 10, requestTimeout: -1 }).catch((e) => e);
		expect(String(typeError.details)).toMatch(/'type'/);
		expect((await raw.call("CreateProcessInstance")({ bpmnProcessId: "gw-complete", variables: "", tenantId: "<default>" })).tenantId).toBe("<default>");
	});
	it("should serve Prometheus metrics of the work done so far on /actuator/prometheus", async () => {
		const response = await fetch(`http://127.0.0.1:${engine.managementPort}/actuator/prometheus`);
		expect(response.status).toBe(200);
		expect(response.headers.get("content-type")).toContain("text/plain");
		const text = await response.text();
		const value = (pattern: RegExp) => Number(text.match(pattern)?.[1] ?? Number.NaN);
		expect(value(/^zeebe_stream_processor_commands_total\{valueType="DEPLOYMENT",intent="CREATE"\} (\d+)$/m)).toBeGreaterThan(0);
		expect(value(/^zeebe_job_events_total\{action="activated"\} (\d+)$/m)).toBeGreaterThan(0);
		expect(value(/^zeebe_job_events_total\{action="completed"\} (\d+)$/m)).toBeGreaterThan(0);
		expect(value(/^zeebe_job_events_total\{action="failed"\} (\d+)$/m)).toBeGreaterThan(0);
		expect(value(/^zeebe_incident_events_total\{action="created"\} (\d+)$/m)).toBeGreaterThan(0);
		expect(value(/^zeebe_stream_processor_commit_latency_seconds_count (\d+)$/m)).toBeGreaterThan(0);
		expect(value(/^zeebe_stream_processor_batch_commands_count (\d+)$/m)).toBeGreaterThan(0);
		expect(value(/^zeebe_dropped_request_count_total (\d+)$/m)).toBe(0);
	});
});

describe("gateway back-pressure", () => {
	it("should answer RESOURCE_EXHAUSTED when the engine's command queue is full", async () => {
		const db = await createTestDatabase("engine_backpressure");
		const engine = await hostEngine(engineCore, { databaseUrl: db.url, gatewayPort: 0, managementPort: 0, logger: pino({ level: "silent" }), loop: { maxQueuedCommands: 0 } });
		const zb = new ZBClient(engine.gatewayAddress, { useTLS: false, loglevel: "NONE", retry: false });
		try {
			const error = await zb.createProcessInstance({ bpmnProcessId: "any", variables: {} }).catch((e) => e);
			expect(grpcCode(error)).toBe(grpc.status.RESOURCE_EXHAUSTED);
			expect(String(error.message)).toMatch(/busy.*Retry with back-off/);
			const metrics = await (await fetch(`http://127.0.0.1:${engine.managementPort}/actuator/prometheus`)).text();
			expect(metrics).toMatch(/^zeebe_dropped_request_count_total 1$/m);
		} finally {
			await zb.close();
			await engine.stop();
			await db.drop();
		}
	});
});
