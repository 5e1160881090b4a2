import { describe, expect, it } from "vitest";
import { EngineHarness } from "./testing/engine-harness";
import { fixture } from "./testing/fixtures";

describe("DEPLOYMENT CREATE", () => {
	it("should reject the whole deployment with every problem listed when one resource is invalid", async () => {
		const engine = new EngineHarness();
		const result = await engine.deploy("one-task.bpmn", "invalid.bpmn");
		const rejection = result.records.find((record) => record.recordType === "COMMAND_REJECTION");
		expect(rejection?.rejectionType).toBe("INVALID_ARGUMENT");
		const reason = rejection?.rejectionReason ?? "";
		expect(reason).toContain("'invalid.bpmn':");
		expect(reason).toContain("- Element: no-type");
		expect(reason).toContain("has no job type");
		expect(reason).toContain("more than one none start event");
		expect(reason).toContain("element 'wait' of type AdHocSubProcess is not supported yet");
		expect(reason).toContain("Elements of type 'ComplexGateway' are currently not supported");
		expect(result.responses[0].record).toBe(rejection);
		expect(engine.records("PROCESS", "CREATED")).toHaveLength(0);
		expect(engine.state.processes.size).toBe(0);
	});

	it("should reject a process start event timer with a timeDuration instead of failing", async () => {
		const engine = new EngineHarness();
		const xml = `<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="late" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:startEvent>
    <bpmn:endEvent id="end" /><bpmn:sequenceFlow id="f" sourceRef="start" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;
		const result = await engine.deploy({ resourceName: "late.bpmn", resource: xml });
		expect(result.responses[0].record).toMatchObject({ recordType: "COMMAND_REJECTION", rejectionType: "INVALID_ARGUMENT" });
		expect(result.responses[0].record.rejectionReason).toContain("- Element: start");
	});

	it("should reject a DMN whose FEEL does not parse, naming the decision, rule and column of each error", async () => {
		const engine = new EngineHarness();
		const xml = `<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="feel-drg" name="FEEL" namespace="t">
  <decision id="fee" name="Fee">
    <decisionTable id="feeTable" hitPolicy="FIRST">
      <input id="amountInput" label="Amount"><inputExpression id="e1" typeRef="number"><text>amount *</text></inputExpression></input>
      <input id="kindInput" label="Kind"><inputExpression id="e2" typeRef="string"><text>kind</text></inputExpression></input>
      <output id="feeOutput" name="fee" typeRef="number" />
      <rule id="small"><inputEntry id="a1"><text>&lt; 100</text></inputEntry><inputEntry id="a2"><text>-</text></inputEntry><outputEntry id="a3"><text>5</text></outputEntry></rule>
      <rule id="large"><inputEntry id="b1"><text>[100..</text></inputEntry><inputEntry id="b2"><text>"A","B"</text></inputEntry><outputEntry id="b3"><text>amount * </text></outputEntry></rule>
    </decisionTable>
  </decision>
  <decision id="note" name="Note"><literalExpression id="l1"><text>if fee > 10 then "high"</text></literalExpression></decision>
</definitions>`;
		const result = await engine.deploy({ resourceName: "fee.dmn", resource: xml });
		const rejection = result.responses[0].record;
		expect(rejection).toMatchObject({ recordType: "COMMAND_REJECTION", rejectionType: "INVALID_ARGUMENT" });
		const reason = rejection.rejectionReason;
		expect(reason).toContain("'fee.dmn':");
		expect(reason).toContain("decision 'fee', input 'Amount': the FEEL expression 'amount *' has a syntax error");
		expect(reason).toContain("decision 'fee', rule 'large', input 'Amount': the FEEL unary tests '[100..' has a syntax error");
		expect(reason).toContain("decision 'fee', rule 'large', output 'fee': the FEEL expression 'amount *' has a syntax error");
		expect(reason).toContain("decision 'note': the FEEL expression 'if fee > 10 then \"high\"' has a syntax error");
		// The valid entries (`< 100`, `-`, `"A","B"`, `5`, `kind`) are not named.
		expect(reason).not.toContain("rule 'small'");
		expect(reason).not.toContain("'Kind'");
		expect(engine.state.decisions.size).toBe(0);
	});

	it("should refuse XML that declares a DOCTYPE before parsing it", async () => {
		const engine = new EngineHarness();
		const xml = `<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol">]><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"/>`;
		const result = await engine.deploy({ resourceName: "evil.bpmn", resource: xml });
		expect(result.records[1].rejectionType).toBe("INVALID_ARGUMENT");
		expect(result.records[1].rejectionReason).toContain("DOCTYPE");
	});

	it("should not create a new version when an unchanged resource is deployed again", async () => {
		const engine = new EngineHarness();
		const first = await engine.deploy("one-task.bpmn");
		const second = await engine.deploy("one-task.bpmn");
		const metadata = (result: typeof first) =>
			(
				result.responses[0].record.value as {
					processesMetadata: Array<{ version: number; processDefinitionKey: number; duplicate: boolean }>;
				}
			).processesMetadata[0];
		expect(metadata(second)).toMatchObject({
			version: 1,
			processDefinitionKey: metadata(first).processDefinitionKey,
			duplicate: true,
		});
		expect(engine.records("PROCESS", "CREATED")).toHaveLength(1);
		const changed = fixture("one-task.bpmn").replace("Do it", "Do it now");
		const third = await engine.deploy({ resourceName: "one-task.bpmn", resource: changed });
		expect(metadata(third)).toMatchObject({ version: 2, duplicate: false });
		const { processed, replayed } = await engine.replayed();
		expect(replayed).toEqual(processed);
	});

	it("should deploy a form with its id and version", async () => {
		const engine = new EngineHarness();
		const form = JSON.stringify({ id: "review-form", type: "default", components: [] });
		const result = await engine.deploy({ resourceName: "review.form", resource: form });
		const value = result.responses[0].record.value as {
			formMetadata: Array<{ formId: string; version: number; formKey: number }>;
		};
		expect(value.formMetadata).toEqual([expect.objectContaining({ formId: "review-form", version: 1 })]);
		expect(engine.records("FORM", "CREATED")).toHaveLength(1);
	});

	it("should reject an instance of an unknown process with NOT_FOUND", async () => {
		const engine = new EngineHarness();
		const { result } = await engine.createInstance("nope");
		expect(result.records[1]).toMatchObject({ recordType: "COMMAND_REJECTION", rejectionType: "NOT_FOUND" });
		expect(result.records[1].rejectionReason).toContain("process ID 'nope'");
	});
});
