import * as grpc from "@grpc/grpc-js";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZBClient } from "zeebe-node";
import { createTestDatabase, type TestDatabase } from "../../scripts/testing/database";
import { startEngine } from "../index";
import type { RunningEngine } from "../runtime/engine-host";

const grpcCode = (error: unknown) => (error as { code?: number }).code;

/** start → task A → task C → message catch event W (`=caseId`) → end; job types carry the process id. */
function repairProcess(processId: string): string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  id="d-${processId}" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:message id="m-${processId}" name="${processId}-wait"><bpmn:extensionElements><zeebe:subscription correlationKey="=caseId" /></bpmn:extensionElements></bpmn:message>
  <bpmn:process id="${processId}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:serviceTask id="A"><bpmn:extensionElements><zeebe:taskDefinition type="${processId}-a" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:serviceTask id="C"><bpmn:extensionElements><zeebe:taskDefinition type="${processId}-c" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:intermediateCatchEvent id="W"><bpmn:messageEventDefinition messageRef="m-${processId}" /></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="A" />
    <bpmn:sequenceFlow id="f2" sourceRef="A" targetRef="C" />
    <bpmn:sequenceFlow id="f3" sourceRef="C" targetRef="W" />
    <bpmn:sequenceFlow id="f4" sourceRef="W" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;
}

describe("ModifyProcessInstance through zeebe-node", () => {
	let db: TestDatabase;
	let engine: RunningEngine;
	let zb: ZBClient;

	beforeAll(async () => {
		db = await createTestDatabase("engine_gateway_modify");
		engine = await startEngine({ databaseUrl: db.url, gatewayPort: 0, logger: pino({ level: "silent" }) });
		zb = new ZBClient(engine.gatewayAddress, { useTLS: false, loglevel: "NONE", retry: false });
	});
	afterAll(async () => {
		await zb?.close();
		await engine?.stop();
		await db?.drop();
	});

	/** Deploys the diagram, starts an instance and returns it with task A's job (activated). */
	const atTaskA = async (processId: string) => {
		await zb.deployResource({ process: Buffer.from(repairProcess(processId)), name: `${processId}.bpmn` });
		const { processInstanceKey } = await zb.createProcessInstance({ bpmnProcessId: processId, variables: { caseId: `${processId}-1` } });
		const [job] = await zb.activateJobs({ type: `${processId}-a`, worker: "w", maxJobsToActivate: 1, timeout: 60_000, requestTimeout: 5_000 });
		expect(job?.processInstanceKey).toBe(processInstanceKey);
		return { processInstanceKey, job };
	};
	const elementStates = async (processInstanceKey: string) =>
		Object.fromEntries((await engine.queries.elementInstances(processInstanceKey)).map((element) => [element.elementId, element.state]));

	it("should move the token from task A to task C with a variable, cancel A's job, and open W's subscription later", async () => {
		const { processInstanceKey, job } = await atTaskA("mod-move");
		const response = await zb.modifyProcessInstance({
			processInstanceKey,
			activateInstructions: [{ elementId: "C", ancestorElementInstanceKey: "-1", variableInstructions: [{ scopeId: "", variables: { repaired: true } }] }],
			terminateInstructions: [{ elementInstanceKey: job.elementInstanceKey }],
		});
		expect(response).toEqual({});
		const [jobC] = await zb.activateJobs({ type: "mod-move-c", worker: "w", maxJobsToActivate: 1, timeout: 60_000, requestTimeout: 5_000 });
		expect(jobC?.variables).toMatchObject({ caseId: "mod-move-1", repaired: true });
		// A's job was canceled with its element: completing it is refused.
		const stale = await zb.completeJob({ jobKey: job.key, variables: {} }).catch((error) => error);
		expect(grpcCode(stale)).toBe(grpc.status.NOT_FOUND);
		expect(await elementStates(processInstanceKey)).toMatchObject({ A: "TERMINATED", C: "ACTIVE" });
		await zb.completeJob({ jobKey: jobC.key, variables: {} });
		await zb.publishMessage({ name: "mod-move-wait", correlationKey: "mod-move-1", variables: {}, timeToLive: 10_000 });
		const until = Date.now() + 5_000;
		while ((await engine.queries.getInstance(processInstanceKey))?.state !== "COMPLETED" && Date.now() < until) {
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		expect((await engine.queries.getInstance(processInstanceKey))?.state).toBe("COMPLETED");
		const records = await engine.store.knex("engine_record").where({ value_type: "PROCESS_INSTANCE_MODIFICATION" }).orderBy("position");
		expect(records.map((record: { intent: string; record_type: string }) => `${record.record_type} ${record.intent}`)).toEqual([
			"COMMAND MODIFY",
			"EVENT MODIFIED",
		]);
	});

	it("should activate an element with ancestorElementInstanceKey left at 0 (proto default) and terminate the instance when nothing is left", async () => {
		const { processInstanceKey, job } = await atTaskA("mod-end");
		await zb.modifyProcessInstance({
			processInstanceKey,
			activateInstructions: [{ elementId: "W", ancestorElementInstanceKey: "0", variableInstructions: [] }],
		});
		expect(await elementStates(processInstanceKey)).toMatchObject({ A: "ACTIVE", W: "ACTIVE" });
		const [w] = (await engine.queries.elementInstances(processInstanceKey)).filter((element) => element.elementId === "W");
		await zb.modifyProcessInstance({ processInstanceKey, terminateInstructions: [{ elementInstanceKey: job.elementInstanceKey }, { elementInstanceKey: w.key }] });
		expect((await engine.queries.getInstance(processInstanceKey))?.state).toBe("TERMINATED");
	});

	it("should answer NOT_FOUND for an unknown instance and INVALID_ARGUMENT naming the element or key that is wrong", async () => {
		const { processInstanceKey, job } = await atTaskA("mod-reject");
		const unknown = await zb.modifyProcessInstance({ processInstanceKey: job.key, terminateInstructions: [] }).catch((error) => error);
		expect(grpcCode(unknown)).toBe(grpc.status.NOT_FOUND);
		expect(String(unknown.message)).toContain(`no process instance found with key '${job.key}'`);
		const start = await zb
			.modifyProcessInstance({ processInstanceKey, activateInstructions: [{ elementId: "start", ancestorElementInstanceKey: "-1", variableInstructions: [] }] })
			.catch((error) => error);
		expect(grpcCode(start)).toBe(grpc.status.INVALID_ARGUMENT);
		expect(String(start.message)).toContain("unsupported: 'start'. The activation of elements with type 'START_EVENT' is not supported");
		const missing = await zb
			.modifyProcessInstance({ processInstanceKey, activateInstructions: [{ elementId: "nowhere", ancestorElementInstanceKey: "-1", variableInstructions: [] }] })
			.catch((error) => error);
		expect(grpcCode(missing)).toBe(grpc.status.INVALID_ARGUMENT);
		expect(String(missing.message)).toContain("element that could not be found: 'nowhere'");
		const terminate = await zb.modifyProcessInstance({ processInstanceKey, terminateInstructions: [{ elementInstanceKey: job.key }] }).catch((error) => error);
		expect(grpcCode(terminate)).toBe(grpc.status.INVALID_ARGUMENT);
		expect(String(terminate.message)).toContain(`element instance that could not be found: '${job.key}'`);
		expect(await elementStates(processInstanceKey)).toEqual({ "mod-reject": "ACTIVE", start: "COMPLETED", A: "ACTIVE" });
	});
});
