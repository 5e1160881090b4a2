import { describe, expect, it } from "vitest";
import { EngineHarness } from "./testing/engine-harness";
import { fixture } from "./testing/fixtures";

/**
 * A process `id` started by `start` (none, timer, signal or message start event), with a user task when
 * `wait` is set (so that its instances stay running), else straight to the end.
 */
function diagram(
	id: string,
	options: { start?: "none" | "timer" | "signal" | "message"; wait?: boolean; label?: string } = {},
): string {
	const start = options.start ?? "none";
	const definition = {
		none: "",
		timer: "<bpmn:timerEventDefinition><bpmn:timeCycle>R/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition>",
		signal: '<bpmn:signalEventDefinition signalRef="sig-def" />',
		message: '<bpmn:messageEventDefinition messageRef="msg-def" />',
	}[start];
	const body = options.wait
		? '<bpmn:userTask id="wait" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" /><bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="end" />'
		: '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="end" />';
	return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="http://mizan.test">
  <bpmn:signal id="sig-def" name="go-${id}" />
  <bpmn:message id="msg-def" name="start-${id}" />
  <bpmn:process id="${id}" isExecutable="true" name="${options.label ?? id}">
    <bpmn:startEvent id="start">${definition}</bpmn:startEvent>
    ${body}
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;
}

async function deployProcess(engine: EngineHarness, id: string, options: Parameters<typeof diagram>[1] = {}) {
	const result = await engine.deploy({ resourceName: `${id}.bpmn`, resource: diagram(id, options) });
	const metadata = (
		result.responses[0].record.value as { processesMetadata?: Array<{ processDefinitionKey: number; version: number }> }
	).processesMetadata;
	if (!metadata) throw new Error(`deployment rejected: ${result.responses[0].record.rejectionReason}`);
	return metadata[0];
}

async function deleteResource(engine: EngineHarness, resourceKey: number, tenantId = "<default>") {
	const result = await engine.send({
		valueType: "RESOURCE_DELETION",
		intent: "DELETE",
		key: -1,
		value: { resourceKey, tenantId },
	});
	return { result, answer: result.responses[0].record };
}

/** The event intents written while processing a result, as "VALUE_TYPE INTENT". */
const events = (records: Array<{ recordType: string; valueType: string; intent: string }>) =>
	records.filter((record) => record.recordType === "EVENT").map((record) => `${record.valueType} ${record.intent}`);

describe("RESOURCE_DELETION DELETE of a process definition", () => {
	it("should write Zeebe's records and make the previous version the latest", async () => {
		const engine = new EngineHarness();
		const v1 = await deployProcess(engine, "del", { label: "one" });
		const v2 = await deployProcess(engine, "del", { label: "two" });
		expect(v2.version).toBe(2);
		const { result, answer } = await deleteResource(engine, v2.processDefinitionKey);
		expect(answer).toMatchObject({
			recordType: "EVENT",
			valueType: "RESOURCE_DELETION",
			intent: "DELETING",
			value: { resourceKey: v2.processDefinitionKey },
		});
		expect(events(result.records)).toEqual([
			"RESOURCE_DELETION DELETING",
			"PROCESS DELETING",
			"PROCESS DELETED",
			"RESOURCE_DELETION DELETED",
		]);
		expect(engine.records("PROCESS", "DELETED")[0].value).toEqual({
			bpmnProcessId: "del",
			version: 2,
			processDefinitionKey: v2.processDefinitionKey,
			resourceName: "del.bpmn",
			tenantId: "<default>",
			deploymentKey: expect.any(Number),
		});
		const { processInstanceKey, result: created } = await engine.createInstance("del");
		expect(processInstanceKey).toBeGreaterThan(0);
		expect(created.records.find((record) => record.intent === "CREATED")?.value).toMatchObject({
			processDefinitionKey: v1.processDefinitionKey,
			version: 1,
		});
		const byKey = await engine.createInstance("del", {}, { processDefinitionKey: v2.processDefinitionKey });
		expect(byKey.result.responses[0].record).toMatchObject({
			recordType: "COMMAND_REJECTION",
			rejectionType: "NOT_FOUND",
		});
		const byVersion = await engine.createInstance("del", {}, { version: 2 });
		expect(byVersion.result.responses[0].record).toMatchObject({ rejectionType: "NOT_FOUND" });
	});

	it("should never reuse a version: the next deployment gets version 3, deleting every version leaves none", async () => {
		const engine = new EngineHarness();
		const v1 = await deployProcess(engine, "ver", { label: "one" });
		const v2 = await deployProcess(engine, "ver", { label: "two" });
		await deleteResource(engine, v2.processDefinitionKey);
		// The same XML as version 2 differs from the latest left (version 1): a new version, 3.
		const v3 = await deployProcess(engine, "ver", { label: "two" });
		expect(v3.version).toBe(3);
		await deleteResource(engine, v1.processDefinitionKey);
		await deleteResource(engine, v3.processDefinitionKey);
		const none = await engine.createInstance("ver");
		expect(none.result.responses[0].record).toMatchObject({
			recordType: "COMMAND_REJECTION",
			rejectionType: "NOT_FOUND",
		});
		// The counter survives a snapshot round trip and a replay.
		const restored = await import("./engine-core").then(({ engineCore }) =>
			engineCore.restore(JSON.parse(JSON.stringify(engineCore.snapshot(engine.state)))),
		);
		engine.state = restored;
		expect((await deployProcess(engine, "ver", { label: "four" })).version).toBe(4);
		const { processed, replayed } = await engine.replayed();
		expect(replayed).toEqual(processed);
	});

	it("should refuse to delete a definition with running instances and keep it", async () => {
		const engine = new EngineHarness();
		const v1 = await deployProcess(engine, "busy", { wait: true });
		const { processInstanceKey } = await engine.createInstance("busy");
		const { result, answer } = await deleteResource(engine, v1.processDefinitionKey);
		expect(answer).toMatchObject({ recordType: "COMMAND_REJECTION", rejectionType: "INVALID_STATE" });
		expect(answer.rejectionReason).toBe(
			`Expected to delete resource with key \`${v1.processDefinitionKey}\` but there are still running instances`,
		);
		expect(events(result.records)).toEqual([]);
		expect(engine.state.processes.has(v1.processDefinitionKey)).toBe(true);
		await engine.send({ valueType: "PROCESS_INSTANCE", intent: "CANCEL", key: processInstanceKey, value: {} });
		expect((await deleteResource(engine, v1.processDefinitionKey)).answer.intent).toBe("DELETING");
	});

	it("should answer NOT_FOUND for an unknown key, a deleted key and another tenant's key", async () => {
		const engine = new EngineHarness();
		const v1 = await deployProcess(engine, "nf");
		const unknown = await deleteResource(engine, 2251799813699999);
		expect(unknown.answer).toMatchObject({ rejectionType: "NOT_FOUND" });
		expect(unknown.answer.rejectionReason).toBe(
			"Expected to delete resource but no resource found with key `2251799813699999`",
		);
		expect((await deleteResource(engine, v1.processDefinitionKey, "tenant-b")).answer).toMatchObject({
			rejectionType: "NOT_FOUND",
		});
		await deleteResource(engine, v1.processDefinitionKey);
		expect((await deleteResource(engine, v1.processDefinitionKey)).answer).toMatchObject({
			rejectionType: "NOT_FOUND",
		});
	});

	it("should cancel the timer start event of the deleted latest version and schedule the previous version's", async () => {
		const engine = new EngineHarness();
		const v1 = await deployProcess(engine, "tick", { start: "timer", label: "one" });
		const v2 = await deployProcess(engine, "tick", { start: "timer", label: "two" });
		expect([...engine.state.timers.values()].map((timer) => timer.processDefinitionKey)).toEqual([
			v2.processDefinitionKey,
		]);
		engine.now += 10 * 60_000;
		const { result } = await deleteResource(engine, v2.processDefinitionKey);
		expect(events(result.records)).toEqual([
			"RESOURCE_DELETION DELETING",
			"PROCESS DELETING",
			"TIMER CANCELED",
			"TIMER CREATED",
			"PROCESS DELETED",
			"RESOURCE_DELETION DELETED",
		]);
		const timers = [...engine.state.timers.values()];
		expect(timers).toHaveLength(1);
		expect(timers[0]).toMatchObject({
			processDefinitionKey: v1.processDefinitionKey,
			elementInstanceKey: -1,
			dueDate: engine.now + 3_600_000,
		});
		// Deleting a version that is not the latest leaves the start events alone.
		const v3 = await deployProcess(engine, "tick", { start: "timer", label: "three" });
		const older = await deleteResource(engine, v1.processDefinitionKey);
		expect(events(older.result.records)).toEqual([
			"RESOURCE_DELETION DELETING",
			"PROCESS DELETING",
			"PROCESS DELETED",
			"RESOURCE_DELETION DELETED",
		]);
		expect([...engine.state.timers.values()].map((timer) => timer.processDefinitionKey)).toEqual([
			v3.processDefinitionKey,
		]);
		// The timer that fires belongs to version 3, which is still deployed.
		engine.now += 3_600_000;
		const due = (await import("./engine-core")).engineCore.dueWork(engine.state, engine.now);
		expect(due.commands).toHaveLength(1);
	});

	it("should move signal and message start events to the previous version", async () => {
		const engine = new EngineHarness();
		const s1 = await deployProcess(engine, "sig", { start: "signal", label: "one" });
		const s2 = await deployProcess(engine, "sig", { start: "signal", label: "two" });
		const { result } = await deleteResource(engine, s2.processDefinitionKey);
		expect(events(result.records)).toEqual([
			"RESOURCE_DELETION DELETING",
			"PROCESS DELETING",
			"SIGNAL_SUBSCRIPTION DELETED",
			"SIGNAL_SUBSCRIPTION CREATED",
			"PROCESS DELETED",
			"RESOURCE_DELETION DELETED",
		]);
		const broadcast = await engine.send({
			valueType: "SIGNAL",
			intent: "BROADCAST",
			key: -1,
			value: { signalName: "go-sig", variables: {}, tenantId: "<default>" },
		});
		const started = broadcast.records.find(
			(record) => record.valueType === "PROCESS_INSTANCE" && record.intent === "ELEMENT_ACTIVATING",
		);
		expect(started?.value).toMatchObject({ processDefinitionKey: s1.processDefinitionKey });
		await deleteResource(engine, s1.processDefinitionKey);
		expect(engine.state.signalSubscriptions.size).toBe(0);

		const m1 = await deployProcess(engine, "msg", { start: "message", label: "one" });
		const m2 = await deployProcess(engine, "msg", { start: "message", label: "two" });
		await deleteResource(engine, m2.processDefinitionKey);
		const published = await engine.send({
			valueType: "MESSAGE",
			intent: "PUBLISH",
			key: -1,
			value: {
				name: "start-msg",
				correlationKey: "",
				timeToLive: 0,
				messageId: "",
				variables: {},
				tenantId: "<default>",
			},
		});
		expect(
			published.records.find((record) => record.valueType === "MESSAGE_START_EVENT_SUBSCRIPTION")?.value,
		).toMatchObject({
			processDefinitionKey: m1.processDefinitionKey,
		});
		const { processed, replayed } = await engine.replayed();
		expect(replayed).toEqual(processed);
	});
});

describe("RESOURCE_DELETION DELETE of a decision requirements graph", () => {
	it("should delete the DRG and its decisions; business rule tasks then use the previous version or raise an incident", async () => {
		const engine = new EngineHarness();
		const first = await engine.deploy("risk.dmn", "decide.bpmn");
		const drg1 = (
			first.responses[0].record.value as { decisionRequirementsMetadata: Array<{ decisionRequirementsKey: number }> }
		).decisionRequirementsMetadata[0].decisionRequirementsKey;
		const second = await engine.deploy({
			resourceName: "risk.dmn",
			resource: fixture("risk.dmn").replace("<text>10</text>", "<text>20</text>"),
		});
		const drg2 = (
			second.responses[0].record.value as {
				decisionRequirementsMetadata: Array<{ decisionRequirementsKey: number; version: number }>;
			}
		).decisionRequirementsMetadata[0];
		expect(drg2.version).toBe(2);
		const { result, answer } = await deleteResource(engine, drg2.decisionRequirementsKey);
		expect(answer.intent).toBe("DELETING");
		expect(events(result.records)).toEqual([
			"RESOURCE_DELETION DELETING",
			"DECISION DELETED",
			"DECISION DELETED",
			"DECISION DELETED",
			"DECISION_REQUIREMENTS DELETED",
			"RESOURCE_DELETION DELETED",
		]);
		expect(engine.records("DECISION_REQUIREMENTS", "DELETED")[0].value).toMatchObject({
			decisionRequirementsId: "risk-drg",
			decisionRequirementsVersion: 2,
			decisionRequirementsKey: drg2.decisionRequirementsKey,
			resourceName: "risk.dmn",
		});
		const { processInstanceKey } = await engine.createInstance("decide", { amount: 1, repeat: false });
		expect(engine.variableFromLog(processInstanceKey, "risk")).toEqual({ level: "low", score: 10 });
		expect(engine.records("DECISION_EVALUATION", "EVALUATED").at(-1)?.value).toMatchObject({
			decisionVersion: 1,
			decisionRequirementsKey: drg1,
		});

		await deleteResource(engine, drg1);
		const orphan = await engine.createInstance("decide", { amount: 1, repeat: false });
		expect(engine.records("INCIDENT", "CREATED").at(-1)?.value).toMatchObject({
			errorType: "CALLED_DECISION_ERROR",
			processInstanceKey: orphan.processInstanceKey,
		});
		const evaluate = await engine.send({
			valueType: "DECISION_EVALUATION",
			intent: "EVALUATE",
			key: -1,
			value: { decisionKey: -1, decisionId: "risk", variables: {}, tenantId: "<default>" },
		});
		expect(evaluate.responses[0].record).toMatchObject({ rejectionType: "NOT_FOUND" });
		// Versions continue after the deleted ones.
		const third = await engine.deploy("risk.dmn");
		expect(
			(third.responses[0].record.value as { decisionRequirementsMetadata: Array<{ version: number }> })
				.decisionRequirementsMetadata[0].version,
		).toBe(3);
		expect(engine.state.resources.size).toBe(2);
		const { processed, replayed } = await engine.replayed();
		expect(replayed).toEqual(processed);
	});
});
