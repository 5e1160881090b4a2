import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZBClient } from "zeebe-node";
import { createTestDatabase, type TestDatabase } from "../../scripts/testing/database";
import { fixture } from "../core/testing/fixtures";
import { startEngine } from "../index";
import type { RunningEngine } from "../runtime/engine-host";
import { signalProcess } from "./event-diagrams";
import { zeebeProtoPath } from "./gateway-proto";
import { oneTaskProcess } from "./test-diagrams";

const grpcCode = (error: unknown) => (error as { code?: number }).code;
/** The error a call fails with (an Error saying so when it succeeds). */
const failureOf = (promise: Promise<unknown>) => promise.then(() => new Error("the call succeeded"), (error: Error) => error);

/** A decision-calling process: start → business rule task (decision `decisionId`) → end. */
function decideProcess(processId: string, decisionId: string): string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d-${processId}" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="${processId}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:businessRuleTask id="assess"><bpmn:extensionElements><zeebe:calledDecision decisionId="${decisionId}" resultVariable="result" /></bpmn:extensionElements></bpmn:businessRuleTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="assess" />
    <bpmn:sequenceFlow id="f2" sourceRef="assess" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;
}

/** A DRG `id` with one literal decision `${id}-answer` = `answer`. */
function answerDrg(id: string, answer: number): string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="${id}" name="${id}" namespace="http://mizan.test">
  <decision id="${id}-answer" name="Answer"><literalExpression id="e"><text>${answer}</text></literalExpression></decision>
</definitions>`;
}

/**
 * zeebe-node 8.3 has no deleteResource() method; its gRPC client (built from the same proto) has one for
 * every RPC of the proto, so DeleteResource is sent through zeebe-node's own client.
 */
function deleteResource(zb: ZBClient, resourceKey: string): Promise<unknown> {
	return grpcClient(zb).deleteResourceSync({ resourceKey });
}

/** zeebe-node's gRPC client: a `<rpc>Sync(request)` method per RPC of the proto. */
function grpcClient(zb: ZBClient): Record<string, (request: Record<string, unknown>) => Promise<unknown>> {
	return (zb as unknown as { grpc: Record<string, (request: Record<string, unknown>) => Promise<unknown>> }).grpc;
}

/**
 * A StreamActivatedJobs call on a plain grpc-js client of zeebe-node's proto (zeebe-node 8.3 only polls):
 * the jobs received so far, and `close()` to cancel the stream.
 */
function openJobStream(address: string, request: Record<string, unknown>) {
	const options = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };
	const proto = grpc.loadPackageDefinition(protoLoader.loadSync(zeebeProtoPath(), options)) as unknown as {
		gateway_protocol: { Gateway: grpc.ServiceClientConstructor };
	};
	const client = new proto.gateway_protocol.Gateway(address, grpc.credentials.createInsecure());
	const call = (client as unknown as { StreamActivatedJobs(r: unknown): grpc.ClientReadableStream<Record<string, string>> }).StreamActivatedJobs(request);
	const jobs: Array<Record<string, string>> = [];
	let ended: string | null = null;
	call.on("data", (job) => jobs.push(job));
	call.on("error", () => {}); // the status event below reports it
	call.on("status", (status: grpc.StatusObject) => (ended = `status ${status.code}`));
	return {
		jobs,
		ended: () => ended,
		/** Resolves once `count` jobs arrived (fails after 5 s). */
		async received(count: number) {
			const until = Date.now() + 5_000;
			while (jobs.length < count && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
			return jobs.length;
		},
		close() {
			call.cancel();
			client.close();
		},
	};
}

describe("EvaluateDecision, DeleteResource and StreamActivatedJobs through zeebe-node", () => {
	let db: TestDatabase;
	let engine: RunningEngine;
	let zb: ZBClient;

	beforeAll(async () => {
		db = await createTestDatabase("engine_gateway_resources");
		engine = await startEngine({ databaseUrl: db.url, gatewayPort: 0, managementPort: 0, logger: pino({ level: "silent" }) });
		zb = new ZBClient(engine.gatewayAddress, { useTLS: false, loglevel: "NONE", retry: false });
		await zb.deployResource({ decision: Buffer.from(fixture("risk.dmn")), name: "risk.dmn" });
		await zb.deployResource({ decision: Buffer.from(fixture("hit-policies.dmn")), name: "hit-policies.dmn" });
	});
	afterAll(async () => {
		await zb?.close();
		await engine?.stop();
		await db?.drop();
	});

	it("should evaluate a decision with its required decision and describe every evaluated decision", async () => {
		const response = await zb.evaluateDecision({ decisionId: "risk", variables: { amount: 2000, repeat: false } });
		expect(response).toMatchObject({
			decisionId: "risk",
			decisionName: "Risk level",
			decisionVersion: 1,
			decisionRequirementsId: "risk-drg",
			failedDecisionId: "",
			failureMessage: "",
			tenantId: "<default>",
		});
		expect(BigInt(response.decisionKey)).toBeGreaterThan(0n);
		expect(BigInt(response.decisionRequirementsKey)).toBeGreaterThan(0n);
		expect(JSON.parse(response.decisionOutput)).toEqual({ level: "high", score: 60 });
		expect(response.evaluatedDecisions.map((d) => [d.decisionId, d.decisionType, JSON.parse(d.decisionOutput)])).toEqual([
			["base-score", "LITERAL_EXPRESSION", 10],
			["risk", "DECISION_TABLE", { level: "high", score: 60 }],
		]);
		const table = response.evaluatedDecisions[1];
		expect(table.decisionKey).toBe(response.decisionKey);
		expect(table.evaluatedInputs).toEqual([
			{ inputId: "i1", inputName: "amount", inputValue: "2000" },
			{ inputId: "i2", inputName: "repeat", inputValue: "false" },
		]);
		expect(table.matchedRules).toEqual([
			{
				ruleId: "r1",
				ruleIndex: 1,
				evaluatedOutputs: [
					{ outputId: "o1", outputName: "level", outputValue: '"high"' },
					{ outputId: "o2", outputName: "score", outputValue: "60" },
				],
			},
		]);
	});

	it("should evaluate by decision key and apply COLLECT and UNIQUE hit policies", async () => {
		const byId = await zb.evaluateDecision({ decisionId: "labels", variables: { amount: 500 } });
		expect(JSON.parse(byId.decisionOutput)).toEqual(["positive", "large"]);
		expect(byId.evaluatedDecisions[0].matchedRules.map((rule) => rule.ruleId)).toEqual(["any", "large"]);
		const byKey = await zb.evaluateDecision({ decisionKey: byId.decisionKey, variables: { amount: 5 } });
		expect(byKey.decisionId).toBe("labels");
		expect(JSON.parse(byKey.decisionOutput)).toEqual(["positive"]);
		const grade = await zb.evaluateDecision({ decisionId: "grade", variables: { score: 60 } });
		expect(JSON.parse(grade.decisionOutput)).toBe("pass");
		expect(grade.evaluatedDecisions[0].evaluatedInputs[0]).toEqual({ inputId: "scoreInput", inputName: "Score", inputValue: "60" });
	});

	it("should answer a failed evaluation with OK and the failing decision and message", async () => {
		const unique = await zb.evaluateDecision({ decisionId: "grade", variables: { score: 95 } });
		expect(unique).toMatchObject({ decisionId: "grade", failedDecisionId: "grade", decisionOutput: "null" });
		expect(unique.failureMessage).toBe("Expected to evaluate decision 'grade', but the UNIQUE hit policy allows one matching rule, but 2 matched");
		const broken = await zb.evaluateDecision({ decisionId: "broken", variables: { amount: 3 } });
		expect(broken.failedDecisionId).toBe("broken");
		expect(broken.failureMessage).toContain("failed to evaluate input 'count(for i in 1..1000000000 return amount)'");
		expect(broken.evaluatedDecisions).toEqual([]);
	});

	it("should answer NOT_FOUND for an unknown decision and INVALID_ARGUMENT for bad arguments", async () => {
		const unknown = await zb.evaluateDecision({ decisionId: "no-such-decision", variables: {} }).catch((e) => e);
		expect(grpcCode(unknown)).toBe(grpc.status.NOT_FOUND);
		expect(String(unknown.message)).toContain("no decision found for id 'no-such-decision'");
		const unknownKey = await zb.evaluateDecision({ decisionKey: "2251799813699999", variables: {} }).catch((e) => e);
		expect(grpcCode(unknownKey)).toBe(grpc.status.NOT_FOUND);
		const neither = await zb.evaluateDecision({ variables: {} } as never).catch((e) => e);
		expect(grpcCode(neither)).toBe(grpc.status.INVALID_ARGUMENT);
		expect(String(neither.message)).toContain("neither was given");
		const both = await zb.evaluateDecision({ decisionId: "risk", decisionKey: "2251799813685249", variables: {} } as never).catch((e) => e);
		expect(grpcCode(both)).toBe(grpc.status.INVALID_ARGUMENT);
		const tenant = await zb.evaluateDecision({ decisionId: "risk", variables: {}, tenantId: "other" }).catch((e) => e);
		expect(grpcCode(tenant)).toBe(grpc.status.INVALID_ARGUMENT);
	});

	it("should evaluate the same decision from a business rule task", async () => {
		await zb.deployResource({ process: Buffer.from(decideProcess("res-decide", "risk")), name: "res-decide.bpmn" });
		const result = await zb.createProcessInstanceWithResult({ bpmnProcessId: "res-decide", variables: { amount: 5, repeat: true } });
		expect(result.variables).toMatchObject({ result: { level: "medium", score: 30 } });
	});

	it("should delete a process version: refused while instances run, then the previous version is the latest", async () => {
		const deploy = async (jobType: string) =>
			(await zb.deployResource({ process: Buffer.from(oneTaskProcess("res-del", jobType)), name: "res-del.bpmn" })).deployments[0]?.process;
		const v1 = await deploy("res-del-1");
		const v2 = await deploy("res-del-2");
		expect(v2?.version).toBe(2);
		const running = await zb.createProcessInstance({ bpmnProcessId: "res-del", variables: {} });
		const refused = await failureOf(deleteResource(zb, v2!.processDefinitionKey));
		expect(grpcCode(refused)).toBe(grpc.status.FAILED_PRECONDITION);
		expect(String(refused.message)).toContain("there are still running instances");
		await zb.cancelProcessInstance(running.processInstanceKey);

		expect(await deleteResource(zb, v2!.processDefinitionKey)).toEqual({});
		const created = await zb.createProcessInstance({ bpmnProcessId: "res-del", variables: {} });
		expect(created).toMatchObject({ version: 1, processDefinitionKey: v1?.processDefinitionKey });
		// zeebe-node's createProcessInstance() always sends a process id; by key goes through its gRPC client.
		const byKey = await grpcClient(zb)
			.createProcessInstanceSync({ processDefinitionKey: v2!.processDefinitionKey, variables: "{}" })
			.catch((e) => e);
		expect(grpcCode(byKey)).toBe(grpc.status.NOT_FOUND);
		const again = await failureOf(deleteResource(zb, v2!.processDefinitionKey));
		expect(grpcCode(again)).toBe(grpc.status.NOT_FOUND);
		expect(String(again.message)).toContain(`no resource found with key \`${v2!.processDefinitionKey}\``);

		// The query side: no longer listed nor the latest, still readable by key for the instances that ran on it.
		expect((await engine.queries.listDefinitions({ bpmnProcessId: "res-del" })).map((d) => d.version)).toEqual([1]);
		expect((await engine.queries.latestDefinition("res-del"))?.version).toBe(1);
		expect((await engine.queries.getDefinition(v2!.processDefinitionKey))?.deletedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
		// Versions are never reused.
		expect((await deploy("res-del-3"))?.version).toBe(3);
	});

	it("should move a signal start event to the previous version when the latest is deleted", async () => {
		const deploy = async (continueSignal: string) =>
			(await zb.deployResource({ process: Buffer.from(signalProcess("res-sig", "res-go", continueSignal)), name: "res-sig.bpmn" })).deployments[0]
				?.process;
		const v1 = await deploy("res-continue-1");
		const v2 = await deploy("res-continue-2");
		await deleteResource(zb, v2!.processDefinitionKey);
		await zb.broadcastSignal({ signalName: "res-go" });
		const started = await engine.queries.searchInstances({ bpmnProcessId: "res-sig" });
		expect(started.items.map((instance) => instance.processDefinitionKey)).toEqual([v1?.processDefinitionKey]);
	});

	it("should delete a decision requirements graph: EvaluateDecision then uses the previous version, then none", async () => {
		const deploy = async (answer: number) =>
			(
				(await zb.deployResource({ decision: Buffer.from(answerDrg("res-drg", answer)), name: "res-drg.dmn" }))
					.deployments as Array<{ decisionRequirements?: { decisionRequirementsKey: string; version: number } }>
			).find((deployment) => deployment.decisionRequirements)?.decisionRequirements;
		const drg1 = await deploy(42);
		const drg2 = await deploy(43);
		expect(drg2?.version).toBe(2);
		expect(JSON.parse((await zb.evaluateDecision({ decisionId: "res-drg-answer", variables: {} })).decisionOutput)).toBe(43);
		await deleteResource(zb, drg2!.decisionRequirementsKey);
		const previous = await zb.evaluateDecision({ decisionId: "res-drg-answer", variables: {} });
		expect(previous).toMatchObject({ decisionVersion: 1, decisionRequirementsKey: drg1?.decisionRequirementsKey });
		expect(JSON.parse(previous.decisionOutput)).toBe(42);
		await deleteResource(zb, drg1!.decisionRequirementsKey);
		const none = await zb.evaluateDecision({ decisionId: "res-drg-answer", variables: {} }).catch((e) => e);
		expect(grpcCode(none)).toBe(grpc.status.NOT_FOUND);
	});

	it("should answer NOT_FOUND for an unknown resource key and INVALID_ARGUMENT for no key", async () => {
		const unknown = await failureOf(deleteResource(zb, "2251799813699999"));
		expect(grpcCode(unknown)).toBe(grpc.status.NOT_FOUND);
		const none = await failureOf(deleteResource(zb, "0"));
		expect(grpcCode(none)).toBe(grpc.status.INVALID_ARGUMENT);
		expect(String(none.message)).toContain("resourceKey");
	});

	it("should stream waiting and new jobs of a type to a StreamActivatedJobs call until it is cancelled", async () => {
		await zb.deployResource({ process: Buffer.from(oneTaskProcess("res-stream", "res-stream-job")), name: "res-stream.bpmn" });
		const waiting = await zb.createProcessInstance({ bpmnProcessId: "res-stream", variables: { n: 1 } });
		const stream = openJobStream(engine.gatewayAddress, { type: "res-stream-job", worker: "streamer", timeout: "60000", fetchVariable: [] });
		try {
			expect(await stream.received(1)).toBe(1);
			const later = await zb.createProcessInstance({ bpmnProcessId: "res-stream", variables: { n: 2 } });
			expect(await stream.received(2)).toBe(2);
			expect(stream.jobs.map((job) => [job.processInstanceKey, job.type, job.worker, JSON.parse(job.variables).n])).toEqual([
				[waiting.processInstanceKey, "res-stream-job", "streamer", 1],
				[later.processInstanceKey, "res-stream-job", "streamer", 2],
			]);
			expect(Number(stream.jobs[0].deadline)).toBeGreaterThan(Date.now());
			for (const job of stream.jobs) await zb.completeJob({ jobKey: job.key, variables: {} });
			expect((await engine.queries.getInstance(later.processInstanceKey))?.state).toBe("COMPLETED");
			expect(stream.ended()).toBeNull();
		} finally {
			stream.close();
		}
		// A cancelled stream takes no more jobs: a new job stays activatable for others.
		await new Promise((resolve) => setTimeout(resolve, 300));
		const after = await zb.createProcessInstance({ bpmnProcessId: "res-stream", variables: {} });
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect((await engine.queries.instanceJobs(after.processInstanceKey)).map((job) => job.state)).toEqual(["ACTIVATABLE"]);
	});

	it("should refuse a StreamActivatedJobs request without a timeout with INVALID_ARGUMENT", async () => {
		const stream = openJobStream(engine.gatewayAddress, { type: "res-stream-job", worker: "w", timeout: "0" });
		const until = Date.now() + 5_000;
		while (stream.ended() === null && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
		stream.close();
		expect(stream.ended()).toBe(`status ${grpc.status.INVALID_ARGUMENT}`);
	});
});
