import { describe, expect, it } from "vitest";
import type { EngineRecord } from "./contract";
import { EngineHarness } from "./testing/engine-harness";

async function expectReplayEqualsProcessing(engine: EngineHarness) {
	const { processed, replayed } = await engine.replayed();
	expect(replayed).toEqual(processed);
}

interface Activate {
	elementId: string;
	ancestorScopeKey?: number;
	variableInstructions?: Array<{ elementId: string; variables: Record<string, unknown> }>;
}

function modify(engine: EngineHarness, processInstanceKey: number, activate: Activate[], terminate: number[] = []) {
	return engine.send({
		valueType: "PROCESS_INSTANCE_MODIFICATION",
		intent: "MODIFY",
		key: processInstanceKey,
		value: {
			processInstanceKey,
			activateInstructions: activate.map((instruction) => ({
				ancestorScopeKey: -1,
				variableInstructions: [],
				...instruction,
			})),
			terminateInstructions: terminate.map((elementInstanceKey) => ({ elementInstanceKey })),
		},
	});
}

/** The key of the live instance(s) of an element. */
function live(engine: EngineHarness, elementId: string, type?: string): number[] {
	return [...engine.state.elementInstances.values()]
		.filter((instance) => instance.value.elementId === elementId && (!type || instance.value.bpmnElementType === type))
		.map((instance) => instance.key);
}

function answer(result: { responses: Array<{ record: EngineRecord }> }): EngineRecord {
	expect(result.responses).toHaveLength(1);
	return result.responses[0].record;
}

/** An instance of `modify` waiting at task A. */
async function atTaskA(variables: Record<string, unknown> = {}) {
	const engine = new EngineHarness();
	await engine.deploy("modification.bpmn");
	const { processInstanceKey } = await engine.createInstance("modify", { caseId: "K-1", items: [1, 2], ...variables });
	return { engine, processInstanceKey, taskA: live(engine, "A")[0] };
}

/** Rejections write the command and its rejection, nothing else. */
async function expectRejected(
	engine: EngineHarness,
	processInstanceKey: number,
	activate: Activate[],
	terminate: number[],
	type: string,
	reason: RegExp,
) {
	const result = await modify(engine, processInstanceKey, activate, terminate);
	expect(result.records.map((record) => record.recordType)).toEqual(["COMMAND", "COMMAND_REJECTION"]);
	expect(answer(result)).toMatchObject({ recordType: "COMMAND_REJECTION", rejectionType: type });
	expect(answer(result).rejectionReason).toMatch(reason);
}

describe("process instance modification (PROCESS_INSTANCE_MODIFICATION MODIFY)", () => {
	it("should move the token: terminate task A (its job canceled), activate task C with a global variable", async () => {
		const { engine, processInstanceKey, taskA } = await atTaskA();
		const jobA = engine.state.elementInstances.get(taskA)!.jobKey;
		const result = await modify(
			engine,
			processInstanceKey,
			[{ elementId: "C", variableInstructions: [{ elementId: "", variables: { repaired: true } }] }],
			[taskA],
		);
		const modified = answer(result);
		expect(modified).toMatchObject({
			valueType: "PROCESS_INSTANCE_MODIFICATION",
			intent: "MODIFIED",
			key: processInstanceKey,
		});
		expect(modified.value).toMatchObject({
			processInstanceKey,
			terminateInstructions: [{ elementInstanceKey: taskA }],
			activateInstructions: [{ elementId: "C", ancestorScopeKeys: [processInstanceKey] }],
		});
		expect(engine.elementIntents("A")).toEqual([
			"ELEMENT_ACTIVATING",
			"ELEMENT_ACTIVATED",
			"ELEMENT_TERMINATING",
			"ELEMENT_TERMINATED",
		]);
		expect(engine.records("JOB", "CANCELED").map((record) => record.key)).toEqual([jobA]);
		expect(engine.state.jobs.has(jobA)).toBe(false);
		expect(engine.elementIntents("C")).toEqual(["ELEMENT_ACTIVATING", "ELEMENT_ACTIVATED"]);
		expect(engine.elementIntents("choice")).toEqual([]);
		expect(engine.variables(processInstanceKey)).toMatchObject({ repaired: true });
		const jobs = (await engine.activateJobs("mod-c")).jobs;
		expect(jobs).toHaveLength(1);
		expect(jobs[0].variables).toMatchObject({ repaired: true });
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_ACTIVATED");
		await expectReplayEqualsProcessing(engine);
	});

	it("should create the sub-process instance an element needs (without its start event) and set scoped variables", async () => {
		const { engine, processInstanceKey } = await atTaskA();
		const result = await modify(engine, processInstanceKey, [
			{
				elementId: "D",
				variableInstructions: [
					{ elementId: "S", variables: { inSub: 1 } },
					{ elementId: "D", variables: { inTask: 2 } },
					{ elementId: "modify", variables: { atRoot: 3 } },
				],
			},
		]);
		expect(answer(result).intent).toBe("MODIFIED");
		const [sub] = live(engine, "S");
		const [task] = live(engine, "D");
		expect(engine.elementIntents("S")).toEqual(["ELEMENT_ACTIVATING", "ELEMENT_ACTIVATED"]);
		expect(engine.elementIntents("s-start")).toEqual([]);
		expect(engine.state.elementInstances.get(task)!.value.flowScopeKey).toBe(sub);
		expect(engine.variables(sub)).toEqual({ inSub: 1 });
		expect(engine.variables(task)).toEqual({ inTask: 2 });
		expect(engine.variables(processInstanceKey)).toMatchObject({ atRoot: 3 });
		// The new sub-process instance has its boundary timer.
		expect(engine.records("TIMER", "CREATED").map((record) => record.value)).toContainEqual(
			expect.objectContaining({ elementInstanceKey: sub, targetElementId: "S-timeout" }),
		);
		expect((answer(result).value as { activateInstructions: unknown[] }).activateInstructions).toEqual([
			expect.objectContaining({ elementId: "D", ancestorScopeKeys: [processInstanceKey, sub] }),
		]);
		// A still runs beside it; completing D completes S, which goes on to M.
		const jobD = (await engine.activateJobs("mod-d")).jobs[0];
		await engine.completeJob(jobD.key);
		expect(engine.elementIntents("S")).toContain("ELEMENT_COMPLETED");
		expect(live(engine, "M", "MULTI_INSTANCE_BODY")).toHaveLength(1);
		expect(live(engine, "A")).toHaveLength(1);
		await expectReplayEqualsProcessing(engine);
	});

	it("should reuse the one sub-process instance, create another inside a selected ancestor, and need an ancestor when there are two", async () => {
		const { engine, processInstanceKey } = await atTaskA();
		await modify(engine, processInstanceKey, [{ elementId: "D" }]);
		const [first] = live(engine, "S");
		await modify(engine, processInstanceKey, [{ elementId: "D" }]);
		expect(live(engine, "S")).toEqual([first]);
		expect(live(engine, "D").map((key) => engine.state.elementInstances.get(key)!.value.flowScopeKey)).toEqual([
			first,
			first,
		]);
		// The process instance as ancestor: the existing S lies inside it, so a new S is created.
		await modify(engine, processInstanceKey, [{ elementId: "D", ancestorScopeKey: processInstanceKey }]);
		const subs = live(engine, "S");
		expect(subs).toHaveLength(2);
		const second = subs.find((key) => key !== first)!;
		await expectRejected(
			engine,
			processInstanceKey,
			[{ elementId: "D" }],
			[],
			"INVALID_ARGUMENT",
			/flow scope with more than one active instance: 'S'.*Please specify an ancestor element instance key/,
		);
		await modify(engine, processInstanceKey, [{ elementId: "D", ancestorScopeKey: second }]);
		expect(
			live(engine, "D").filter((key) => engine.state.elementInstances.get(key)!.value.flowScopeKey === second),
		).toHaveLength(2);
		await expectReplayEqualsProcessing(engine);
	});

	it("should activate inside one inner instance of a multi-instance sub-process only with that instance as ancestor", async () => {
		const { engine, processInstanceKey, taskA } = await atTaskA();
		await expectRejected(
			engine,
			processInstanceKey,
			[{ elementId: "E" }],
			[],
			"INVALID_ARGUMENT",
			/would result in the activation of multi-instance element 'M', which is currently unsupported/,
		);
		await modify(engine, processInstanceKey, [{ elementId: "M" }], [taskA]);
		const inner = live(engine, "M", "SUB_PROCESS");
		expect(inner).toHaveLength(2);
		await expectRejected(
			engine,
			processInstanceKey,
			[{ elementId: "E" }],
			[],
			"INVALID_ARGUMENT",
			/more than one active instance: 'M'/,
		);
		const result = await modify(engine, processInstanceKey, [
			{
				elementId: "E",
				ancestorScopeKey: inner[1],
				variableInstructions: [{ elementId: "M", variables: { extra: true } }],
			},
		]);
		expect(answer(result).intent).toBe("MODIFIED");
		const inSecond = live(engine, "E").filter(
			(key) => engine.state.elementInstances.get(key)!.value.flowScopeKey === inner[1],
		);
		expect(inSecond).toHaveLength(2);
		expect(engine.variables(inner[1])).toMatchObject({ extra: true, item: 2 });
		await expectReplayEqualsProcessing(engine);
	});

	it("should open the event subscriptions of an activated element: a message catch event correlates afterwards", async () => {
		const { engine, processInstanceKey, taskA } = await atTaskA();
		await modify(engine, processInstanceKey, [{ elementId: "W" }], [taskA]);
		expect(engine.records("PROCESS_MESSAGE_SUBSCRIPTION", "CREATED").map((record) => record.value)).toContainEqual(
			expect.objectContaining({ messageName: "mod-wait", correlationKey: "K-1" }),
		);
		await engine.send({
			valueType: "MESSAGE",
			intent: "PUBLISH",
			key: -1,
			value: {
				name: "mod-wait",
				correlationKey: "K-1",
				timeToLive: 0,
				messageId: "",
				variables: { answer: 42 },
				tenantId: "",
			},
		});
		expect(engine.elementIntents("W")).toContain("ELEMENT_COMPLETED");
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_COMPLETED");
		await expectReplayEqualsProcessing(engine);
	});

	it("should terminate the process instance when its last element instance is terminated", async () => {
		const { engine, processInstanceKey, taskA } = await atTaskA();
		const result = await modify(engine, processInstanceKey, [], [taskA]);
		expect(answer(result).intent).toBe("MODIFIED");
		expect(engine.elementIntents("modify")).toEqual([
			"ELEMENT_ACTIVATING",
			"ELEMENT_ACTIVATED",
			"ELEMENT_TERMINATING",
			"ELEMENT_TERMINATED",
		]);
		expect(engine.state.elementInstances.size).toBe(0);
		expect(engine.state.jobs.size).toBe(0);
		await expectReplayEqualsProcessing(engine);
	});

	it("should terminate a sub-process emptied by the modification, and keep the instance while something else runs", async () => {
		const { engine, processInstanceKey, taskA } = await atTaskA();
		await modify(engine, processInstanceKey, [{ elementId: "D" }]);
		const [sub] = live(engine, "S");
		const [task] = live(engine, "D");
		// Terminating D and its sub-process together (the second is skipped once the first ends it).
		await modify(engine, processInstanceKey, [], [task, sub]);
		expect(engine.elementIntents("S")).toEqual([
			"ELEMENT_ACTIVATING",
			"ELEMENT_ACTIVATED",
			"ELEMENT_TERMINATING",
			"ELEMENT_TERMINATED",
		]);
		expect(engine.records("TIMER", "CANCELED")).toHaveLength(1);
		expect(engine.log.filter((record) => record.recordType === "COMMAND_REJECTION")).toEqual([]);
		expect(live(engine, "A")).toEqual([taskA]);
		expect(engine.processState(processInstanceKey)).toBe("ELEMENT_ACTIVATED");
		await expectReplayEqualsProcessing(engine);
	});

	it("should reject, naming the problem, and write nothing else", async () => {
		const { engine, processInstanceKey, taskA } = await atTaskA();
		// A made-up key, and one the engine handed out that is not an element instance's.
		const jobKey = engine.state.elementInstances.get(taskA)!.jobKey;
		for (const key of [2251799813999999, jobKey]) {
			const notFound = await modify(engine, key, [{ elementId: "C" }]);
			expect(answer(notFound)).toMatchObject({ rejectionType: "NOT_FOUND" });
			expect(answer(notFound).rejectionReason).toBe(
				`Expected to modify process instance but no process instance found with key '${key}'`,
			);
		}
		const cases: Array<[Activate[], number[], RegExp]> = [
			[[{ elementId: "nope" }], [], /activate instructions with an element that could not be found: 'nope'/],
			[
				[{ elementId: "s-start" }],
				[],
				/unsupported: 's-start'\. The activation of elements with type 'START_EVENT' is not supported/,
			],
			[[{ elementId: "S-timeout" }], [], /type 'BOUNDARY_EVENT' is not supported/],
			[[{ elementId: "f1" }], [], /type 'SEQUENCE_FLOW' is not supported/],
			[
				[{ elementId: "choice-message" }],
				[],
				/'choice-message'\. The activation of events belonging to an event-based gateway is not supported/,
			],
			[
				[],
				[jobKey],
				new RegExp(`terminate instructions with an element instance that could not be found: '${jobKey}'`),
			],
			[
				[{ elementId: "C", variableInstructions: [{ elementId: "ghost", variables: {} }] }],
				[],
				/scope element id that could not be found: 'ghost'/,
			],
			[
				[{ elementId: "C", variableInstructions: [{ elementId: "S", variables: {} }] }],
				[],
				/doesn't belong to the activating element's flow scope/,
			],
			[
				[{ elementId: "D", ancestorScopeKey: jobKey }],
				[],
				new RegExp(`ancestor scope key that does not exist, or is not in an active state: '${jobKey}'`),
			],
			[
				[{ elementId: "D", ancestorScopeKey: taskA }],
				[],
				new RegExp(`instance '${taskA}' of element 'A' is not an ancestor of element 'D'`),
			],
		];
		for (const [activate, terminate, reason] of cases) {
			await expectRejected(engine, processInstanceKey, activate, terminate, "INVALID_ARGUMENT", reason);
		}
		// Nothing changed: A still waits with its job.
		expect(live(engine, "A")).toEqual([taskA]);
		expect(engine.elementIntents("A")).toEqual(["ELEMENT_ACTIVATING", "ELEMENT_ACTIVATED"]);
		await expectReplayEqualsProcessing(engine);
	});

	it("should resolve the incident of a terminated element and terminate a call activity with its called instance", async () => {
		const { engine, processInstanceKey, taskA } = await atTaskA();
		const jobA = (await engine.activateJobs("mod-a")).jobs[0];
		await engine.job("FAIL", jobA.key, { retries: 0, errorMessage: "down", retryBackoff: 0, variables: {} });
		const [incident] = engine.records("INCIDENT", "CREATED");
		await modify(engine, processInstanceKey, [{ elementId: "C" }], [taskA]);
		expect(engine.records("INCIDENT", "RESOLVED").map((record) => record.key)).toEqual([incident.key]);
		expect(engine.state.incidents.size).toBe(0);
		await expectReplayEqualsProcessing(engine);

		const parent = new EngineHarness();
		await parent.deploy("call-activity.bpmn");
		const created = await parent.createInstance("parent", { childId: "child" });
		const job = (await parent.activateJobs("child-work")).jobs[0];
		const childKey = job.processInstanceKey as number;
		const [call] = live(parent, "call-child");
		await modify(parent, created.processInstanceKey, [], [call]);
		expect(parent.processState(childKey)).toBe("ELEMENT_TERMINATED");
		expect(parent.elementIntents("call-child")).toContain("ELEMENT_TERMINATED");
		expect(parent.processState(created.processInstanceKey)).toBe("ELEMENT_TERMINATED");
		expect(parent.records("JOB", "CANCELED").map((record) => record.key)).toEqual([job.key]);
		expect(parent.state.elementInstances.size).toBe(0);
		await expectReplayEqualsProcessing(parent);
	});

	it("should refuse to terminate everything in a called process instance (modify the parent instead)", async () => {
		const engine = new EngineHarness();
		await engine.deploy("call-activity.bpmn");
		await engine.createInstance("parent", { childId: "child", caseNo: 7 });
		const job = (await engine.activateJobs("child-work")).jobs[0];
		const childKey = job.processInstanceKey as number;
		await expectRejected(
			engine,
			childKey,
			[],
			[job.elementInstanceKey as number],
			"INVALID_ARGUMENT",
			/would terminate the instance\. The instance was created by a call activity in the parent process/,
		);
		expect(engine.state.jobs.has(job.key)).toBe(true);
	});
});
