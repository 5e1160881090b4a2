import { describe, expect, it } from "vitest";
import { fixture } from "../core/testing/fixtures";
import { parseBpmnResource } from "./bpmn-parser";

const wrap = (body: string) =>
	`<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="d">${body}</bpmn:definitions>`;

describe("BPMN parsing and validation", () => {
	it("should transform a diagram into a plain executable model", async () => {
		const { processes, problems } = await parseBpmnResource("one-task.bpmn", fixture("one-task.bpmn"));
		expect(problems).toEqual([]);
		const model = processes[0];
		expect(JSON.parse(JSON.stringify(model))).toEqual(model);
		expect(model.elements["one-task"]).toMatchObject({ type: "PROCESS", noneStartEventId: "start" });
		expect(model.elements.task).toMatchObject({
			type: "SERVICE_TASK",
			flowScopeId: "one-task",
			incoming: ["f1"],
			outgoing: ["f2"],
			job: { type: "do-it", retries: "3", headers: { kind: "test" } },
		});
		expect(model.elements.f1).toMatchObject({
			type: "SEQUENCE_FLOW",
			sourceId: "start",
			targetId: "task",
			condition: null,
		});
	});

	it("should report every problem of a resource, each with its element", async () => {
		const { problems } = await parseBpmnResource("invalid.bpmn", fixture("invalid.bpmn"));
		expect(problems.map((problem) => problem.elementId)).toEqual(["no-type", "wait", "complex", "broken"]);
		expect(problems.every((problem) => problem.resourceName === "invalid.bpmn")).toBe(true);
	});

	it("should refuse DOCTYPE and ENTITY declarations without parsing", async () => {
		const { problems } = await parseBpmnResource("x.bpmn", `<!DOCTYPE x [<!ENTITY a "b">]>${wrap("")}`);
		expect(problems[0].message).toContain("DOCTYPE");
	});

	it("should report unreadable XML and a resource without executable process", async () => {
		expect((await parseBpmnResource("x.bpmn", "not xml <<<")).problems).toHaveLength(1);
		const { problems } = await parseBpmnResource("x.bpmn", wrap('<bpmn:process id="p" isExecutable="false"/>'));
		expect(problems[0].message).toContain("no executable process");
	});

	it("should check gateway conditions, default flows and error catch codes", async () => {
		const xml = wrap(`
			<bpmn:error id="e1" errorCode="E"/>
			<bpmn:process id="p" isExecutable="true">
				<bpmn:startEvent id="s"/>
				<bpmn:exclusiveGateway id="g"/>
				<bpmn:endEvent id="a"/><bpmn:endEvent id="b"/>
				<bpmn:sequenceFlow id="ga" sourceRef="g" targetRef="a"/>
				<bpmn:sequenceFlow id="gb" sourceRef="g" targetRef="b"/>
				<bpmn:sequenceFlow id="sg" sourceRef="s" targetRef="g"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=true</bpmn:conditionExpression></bpmn:sequenceFlow>
				<bpmn:serviceTask id="t"><bpmn:extensionElements><zeebe:taskDefinition type="x"/></bpmn:extensionElements></bpmn:serviceTask>
				<bpmn:boundaryEvent id="c1" attachedToRef="t"><bpmn:outgoing>x1</bpmn:outgoing><bpmn:errorEventDefinition/></bpmn:boundaryEvent>
				<bpmn:boundaryEvent id="c2" attachedToRef="t"><bpmn:outgoing>x2</bpmn:outgoing><bpmn:errorEventDefinition/></bpmn:boundaryEvent>
				<bpmn:endEvent id="z"/>
				<bpmn:sequenceFlow id="x1" sourceRef="c1" targetRef="z"/>
				<bpmn:sequenceFlow id="x2" sourceRef="c2" targetRef="z"/>
			</bpmn:process>`);
		const { problems } = await parseBpmnResource("p.bpmn", xml);
		const messages = problems.map((problem) => `${problem.elementId}: ${problem.message}`);
		expect(messages).toEqual(
			expect.arrayContaining([
				expect.stringContaining("ga: the sequence flow leaves exclusive gateway 'g' without a condition"),
				expect.stringContaining("gb: the sequence flow leaves exclusive gateway 'g' without a condition"),
				expect.stringContaining("sg: conditional sequence flows are only supported at exclusive"),
				expect.stringContaining("c2: more than one catch-all error event"),
			]),
		);
	});

	it("should read job-based user task properties and script tasks", async () => {
		const { processes, problems } = await parseBpmnResource("tasks.bpmn", fixture("tasks.bpmn"));
		expect(problems).toEqual([]);
		expect(processes[0].elements.review.job).toMatchObject({
			type: "io.camunda.zeebe:userTask",
			retries: "1",
			userTask: {
				assignee: "=reviewer",
				candidateGroups: "officers, supervisors",
				formKey: "camunda-forms:bpmn:review-form",
			},
		});
		expect(processes[0].elements.compute.script).toEqual({ expression: "=a + b", resultVariable: "sum" });
	});

	it("should register error event sub-process starts on the enclosing container", async () => {
		const { processes, problems } = await parseBpmnResource("errors.bpmn", fixture("errors.bpmn"));
		expect(problems).toEqual([]);
		const process = processes.find((p) => p.bpmnProcessId === "error-subprocess")!;
		expect(process.elements["error-subprocess"].eventSubProcessStartIds).toEqual(["fraud-start"]);
		expect(process.elements["fraud-start"]).toMatchObject({
			eventType: "ERROR",
			errorCode: "FRAUD",
			interrupting: true,
		});
	});
});

describe("expression validation at deploy", () => {
	it("should report an expression with a syntax error on its element", async () => {
		const xml = wrap(`<bpmn:process id="p" isExecutable="true">
			<bpmn:startEvent id="s"/>
			<bpmn:serviceTask id="t"><bpmn:extensionElements><zeebe:taskDefinition type="=&quot;a&quot; +"/>
				<zeebe:ioMapping><zeebe:input source="={a: 1" target="x"/></zeebe:ioMapping></bpmn:extensionElements></bpmn:serviceTask>
			<bpmn:sequenceFlow id="f" sourceRef="s" targetRef="t"/></bpmn:process>`);
		const { problems } = await parseBpmnResource("p.bpmn", xml);
		expect(problems.map((problem) => `${problem.elementId}: ${problem.message.split(":")[0]}`)).toEqual([
			"t: job type",
			"t: input 'x'",
		]);
	});
});

describe("elements this engine does not run yet", () => {
	it("should refuse execution listeners and compensation handlers with a clear message", async () => {
		const xml = wrap(`<bpmn:process id="p" isExecutable="true">
			<bpmn:startEvent id="s"/>
			<bpmn:serviceTask id="t"><bpmn:extensionElements><zeebe:taskDefinition type="x"/>
				<zeebe:executionListeners><zeebe:executionListener eventType="start" type="audit"/></zeebe:executionListeners></bpmn:extensionElements></bpmn:serviceTask>
			<bpmn:serviceTask id="undo" isForCompensation="true"><bpmn:extensionElements><zeebe:taskDefinition type="undo"/></bpmn:extensionElements></bpmn:serviceTask>
			<bpmn:sequenceFlow id="f" sourceRef="s" targetRef="t"/></bpmn:process>`);
		const { problems } = await parseBpmnResource("p.bpmn", xml);
		expect(problems.map((problem) => problem.message)).toEqual([
			"execution listeners on element 't' are not supported yet by this engine; remove the zeebe:executionListeners",
			"compensation handler 'undo' is not supported yet by this engine; compensation is planned for a later step",
		]);
	});
});
