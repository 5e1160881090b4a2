import { describe, expect, it } from "vitest";
import { engineCore } from "./engine-core";
import { EngineHarness } from "./testing/engine-harness";
import { fixture } from "./testing/fixtures";

async function expectReplayEqualsProcessing(engine: EngineHarness) {
	const { processed, replayed } = await engine.replayed();
	expect(replayed).toEqual(processed);
}

/** Moves the clock and processes whatever dueWork hands out, as the runtime's scheduler does. */
async function advance(engine: EngineHarness, ms: number) {
	engine.now += ms;
	for (const command of engineCore.dueWork(engine.state, engine.now).commands) await engine.send(command);
}

const HOUR = 3_600_000;

describe("timers (§6)", () => {
	it("should wait at a timer catch event until the duration is over, never earlier", async () => {
		const engine = new EngineHarness();
		await engine.deploy("timers.bpmn");
		const { processInstanceKey } = await engine.createInstance("wait-an-hour", { delay: "PT1H" });
		const created = engine
			.records("TIMER", "CREATED")
			.find((record) => (record.value as { targetElementId: string }).targetElementId === "wait")!;
		expect(created.value).toMatchObject({
			dueDate: engine.now + HOUR,
			targetElementId: "wait",
			repetitions: 1,
			processInstanceKey,
		});
		expect(engineCore.dueWork(engine.state, engine.now).commands).toEqual([]);
		await advance(engine, HOUR - 1);
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_ACTIVATED");
		await advance(engine, 1);
		expect(engine.records("TIMER", "TRIGGERED").filter((record) => record.key === created.key)).toHaveLength(1);
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_COMPLETED");
		await expectReplayEqualsProcessing(engine);
	});

	it("should raise EXTRACT_VALUE_ERROR for a duration that is not ISO-8601", async () => {
		const engine = new EngineHarness();
		await engine.deploy("timers.bpmn");
		await engine.createInstance("wait-an-hour", { delay: "soon" });
		expect(engine.records("INCIDENT", "CREATED")[0].value).toMatchObject({
			errorType: "EXTRACT_VALUE_ERROR",
			elementId: "wait",
		});
	});

	it("should fire a non-interrupting cycle beside the task and an interrupting timer that ends it", async () => {
		const engine = new EngineHarness();
		await engine.deploy("timers.bpmn");
		const { processInstanceKey } = await engine.createInstance("deadline");
		expect(
			engine
				.records("TIMER", "CREATED")
				.map((record) => (record.value as { targetElementId: string }).targetElementId)
				.filter((id) => id !== "tick"),
		).toEqual(["remind", "expire"]);
		await advance(engine, 10 * 60_000);
		await advance(engine, 10 * 60_000);
		await advance(engine, 10 * 60_000);
		expect(engine.elementIntents("remind").filter((intent) => intent === "ELEMENT_COMPLETED")).toHaveLength(2);
		expect((await engine.activateJobs("remind")).jobs).toHaveLength(2);
		expect(engine.elementIntents("review")).toEqual(["ELEMENT_ACTIVATING", "ELEMENT_ACTIVATED"]);
		await advance(engine, HOUR);
		expect(engine.elementIntents("review")).toEqual([
			"ELEMENT_ACTIVATING",
			"ELEMENT_ACTIVATED",
			"ELEMENT_TERMINATING",
			"ELEMENT_TERMINATED",
		]);
		expect(engine.elementIntents("expired")).toContain("ELEMENT_COMPLETED");
		expect(engine.records("JOB", "CANCELED")).toHaveLength(1);
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_ACTIVATED"); // the reminder jobs are still open
		await expectReplayEqualsProcessing(engine);
	});

	it("should cancel the boundary timers when the task completes", async () => {
		const engine = new EngineHarness();
		await engine.deploy("timers.bpmn");
		const { processInstanceKey } = await engine.createInstance("deadline");
		const review = (await engine.activateJobs("io.camunda.zeebe:userTask")).jobs[0];
		await engine.completeJob(review.key);
		expect(engine.records("TIMER", "CANCELED")).toHaveLength(2);
		expect(engine.state.timersByElement.size).toBe(0);
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_COMPLETED");
	});

	it("should interrupt the process with a timer event sub-process", async () => {
		const engine = new EngineHarness();
		await engine.deploy("timers.bpmn");
		const { processInstanceKey } = await engine.createInstance("sla");
		await advance(engine, HOUR);
		expect(engine.elementIntents("slow")).toContain("ELEMENT_TERMINATED");
		expect(engine.elementIntents("sla-end")).toContain("ELEMENT_COMPLETED");
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_COMPLETED");
		await expectReplayEqualsProcessing(engine);
	});

	it("should create instances from a timer start cycle and stop when a new version is deployed", async () => {
		const engine = new EngineHarness();
		await engine.deploy("timers.bpmn");
		await advance(engine, 60_000);
		expect(engine.records("PROCESS_INSTANCE_CREATION", "CREATED")).toHaveLength(1);
		expect(engine.elementIntents("tick")).toContain("ELEMENT_COMPLETED");
		const changed = fixture("timers.bpmn").replace("R2/PT1M", "R5/PT1M");
		await engine.deploy({ resourceName: "timers.bpmn", resource: changed });
		expect(engine.records("TIMER", "CANCELED")).toHaveLength(1);
		await advance(engine, 60_000);
		const versions = engine
			.records("PROCESS_INSTANCE_CREATION", "CREATED")
			.map((record) => (record.value as { version: number }).version);
		expect(versions).toEqual([1, 2]);
		await expectReplayEqualsProcessing(engine);
	});
});

describe("terminate end event (§8.5)", () => {
	it("should terminate the other branch and complete the process", async () => {
		const engine = new EngineHarness();
		await engine.deploy("timers.bpmn");
		const { processInstanceKey } = await engine.createInstance("race");
		await engine.activateJobs("long-work");
		const quick = (await engine.activateJobs("quick")).jobs[0];
		await engine.completeJob(quick.key);
		expect(engine.elementIntents("long-work")).toEqual([
			"ELEMENT_ACTIVATING",
			"ELEMENT_ACTIVATED",
			"ELEMENT_TERMINATING",
			"ELEMENT_TERMINATED",
		]);
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_COMPLETED");
		expect(engine.state.jobs.size).toBe(0);
		await expectReplayEqualsProcessing(engine);
	});
});
