import fc from "fast-check";
import { engineCore } from "../engine-core";
import type { ValueType } from "../protocol";
import type { EngineHarness } from "./engine-harness";

/**
 * Random command sequences for property tests (fast-check): creations, activations, job commands,
 * variable documents, messages, signals, time passing and commands the core must reject. Used by
 * core/replay-properties.test.ts (pure) and store/store-replay-properties.test.ts (through PostgreSQL).
 */

/** The fixtures every sequence deploys first. */
export const sequenceFixtures = [
	"one-task.bpmn",
	"parallel.bpmn",
	"errors.bpmn",
	"timers.bpmn",
	"messages.bpmn",
	"multi-instance.bpmn",
	"inclusive.bpmn",
	"signals.bpmn",
];

export type Op =
	| { kind: "create"; process: string; variables: Record<string, unknown> }
	| { kind: "activate"; type: string; max: number }
	| { kind: "complete" | "fail" | "throw" | "cancel" | "resolve" | "retries"; pick: number; n: number }
	| { kind: "set-variables"; pick: number; local: boolean; variables: Record<string, unknown> }
	| { kind: "publish"; name: string; correlationKey: string; ttl: number; variables: Record<string, unknown> }
	| { kind: "signal"; name: string }
	| { kind: "time"; ms: number }
	| { kind: "garbage"; valueType: string; intent: string; key: number };

const processes = [
	"one-task",
	"parallel",
	"boundary-error",
	"error-subprocess",
	"deadline",
	"order",
	"statements",
	"inclusive",
	"patrol",
];
const jobTypes = [
	"do-it",
	"a",
	"b",
	"after",
	"lookup",
	"check",
	"other-work",
	"remind",
	"ship",
	"statement",
	"review",
	"c",
	"patrol",
];

/** JSON values the way clients send them (no NUL or lone surrogates: the gateway refuses those). */
export const jsonValue = fc.letrec((tie) => ({
	value: fc.oneof(
		{ depthSize: "small", withCrossShrink: true },
		fc.constant(null),
		fc.boolean(),
		fc.integer(),
		fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
		fc.string({ unit: "grapheme-composite", maxLength: 12 }).filter((text) => !text.includes("\u0000")),
		fc.array(tie("value"), { maxLength: 3 }),
		fc.dictionary(fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 6 }), tie("value"), { maxKeys: 3 }),
	),
})).value;

const document = fc.dictionary(
	fc.constantFrom("orderId", "x", "y", "approved", "amount", "note", "witnesses", "nested"),
	jsonValue,
	{ maxKeys: 4 },
);

export const op: fc.Arbitrary<Op> = fc.oneof(
	{
		arbitrary: fc.record({
			kind: fc.constant("create" as const),
			process: fc.constantFrom(...processes),
			variables: document,
		}),
		weight: 3,
	},
	{
		arbitrary: fc.record({
			kind: fc.constant("activate" as const),
			type: fc.constantFrom(...jobTypes),
			max: fc.integer({ min: 1, max: 5 }),
		}),
		weight: 3,
	},
	{
		arbitrary: fc.record({
			kind: fc.constantFrom(
				"complete" as const,
				"fail" as const,
				"throw" as const,
				"cancel" as const,
				"resolve" as const,
				"retries" as const,
			),
			pick: fc.nat(30),
			n: fc.integer({ min: -1, max: 3 }),
		}),
		weight: 4,
	},
	{
		arbitrary: fc.record({
			kind: fc.constant("set-variables" as const),
			pick: fc.nat(30),
			local: fc.boolean(),
			variables: document,
		}),
		weight: 2,
	},
	{
		arbitrary: fc.record({
			kind: fc.constant("publish" as const),
			name: fc.constantFrom("payment", "cancel-order", "nudge", "unknown"),
			correlationKey: fc.constantFrom("O", "P", ""),
			ttl: fc.constantFrom(0, 10_000, 3_600_000),
			variables: document,
		}),
		weight: 1,
	},
	{
		arbitrary: fc.record({ kind: fc.constant("signal" as const), name: fc.constantFrom("alert", "lockdown", "none") }),
		weight: 1,
	},
	{
		arbitrary: fc.record({
			kind: fc.constant("time" as const),
			ms: fc.constantFrom(1_000, 60_000, 600_000, 3_600_000, 86_400_000),
		}),
		weight: 2,
	},
	{
		arbitrary: fc.record({
			kind: fc.constant("garbage" as const),
			valueType: fc.constantFrom("JOB", "PROCESS_INSTANCE", "INCIDENT", "VARIABLE_DOCUMENT", "MESSAGE", "NOPE"),
			intent: fc.constantFrom("COMPLETE", "CANCEL", "RESOLVE", "UPDATE", "EXPIRE", "TRIGGER", "CREATED"),
			key: fc.oneof(fc.constant(-1), fc.constant(0), fc.integer({ min: 2251799813685249, max: 2251799813685400 })),
		}),
		weight: 1,
	},
);

function pickFrom<T>(items: T[], pick: number): T | undefined {
	return items.length === 0 ? undefined : items[pick % items.length];
}

export async function run(engine: EngineHarness, step: Op): Promise<void> {
	const state = engine.state;
	const jobs = [...state.jobs.keys()];
	switch (step.kind) {
		case "create":
			await engine.createInstance(step.process, {
				orderId: "O",
				witnesses: ["x", "y"],
				x: 1,
				y: 0,
				approved: false,
				...step.variables,
			});
			return;
		case "activate":
			await engine.activateJobs(step.type, { max: step.max, timeout: 30_000 });
			return;
		case "complete": {
			const key = pickFrom(jobs, step.pick);
			if (key) await engine.completeJob(key, { approved: step.n > 0, amount: step.n });
			return;
		}
		case "fail": {
			const key = pickFrom(jobs, step.pick);
			if (key)
				await engine.job("FAIL", key, {
					retries: step.n,
					errorMessage: "x",
					retryBackoff: Math.max(0, step.n) * 1000,
					variables: {},
				});
			return;
		}
		case "throw": {
			const key = pickFrom(jobs, step.pick);
			const code = ["NOT_FOUND", "FRAUD", "OTHER", ""][step.n + 1];
			if (key) await engine.job("THROW_ERROR", key, { errorCode: code, errorMessage: "", variables: { why: code } });
			return;
		}
		case "retries": {
			const key = pickFrom(jobs, step.pick);
			if (key) await engine.job("UPDATE_RETRIES", key, { retries: step.n });
			return;
		}
		case "cancel": {
			const roots = [...state.elementInstances.values()].filter((i) => i.value.flowScopeKey < 0);
			const root = pickFrom(roots, step.pick);
			if (root) await engine.send({ valueType: "PROCESS_INSTANCE", intent: "CANCEL", key: root.key, value: {} });
			return;
		}
		case "resolve": {
			const incident = pickFrom([...state.incidents.values()], step.pick);
			if (incident?.jobKey && incident.jobKey > 0) await engine.job("UPDATE_RETRIES", incident.jobKey, { retries: 1 });
			if (incident) await engine.send({ valueType: "INCIDENT", intent: "RESOLVE", key: incident.key, value: {} });
			return;
		}
		case "set-variables": {
			const scope = pickFrom([...state.elementInstances.keys()], step.pick) ?? 2251799813685249;
			await engine.send({
				valueType: "VARIABLE_DOCUMENT",
				intent: "UPDATE",
				key: -1,
				value: { scopeKey: scope, updateSemantics: step.local ? "LOCAL" : "PROPAGATE", variables: step.variables },
			});
			return;
		}
		case "publish":
			await engine.send({
				valueType: "MESSAGE",
				intent: "PUBLISH",
				key: -1,
				value: {
					name: step.name,
					correlationKey: step.correlationKey,
					timeToLive: step.ttl,
					messageId: "",
					variables: step.variables,
					tenantId: "",
				},
			});
			return;
		case "signal":
			await engine.send({
				valueType: "SIGNAL",
				intent: "BROADCAST",
				key: -1,
				value: { signalName: step.name, variables: {}, tenantId: "" },
			});
			return;
		case "time":
			engine.now += step.ms;
			for (const command of engineCore.dueWork(state, engine.now).commands) await engine.send(command);
			return;
		case "garbage":
			// A value type the core does not know must be rejected like any other bad command.
			await engine.send({ valueType: step.valueType as ValueType, intent: step.intent, key: step.key, value: {} });
			return;
	}
}
