import * as grpc from "@grpc/grpc-js";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZBClient } from "zeebe-node";
import { createTestDatabase, type TestDatabase } from "../../scripts/testing/database";
import { fixture } from "../core/testing/fixtures";
import { startEngine } from "../index";
import type { RunningEngine } from "../runtime/engine-host";

const grpcCode = (error: unknown) => (error as { code?: number }).code;

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

describe("EvaluateDecision through zeebe-node", () => {
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
		expect(broken.failureMessage).toContain("failed to evaluate input 'amount +'");
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
});
