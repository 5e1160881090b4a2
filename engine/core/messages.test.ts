import { describe, expect, it } from "vitest";
import { engineCore } from "./engine-core";
import { EngineHarness } from "./testing/engine-harness";

async function expectReplayEqualsProcessing(engine: EngineHarness) {
	const { processed, replayed } = await engine.replayed();
	expect(replayed).toEqual(processed);
}

function publish(engine: EngineHarness, name: string, correlationKey: string, extra: Record<string, unknown> = {}) {
	return engine.send({
		valueType: "MESSAGE",
		intent: "PUBLISH",
		key: -1,
		value: { name, correlationKey, timeToLive: 0, messageId: "", variables: {}, tenantId: "", ...extra },
	});
}

describe("messages (§5)", () => {
	it("should correlate to a waiting receive task and pass the payload as its result", async () => {
		const engine = new EngineHarness();
		await engine.deploy("messages.bpmn");
		const { processInstanceKey } = await engine.createInstance("order", { orderId: "A-1" });
		expect(engine.records("PROCESS_MESSAGE_SUBSCRIPTION", "CREATED")[0].value).toMatchObject({
			messageName: "payment",
			correlationKey: "A-1",
		});
		const published = await publish(engine, "payment", "A-1", { variables: { paid: 100 } });
		expect(published.responses[0].record).toMatchObject({ valueType: "MESSAGE", intent: "PUBLISHED" });
		expect(published.records.map((record) => record.intent)).toContain("EXPIRED");
		expect(engine.elementIntents("await-payment")).toContain("ELEMENT_COMPLETED");
		expect(engine.variables(processInstanceKey)).toMatchObject({ paid: 100 });
		await expectReplayEqualsProcessing(engine);
	});

	it("should buffer a message with a time-to-live and correlate it when the subscription opens, once per process id", async () => {
		const engine = new EngineHarness();
		await engine.deploy("messages.bpmn");
		await publish(engine, "payment", "B-2", { timeToLive: 60_000, variables: { paid: 5 } });
		const first = await engine.createInstance("order", { orderId: "B-2" });
		expect(engine.variables(first.processInstanceKey)).toMatchObject({ paid: 5 });
		const second = await engine.createInstance("order", { orderId: "B-2" });
		expect(engine.processState(second.processInstanceKey)).toBe("ELEMENT_ACTIVATED");
		expect(engine.variables(second.processInstanceKey)).not.toHaveProperty("paid");
		await expectReplayEqualsProcessing(engine);
	});

	it("should not keep a message with time-to-live 0", async () => {
		const engine = new EngineHarness();
		await engine.deploy("messages.bpmn");
		await publish(engine, "payment", "C-3");
		const { processInstanceKey } = await engine.createInstance("order", { orderId: "C-3" });
		expect(engine.elementIntents("await-payment")).toEqual(["ELEMENT_ACTIVATING", "ELEMENT_ACTIVATED"]);
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_ACTIVATED");
	});

	it("should deliver a message to at most one instance of a process", async () => {
		const engine = new EngineHarness();
		await engine.deploy("messages.bpmn");
		await engine.createInstance("order", { orderId: "D" });
		await engine.createInstance("order", { orderId: "D" });
		await publish(engine, "payment", "D");
		expect(engine.elementIntents("await-payment").filter((intent) => intent === "ELEMENT_COMPLETED")).toHaveLength(1);
	});

	it("should interrupt the task with a message boundary event, and start beside it with a non-interrupting one", async () => {
		const engine = new EngineHarness();
		await engine.deploy("messages.bpmn");
		const { processInstanceKey } = await engine.createInstance("order", { orderId: "E" });
		await publish(engine, "payment", "E");
		await publish(engine, "nudge", "E", { variables: { note: "hurry" } });
		expect(engine.elementIntents("on-nudge")).toContain("ELEMENT_COMPLETED");
		const nudge = (await engine.activateJobs("answer-nudge")).jobs[0];
		expect(nudge.variables).toMatchObject({ note: "hurry" });
		await engine.completeJob(nudge.key);
		await publish(engine, "cancel-order", "E");
		expect(engine.elementIntents("ship")).toContain("ELEMENT_TERMINATED");
		expect(engine.elementIntents("canceled")).toContain("ELEMENT_COMPLETED");
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_COMPLETED");
		expect(engine.state.subscriptions.size).toBe(0);
		await expectReplayEqualsProcessing(engine);
	});

	it("should start an instance from a message start event, one at a time per correlation key", async () => {
		const engine = new EngineHarness();
		await engine.deploy("messages.bpmn");
		await publish(engine, "report-filed", "R-1", { variables: { reporter: "x" } });
		await publish(engine, "report-filed", "R-1");
		const created = engine.records("PROCESS_INSTANCE_CREATION", "CREATED");
		expect(created).toHaveLength(1);
		const job = (await engine.activateJobs("register")).jobs[0];
		expect(job.variables).toEqual({ reporter: "x" });
		await engine.completeJob(job.key);
		await publish(engine, "report-filed", "R-1");
		expect(engine.records("PROCESS_INSTANCE_CREATION", "CREATED")).toHaveLength(2);
		await expectReplayEqualsProcessing(engine);
	});

	it("should refuse a duplicate message id while the first is buffered, and expire it via dueWork", async () => {
		const engine = new EngineHarness();
		await publish(engine, "x", "k", { messageId: "m1", timeToLive: 1000 });
		const duplicate = await publish(engine, "x", "k", { messageId: "m1", timeToLive: 1000 });
		expect(duplicate.responses[0].record.rejectionType).toBe("ALREADY_EXISTS");
		engine.now += 1000;
		const due = engineCore.dueWork(engine.state, engine.now);
		expect(due.commands).toEqual([expect.objectContaining({ valueType: "MESSAGE", intent: "EXPIRE" })]);
		await engine.send(due.commands[0]);
		expect(engine.state.messages.size).toBe(0);
		const again = await publish(engine, "x", "k", { messageId: "m1", timeToLive: 1000 });
		expect(again.responses[0].record.intent).toBe("PUBLISHED");
	});

	it("should raise EXTRACT_VALUE_ERROR when the correlation key is neither string nor number", async () => {
		const engine = new EngineHarness();
		await engine.deploy("messages.bpmn");
		await engine.createInstance("order", {});
		expect(engine.records("INCIDENT", "CREATED")[0].value).toMatchObject({
			errorType: "EXTRACT_VALUE_ERROR",
			elementId: "await-payment",
		});
	});
});
