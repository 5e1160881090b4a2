import { describe, expect, it } from "vitest";
import type { DecisionEvaluationValue } from "./commands";
import { EngineHarness } from "./testing/engine-harness";
import { fixture } from "./testing/fixtures";

/** Sends DECISION_EVALUATION EVALUATE and returns the answer record. */
async function evaluate(
	engine: EngineHarness,
	target: { decisionKey?: number; decisionId?: string },
	variables: Record<string, unknown> = {},
	tenantId = "<default>",
) {
	const result = await engine.send({
		valueType: "DECISION_EVALUATION",
		intent: "EVALUATE",
		key: -1,
		value: { decisionKey: target.decisionKey ?? -1, decisionId: target.decisionId ?? "", variables, tenantId },
	});
	expect(result.responses).toHaveLength(1);
	return result.responses[0].record;
}

const evaluationOf = (record: { value: unknown }) => record.value as unknown as DecisionEvaluationValue;

/** FEEL that parses but cannot finish within the evaluation time limit: a decision that fails when evaluated. */
const SLOW = "count(for i in 1..1000000000 return i)";

describe("DECISION_EVALUATION EVALUATE", () => {
	it("should evaluate a decision by id with its required decision and report each evaluated decision", async () => {
		const engine = new EngineHarness();
		await engine.deploy("risk.dmn");
		const record = await evaluate(engine, { decisionId: "risk" }, { amount: 5000, repeat: false });
		expect(record).toMatchObject({ recordType: "EVENT", valueType: "DECISION_EVALUATION", intent: "EVALUATED" });
		const value = evaluationOf(record);
		const risk = engine.state.decisions.get(value.decisionKey)!;
		expect(value).toMatchObject({
			decisionId: "risk",
			decisionName: "Risk level",
			decisionVersion: 1,
			decisionRequirementsId: "risk-drg",
			decisionRequirementsKey: risk.decisionRequirementsKey,
			failedDecisionId: "",
			evaluationFailureMessage: "",
		});
		expect(JSON.parse(value.decisionOutput)).toEqual({ level: "high", score: 60 });
		// The required literal expression first, then the table.
		expect(value.evaluatedDecisions.map((d) => [d.decisionId, d.decisionType])).toEqual([
			["base-score", "LITERAL_EXPRESSION"],
			["risk", "DECISION_TABLE"],
		]);
		const [base, table] = value.evaluatedDecisions;
		expect(base).toMatchObject({ decisionOutput: "10", evaluatedInputs: [], matchedRules: [] });
		expect(base.decisionKey).toBeGreaterThan(0);
		expect(base.decisionVersion).toBe(1);
		expect(table.evaluatedInputs).toEqual([
			{ inputId: "i1", inputName: "amount", inputValue: "5000" },
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
		const { processed, replayed } = await engine.replayed();
		expect(replayed).toEqual(processed);
	});

	it("should evaluate a given version by key and the latest version by id", async () => {
		const engine = new EngineHarness();
		const first = await engine.deploy("risk.dmn");
		const firstKey = (
			first.responses[0].record.value as { decisionsMetadata: Array<{ dmnDecisionId: string; decisionKey: number }> }
		).decisionsMetadata.find((d) => d.dmnDecisionId === "base-score")!.decisionKey;
		await engine.deploy({
			resourceName: "risk.dmn",
			resource: fixture("risk.dmn").replace("<text>10</text>", "<text>15</text>"),
		});
		expect(JSON.parse(evaluationOf(await evaluate(engine, { decisionKey: firstKey })).decisionOutput)).toBe(10);
		const latest = evaluationOf(await evaluate(engine, { decisionId: "base-score" }));
		expect(latest.decisionVersion).toBe(2);
		expect(JSON.parse(latest.decisionOutput)).toBe(15);
	});

	it("should apply the hit policies", async () => {
		const engine = new EngineHarness();
		await engine.deploy("hit-policies.dmn");
		const grade = evaluationOf(await evaluate(engine, { decisionId: "grade" }, { score: 70 }));
		expect(JSON.parse(grade.decisionOutput)).toBe("pass");
		expect(grade.evaluatedDecisions[0].evaluatedInputs).toEqual([
			{ inputId: "scoreInput", inputName: "Score", inputValue: "70" },
		]);
		expect(grade.evaluatedDecisions[0].matchedRules.map((r) => [r.ruleId, r.ruleIndex])).toEqual([["pass", 2]]);
		// UNIQUE with no match (score missing → null): null output, no rule.
		const none = evaluationOf(await evaluate(engine, { decisionId: "grade" }, {}));
		expect(none.decisionOutput).toBe("null");
		expect(none.evaluatedDecisions[0].matchedRules).toEqual([]);
		// ANY: several rules with the same output are fine; different outputs fail.
		const flagged = evaluationOf(await evaluate(engine, { decisionId: "flag" }, { amount: 20 }));
		expect(JSON.parse(flagged.decisionOutput)).toBe(true);
		const conflicting = await evaluate(engine, { decisionId: "flag" }, { amount: 13 });
		expect(conflicting.intent).toBe("FAILED");
		expect(evaluationOf(conflicting).failedDecisionId).toBe("flag");
		// COLLECT without aggregation: the list of outputs, every matched rule reported.
		const labels = evaluationOf(await evaluate(engine, { decisionId: "labels" }, { amount: 500 }));
		expect(JSON.parse(labels.decisionOutput)).toEqual(["positive", "large"]);
		expect(labels.evaluatedDecisions[0].matchedRules.map((r) => r.ruleIndex)).toEqual([1, 2]);
	});

	it("should pick by output priority (PRIORITY) and sort by it (OUTPUT ORDER), the list of output values ranking them", async () => {
		const engine = new EngineHarness();
		const table = (id: string, hitPolicy: string) => `
  <decision id="${id}" name="${id}">
    <decisionTable id="${id}-table" hitPolicy="${hitPolicy}">
      <input id="${id}-in" label="Days"><inputExpression id="${id}-e" typeRef="number"><text>daysLeft</text></inputExpression></input>
      <output id="${id}-out" name="urgency" typeRef="string"><outputValues id="${id}-values"><text>"critical","high","normal"</text></outputValues></output>
      <rule id="${id}-r1"><inputEntry id="${id}-a"><text>&lt;= 30</text></inputEntry><outputEntry id="${id}-b"><text>"normal"</text></outputEntry></rule>
      <rule id="${id}-r2"><inputEntry id="${id}-c"><text>&lt;= 1</text></inputEntry><outputEntry id="${id}-d"><text>"critical"</text></outputEntry></rule>
      <rule id="${id}-r3"><inputEntry id="${id}-e2"><text>&lt;= 5</text></inputEntry><outputEntry id="${id}-f"><text>"high"</text></outputEntry></rule>
    </decisionTable>
  </decision>`;
		await engine.deploy({
			resourceName: "urgency.dmn",
			resource: `<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="urgency-drg" name="Urgency" namespace="t">${table("urgency", "PRIORITY")}${table("urgencies", "OUTPUT ORDER")}</definitions>`,
		});
		const priority = evaluationOf(await evaluate(engine, { decisionId: "urgency" }, { daysLeft: 1 }));
		expect(JSON.parse(priority.decisionOutput)).toBe("critical");
		expect(priority.evaluatedDecisions[0].matchedRules.map((rule) => rule.ruleId)).toEqual(["urgency-r2"]);
		expect(JSON.parse(evaluationOf(await evaluate(engine, { decisionId: "urgency" }, { daysLeft: 4 })).decisionOutput)).toBe("high");
		const ordered = evaluationOf(await evaluate(engine, { decisionId: "urgencies" }, { daysLeft: 1 }));
		expect(JSON.parse(ordered.decisionOutput)).toEqual(["critical", "high", "normal"]);
		expect(ordered.evaluatedDecisions[0].matchedRules.map((rule) => rule.ruleId)).toEqual(["urgencies-r2", "urgencies-r3", "urgencies-r1"]);
	});

	it("should answer FAILED (not a rejection) with the failing decision when the evaluation fails", async () => {
		const engine = new EngineHarness();
		await engine.deploy("hit-policies.dmn");
		const unique = await evaluate(engine, { decisionId: "grade" }, { score: 95 });
		expect(unique).toMatchObject({ recordType: "EVENT", intent: "FAILED" });
		expect(evaluationOf(unique)).toMatchObject({
			decisionId: "grade",
			failedDecisionId: "grade",
			decisionOutput: "null",
			evaluationFailureMessage:
				"Expected to evaluate decision 'grade', but the UNIQUE hit policy allows one matching rule, but 2 matched",
		});
		const broken = evaluationOf(await evaluate(engine, { decisionId: "broken" }, { amount: 1 }));
		expect(broken.failedDecisionId).toBe("broken");
		// Syntax errors are refused at deployment; what can still fail at evaluation is an input past the FEEL time limit.
		expect(broken.evaluationFailureMessage).toMatch(
			/^Expected to evaluate decision 'broken', but failed to evaluate input 'count\(for i in 1\.\.1000000000 return amount\)'.*did not finish within 200 ms/,
		);
		expect(broken.evaluatedDecisions).toEqual([]);
	});

	it("should name the failing required decision and keep the decisions evaluated before it", async () => {
		const engine = new EngineHarness();
		const drg = fixture("risk.dmn")
			.replace("<text>10</text>", `<text>${SLOW}</text>`)
			.replace(
				'<decision id="tags"',
				'<decision id="summary" name="Summary"><informationRequirement id="ir2"><requiredDecision href="#tags" /></informationRequirement><informationRequirement id="ir3"><requiredDecision href="#risk" /></informationRequirement><literalExpression id="le2"><text>tags</text></literalExpression></decision>\n  <decision id="tags"',
			);
		await engine.deploy({ resourceName: "risk.dmn", resource: drg });
		const value = evaluationOf(await evaluate(engine, { decisionId: "summary" }, { amount: 500, repeat: false }));
		expect(value.decisionId).toBe("summary");
		expect(value.failedDecisionId).toBe("base-score");
		expect(value.evaluationFailureMessage).toContain("Expected to evaluate decision 'summary', but");
		expect(value.evaluatedDecisions.map((d) => d.decisionId)).toEqual(["tags"]);
	});

	it("should reject an unknown decision with NOT_FOUND and a missing one with INVALID_ARGUMENT", async () => {
		const engine = new EngineHarness();
		await engine.deploy("risk.dmn");
		const byId = await evaluate(engine, { decisionId: "nope" });
		expect(byId).toMatchObject({ recordType: "COMMAND_REJECTION", rejectionType: "NOT_FOUND" });
		expect(byId.rejectionReason).toContain("no decision found for id 'nope'");
		const byKey = await evaluate(engine, { decisionKey: 2251799813685999 });
		expect(byKey).toMatchObject({ recordType: "COMMAND_REJECTION", rejectionType: "NOT_FOUND" });
		const otherTenant = await evaluate(engine, { decisionId: "risk" }, {}, "tenant-b");
		expect(otherTenant).toMatchObject({ recordType: "COMMAND_REJECTION", rejectionType: "NOT_FOUND" });
		const neither = await evaluate(engine, {});
		expect(neither).toMatchObject({ recordType: "COMMAND_REJECTION", rejectionType: "INVALID_ARGUMENT" });
	});

	it("should write FAILED before the incident when a business rule task's decision fails", async () => {
		const engine = new EngineHarness();
		await engine.deploy(
			{
				resourceName: "risk.dmn",
				resource: fixture("risk.dmn").replace("<text>10</text>", `<text>${SLOW}</text>`),
			},
			"decide.bpmn",
		);
		const { processInstanceKey } = await engine.createInstance("decide", { amount: 1, repeat: false });
		const failed = engine.records("DECISION_EVALUATION", "FAILED");
		expect(failed).toHaveLength(1);
		expect(failed[0].value).toMatchObject({ processInstanceKey, elementId: "assess", failedDecisionId: "base-score" });
		const incident = engine.records("INCIDENT", "CREATED")[0];
		expect(incident.position).toBeGreaterThan(failed[0].position);
		expect(incident.value).toMatchObject({ errorType: "DECISION_EVALUATION_ERROR", elementId: "assess" });
	});
});
