import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { engineCore } from "./engine-core";
import { EngineHarness } from "./testing/engine-harness";

/**
 * Random command sequences over several diagrams: processing never throws, the state's indexes stay
 * consistent, and replaying the log rebuilds exactly the processed state.
 */

type Op =
	| { kind: "create"; process: string }
	| { kind: "activate"; type: string }
	| { kind: "complete" | "fail" | "throw" | "cancel" | "resolve"; pick: number; retries: number }
	| { kind: "publish"; name: string }
	| { kind: "time"; ms: number };

const processes = [
	"one-task",
	"parallel",
	"boundary-error",
	"error-subprocess",
	"deadline",
	"order",
	"statements",
	"inclusive",
];
const jobTypes = [
	"do-it",
	"a",
	"b",
	"after",
	"lookup",
	"check",
	"other-work",
	"report-fraud",
	"io.camunda.zeebe:userTask",
	"remind",
	"ship",
	"answer-nudge",
	"statement",
	"review",
	"c",
];

const op: fc.Arbitrary<Op> = fc.oneof(
	fc.record({ kind: fc.constant("create" as const), process: fc.constantFrom(...processes) }),
	fc.record({ kind: fc.constant("activate" as const), type: fc.constantFrom(...jobTypes) }),
	fc.record({
		kind: fc.constantFrom(
			"complete" as const,
			"fail" as const,
			"throw" as const,
			"cancel" as const,
			"resolve" as const,
		),
		pick: fc.nat(20),
		retries: fc.integer({ min: 0, max: 2 }),
	}),
	fc.record({ kind: fc.constant("publish" as const), name: fc.constantFrom("payment", "cancel-order", "nudge") }),
	fc.record({ kind: fc.constant("time" as const), ms: fc.constantFrom(1000, 60_000, 600_000, 3_600_000) }),
);

function pickFrom<T>(items: T[], pick: number): T | undefined {
	return items.length === 0 ? undefined : items[pick % items.length];
}

describe("random command sequences", () => {
	it("should never throw, keep indexes consistent, and replay to the same state", async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(op, { minLength: 10, maxLength: 80 }), async (ops) => {
				const engine = new EngineHarness();
				await engine.deploy(
					"one-task.bpmn",
					"parallel.bpmn",
					"errors.bpmn",
					"timers.bpmn",
					"messages.bpmn",
					"multi-instance.bpmn",
					"inclusive.bpmn",
				);
				const variables = { orderId: "O", witnesses: ["x", "y"], x: 1, y: 0, approved: false };
				for (const step of ops) {
					const jobs = [...engine.state.jobs.keys()];
					switch (step.kind) {
						case "create":
							await engine.createInstance(step.process, variables);
							break;
						case "activate":
							await engine.activateJobs(step.type, { timeout: 30_000 });
							break;
						case "complete": {
							const key = pickFrom(jobs, step.pick);
							if (key) await engine.completeJob(key, { approved: step.retries > 0 });
							break;
						}
						case "fail": {
							const key = pickFrom(jobs, step.pick);
							if (key)
								await engine.job("FAIL", key, {
									retries: step.retries,
									errorMessage: "x",
									retryBackoff: step.retries * 1000,
									variables: {},
								});
							break;
						}
						case "throw": {
							const key = pickFrom(jobs, step.pick);
							const code = ["NOT_FOUND", "FRAUD", "OTHER"][step.retries];
							if (key)
								await engine.job("THROW_ERROR", key, { errorCode: code, errorMessage: "", variables: { why: code } });
							break;
						}
						case "cancel": {
							const roots = [...engine.state.elementInstances.values()].filter(
								(i) => i.value.flowScopeKey < 0 && i.value.parentProcessInstanceKey < 0,
							);
							const root = pickFrom(roots, step.pick);
							if (root)
								await engine.send({ valueType: "PROCESS_INSTANCE", intent: "CANCEL", key: root.key, value: {} });
							break;
						}
						case "resolve": {
							const incident = pickFrom([...engine.state.incidents.values()], step.pick);
							if (incident?.jobKey && incident.jobKey > 0)
								await engine.job("UPDATE_RETRIES", incident.jobKey, { retries: 1 });
							if (incident)
								await engine.send({ valueType: "INCIDENT", intent: "RESOLVE", key: incident.key, value: {} });
							break;
						}
						case "publish":
							await engine.send({
								valueType: "MESSAGE",
								intent: "PUBLISH",
								key: -1,
								value: {
									name: step.name,
									correlationKey: "O",
									timeToLive: 10_000,
									messageId: "",
									variables: {},
									tenantId: "",
								},
							});
							break;
						case "time":
							engine.now += step.ms;
							for (const command of engineCore.dueWork(engine.state, engine.now).commands) await engine.send(command);
							break;
					}
				}
				const state = engine.state;
				for (const job of state.jobs.values()) {
					expect(state.elementInstances.has(job.elementInstanceKey)).toBe(true);
					const listed = state.activatableJobs.get(job.type)?.includes(job.key) ?? false;
					expect(listed).toBe(job.state === "ACTIVATABLE");
				}
				const containers = new Set(["PROCESS", "SUB_PROCESS", "EVENT_SUB_PROCESS", "MULTI_INSTANCE_BODY"]);
				for (const instance of state.elementInstances.values()) {
					const children = state.children.get(instance.key)?.size ?? 0;
					expect(instance.activeChildren).toBe(children);
					// An active container with nothing left inside it should have completed (no stuck scopes).
					const empty = children === 0 && instance.pendingFlows === 0;
					if (containers.has(instance.value.bpmnElementType) && instance.state === "ACTIVATED")
						expect(empty).toBe(false);
				}
				const { processed, replayed } = await engine.replayed();
				expect(replayed).toEqual(processed);
			}),
			{ numRuns: 60, seed: 20261128 },
		);
	});
});
