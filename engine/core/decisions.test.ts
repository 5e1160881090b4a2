import { describe, expect, it } from "vitest";
import { evaluateDecision, parseDmnResource } from "../feel/dmn-decision";
import { EngineHarness } from "./testing/engine-harness";
import { fixture } from "./testing/fixtures";

describe("DMN decisions", () => {
	it("should evaluate FIRST and COLLECT SUM tables and required decisions", async () => {
		const parsed = await parseDmnResource(fixture("risk.dmn"));
		expect(parsed.problems).toEqual([]);
		const lookup = (id: string) => parsed.decisions.find((decision) => decision.decisionId === id);
		const now = 0;
		expect(evaluateDecision(lookup("risk")!, { amount: 5000, repeat: false }, now, lookup)).toEqual({
			ok: true,
			value: { level: "high", score: 60 },
		});
		expect(evaluateDecision(lookup("risk")!, { amount: 5, repeat: true }, now, lookup)).toEqual({
			ok: true,
			value: { level: "medium", score: 30 },
		});
		expect(evaluateDecision(lookup("tags")!, { amount: 500 }, now, lookup)).toEqual({ ok: true, value: 3 });
	});

	it("should deploy a DMN resource and evaluate it from a business rule task", async () => {
		const engine = new EngineHarness();
		const deployed = await engine.deploy("risk.dmn", "decide.bpmn");
		const value = deployed.responses[0].record.value as {
			decisionsMetadata: unknown[];
			decisionRequirementsMetadata: unknown[];
		};
		expect(value.decisionsMetadata).toHaveLength(3);
		expect(value.decisionRequirementsMetadata).toEqual([
			expect.objectContaining({ dmnDecisionRequirementsId: "risk-drg", version: 1 }),
		]);
		const { processInstanceKey } = await engine.createInstance("decide", { amount: 2000, repeat: false });
		expect(engine.variableFromLog(processInstanceKey, "risk")).toEqual({ level: "high", score: 60 });
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_COMPLETED");
		expect(engine.records("DECISION_EVALUATION", "EVALUATED")).toHaveLength(1);
		const again = await engine.deploy("risk.dmn");
		expect(
			(again.responses[0].record.value as { decisionsMetadata: Array<{ duplicate: boolean }> }).decisionsMetadata.every(
				(d) => d.duplicate,
			),
		).toBe(true);
		const { processed, replayed } = await engine.replayed();
		expect(replayed).toEqual(processed);
	});

	it("should raise CALLED_DECISION_ERROR when the decision is not deployed", async () => {
		const engine = new EngineHarness();
		await engine.deploy("decide.bpmn");
		await engine.createInstance("decide", {});
		expect(engine.records("INCIDENT", "CREATED")[0].value).toMatchObject({
			errorType: "CALLED_DECISION_ERROR",
			elementId: "assess",
		});
	});
});
