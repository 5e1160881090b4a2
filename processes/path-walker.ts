import { readFileSync } from "node:fs";
import { join } from "node:path";
import { evaluate, unaryTest } from "feelin";
import { type ModdleElement, parseBpmn, parseDmn } from "./moddle.parser";
import { listDeploymentResources, PROCESSES_DIR } from "./resource.catalog";

/**
 * A path walker for reviewing the case models against the scenarios of domain.md §5.4 — NOT an engine.
 * It moves tokens through one process with simplified Zeebe semantics (one variable scope, a
 * multi-instance activity runs once, call activities are completed with given variables, no real time)
 * so that a test can show which end events a scenario reaches and where the process waits. The real
 * behaviour is the engine's (engine/) and Zeebe's; this only catches modelling mistakes early: a wrong
 * condition, a dead end, a message that is never awaited.
 */
export interface WalkOptions {
	/** Variables at the start. */
	variables?: Record<string, unknown>;
	/** Variables a job type returns, by job type; a function gets the task headers and variables. `{ $error: CODE }` throws. */
	jobs?: Record<
		string,
		| Record<string, unknown>
		| ((headers: Record<string, string>, variables: Record<string, unknown>) => Record<string, unknown>)
	>;
	/** Variables a user task completes with, by element id; a task without an entry stays open. */
	userTasks?: Record<string, Record<string, unknown>>;
	/** Variables a called process returns, by process id. */
	calls?: Record<string, Record<string, unknown>>;
}

interface Token {
	id: number;
	element: ModdleElement;
	/** Flow scope: the process or the (event) sub-process instance the token lives in. */
	scope: Scope;
}
interface Scope {
	container: ModdleElement;
	parent?: Scope;
	/** The token of the sub-process element in the parent scope (undefined for the process). */
	owner?: Token;
	done: boolean;
}

/** The walk of one process instance. */
export class ProcessWalk {
	readonly variables: Record<string, unknown>;
	/** Ids of the end events reached, in order. */
	readonly ended: string[] = [];
	/** Ids of every element that was completed, in order. */
	readonly completed: string[] = [];
	private tokens: Token[] = [];
	private joins = new Map<string, number>();
	private nextId = 1;
	private readonly root: Scope;

	constructor(
		private readonly process: ModdleElement,
		private readonly decisions: Map<string, ModdleElement>,
		private readonly options: WalkOptions,
		startEventId: string,
	) {
		this.variables = { ...(options.variables ?? {}) };
		this.root = { container: process, done: false };
		const start = process.flowElements.find((e: ModdleElement) => e.id === startEventId);
		if (!start) throw new Error(`Process '${process.id}' has no start event '${startEventId}'.`);
		this.leave({ id: this.nextId++, element: start, scope: this.root });
		this.run();
	}

	/** Ids of the elements where tokens wait (user tasks, receive tasks, catch events, event-based gateways). */
	get waiting(): string[] {
		return this.tokens.map((t) => t.element.id).sort();
	}

	/** True when no token is left (the process instance completed). */
	get isCompleted(): boolean {
		return this.root.done;
	}

	/** Publishes a message: correlates to the first waiting catch, boundary or event sub-process with that name. */
	message(name: string, variables: Record<string, unknown> = {}): this {
		const target = this.triggerable().find((c) => messageName(c.event) === name);
		if (!target) throw new Error(`No subscription for message '${name}'; waiting at: ${this.waiting.join(", ")}`);
		Object.assign(this.variables, variables);
		this.trigger(target);
		return this;
	}

	/** Lets the timer of a waiting catch event or boundary event (by element id) fire. */
	timer(eventId: string): this {
		const target = this.triggerable().find((c) => c.event.id === eventId && timerOf(c.event));
		if (!target) throw new Error(`Timer '${eventId}' is not active; waiting at: ${this.waiting.join(", ")}`);
		this.trigger(target);
		return this;
	}

	/** Completes an open user task with variables. */
	complete(taskId: string, variables: Record<string, unknown> = {}): this {
		const token = this.tokens.find((t) => t.element.id === taskId && t.element.$type === "bpmn:UserTask");
		if (!token) throw new Error(`User task '${taskId}' is not open; waiting at: ${this.waiting.join(", ")}`);
		Object.assign(this.variables, variables);
		this.finish(token);
		this.run();
		return this;
	}

	// --- token movement ------------------------------------------------------------------------

	private run(): void {
		for (let guard = 0; guard < 10_000; guard++) {
			const ready = this.tokens.find((t) => this.canAdvance(t));
			if (!ready) return;
			this.advance(ready);
		}
		throw new Error(`Process '${this.process.id}' loops without a wait state.`);
	}

	private canAdvance(t: Token): boolean {
		const type = t.element.$type;
		if (type === "bpmn:UserTask") return this.options.userTasks?.[t.element.id] !== undefined;
		if (type === "bpmn:ReceiveTask" || type === "bpmn:IntermediateCatchEvent" || type === "bpmn:EventBasedGateway") {
			return false;
		}
		if (type === "bpmn:SubProcess") return false;
		return true;
	}

	private advance(t: Token): void {
		const el = t.element;
		switch (el.$type) {
			case "bpmn:ServiceTask":
			case "bpmn:IntermediateThrowEvent": {
				const type = extension(el, "zeebe:TaskDefinition")?.type;
				if (type) {
					const spec = this.options.jobs?.[type];
					const headers = Object.fromEntries(
						(extension(el, "zeebe:TaskHeaders")?.values ?? []).map((h: ModdleElement) => [h.key, h.value]),
					);
					this.applyInputs(el);
					const result = typeof spec === "function" ? spec(headers, this.variables) : (spec ?? {});
					if (typeof result.$error === "string") {
						this.throwError(t, result.$error);
						return;
					}
					Object.assign(this.variables, result);
				}
				this.finish(t);
				return;
			}
			case "bpmn:UserTask":
				Object.assign(this.variables, this.options.userTasks?.[el.id]);
				this.finish(t);
				return;
			case "bpmn:BusinessRuleTask": {
				this.applyInputs(el);
				const called = extension(el, "zeebe:CalledDecision");
				this.variables[called.resultVariable] = decide(this.decisions.get(called.decisionId), this.variables);
				this.finish(t);
				return;
			}
			case "bpmn:CallActivity": {
				const processId = extension(el, "zeebe:CalledElement")?.processId;
				this.applyInputs(el);
				Object.assign(this.variables, this.options.calls?.[processId] ?? {});
				this.finish(t);
				return;
			}
			default:
				this.finish(t);
				return;
		}
	}

	/** The element of token `t` completes: leave it along its outgoing flows. */
	private finish(t: Token): void {
		this.tokens = this.tokens.filter((x) => x !== t);
		this.leave(t);
	}

	private leave(t: Token): void {
		const el = t.element;
		this.completed.push(el.id);
		if (el.$type === "bpmn:EndEvent") {
			this.ended.push(el.id);
			if (el.eventDefinitions?.some((d: ModdleElement) => d.$type === "bpmn:TerminateEventDefinition")) {
				this.tokens = this.tokens.filter((x) => !isWithin(x.scope, t.scope));
			}
			this.checkScopeDone(t.scope);
			return;
		}
		const outgoing: ModdleElement[] = el.outgoing ?? [];
		let flows = outgoing;
		if (el.$type === "bpmn:ExclusiveGateway" && outgoing.length > 1) {
			const chosen = outgoing.find((f) => f.conditionExpression && this.condition(f)) ?? el.default;
			if (!chosen) throw new Error(`Gateway '${el.id}': no condition is true and there is no default flow.`);
			flows = [chosen];
		}
		for (const flow of flows) this.enter(flow.targetRef, t.scope);
		if (flows.length === 0) this.checkScopeDone(t.scope);
	}

	private enter(el: ModdleElement, scope: Scope): void {
		const joinsTokens = el.$type === "bpmn:ParallelGateway" && (el.incoming ?? []).length > 1;
		if (joinsTokens) {
			const key = `${el.id}@${scopeKey(scope)}`;
			const arrived = (this.joins.get(key) ?? 0) + 1;
			if (arrived < el.incoming.length) {
				this.joins.set(key, arrived);
				return;
			}
			this.joins.delete(key);
		}
		const token: Token = { id: this.nextId++, element: el, scope };
		if (el.$type === "bpmn:SubProcess") {
			this.tokens.push(token);
			const inner: Scope = { container: el, parent: scope, owner: token, done: false };
			const start = el.flowElements.find(
				(e: ModdleElement) => e.$type === "bpmn:StartEvent" && !e.eventDefinitions?.length,
			);
			this.leave({ id: this.nextId++, element: start, scope: inner });
			return;
		}
		this.tokens.push(token);
	}

	private checkScopeDone(scope: Scope): void {
		if (this.tokens.some((t) => isWithin(t.scope, scope))) return;
		scope.done = true;
		if (scope.owner) this.finish(scope.owner);
	}

	private condition(flow: ModdleElement): boolean {
		const body = String(flow.conditionExpression.body).replace(/^=/, "");
		const { value } = evaluate(body, this.variables);
		if (typeof value !== "boolean") throw new Error(`Condition of '${flow.id}' is not boolean: ${body}`);
		return value;
	}

	private applyInputs(el: ModdleElement): void {
		for (const input of extension(el, "zeebe:IoMapping")?.inputParameters ?? []) {
			this.variables[input.target] = evaluate(String(input.source).replace(/^=/, ""), this.variables).value;
		}
	}

	// --- events --------------------------------------------------------------------------------

	/** Everything that can be triggered now: waiting catches, boundary events of waiting activities, ESP starts. */
	private triggerable(): Array<{ event: ModdleElement; token?: Token; scope: Scope }> {
		const out: Array<{ event: ModdleElement; token?: Token; scope: Scope }> = [];
		for (const t of this.tokens) {
			const el = t.element;
			if (el.$type === "bpmn:IntermediateCatchEvent" || el.$type === "bpmn:ReceiveTask")
				out.push({ event: el, token: t, scope: t.scope });
			if (el.$type === "bpmn:EventBasedGateway") {
				for (const f of el.outgoing) out.push({ event: f.targetRef, token: t, scope: t.scope });
			}
			for (const b of t.scope.container.flowElements.filter((x: ModdleElement) => x.attachedToRef === el)) {
				out.push({ event: b, token: t, scope: t.scope });
			}
		}
		// Event sub-processes of the process (the case models have none deeper) while the instance runs.
		if (!this.root.done) {
			for (const esp of this.process.flowElements.filter((x: ModdleElement) => x.triggeredByEvent)) {
				const start = esp.flowElements.find((x: ModdleElement) => x.$type === "bpmn:StartEvent");
				out.push({ event: start, scope: this.root });
			}
		}
		return out;
	}

	private trigger(target: { event: ModdleElement; token?: Token; scope: Scope }): void {
		const { event, token, scope } = target;
		if (event.$type === "bpmn:StartEvent") {
			// Event sub-process start.
			const esp = event.$parent;
			if (event.isInterrupting !== false) this.tokens = this.tokens.filter((x) => !isWithin(x.scope, scope));
			const espToken: Token = { id: this.nextId++, element: esp, scope };
			this.tokens.push(espToken);
			this.leave({
				id: this.nextId++,
				element: event,
				scope: { container: esp, parent: scope, owner: espToken, done: false },
			});
		} else if (event.$type === "bpmn:BoundaryEvent") {
			if (event.cancelActivity !== false && token) this.cancel(token);
			this.leave({ id: this.nextId++, element: event, scope });
		} else if (token?.element.$type === "bpmn:EventBasedGateway") {
			this.tokens = this.tokens.filter((x) => x !== token);
			this.completed.push(token.element.id);
			this.leave({ id: this.nextId++, element: event, scope });
		} else if (token) {
			this.finish(token);
		}
		this.run();
	}

	private cancel(token: Token): void {
		this.tokens = this.tokens.filter((x) => x !== token && !isInside(x.scope, token));
	}

	private throwError(t: Token, code: string): void {
		const boundary = t.scope.container.flowElements.find(
			(b: ModdleElement) =>
				b.attachedToRef === t.element &&
				b.eventDefinitions?.some(
					(d: ModdleElement) => d.$type === "bpmn:ErrorEventDefinition" && d.errorRef?.errorCode === code,
				),
		);
		if (!boundary) throw new Error(`Error '${code}' thrown by '${t.element.id}' is not caught (an incident in Zeebe).`);
		this.cancel(t);
		this.leave({ id: this.nextId++, element: boundary, scope: t.scope });
	}
}

function isWithin(scope: Scope, ancestor: Scope): boolean {
	for (let s: Scope | undefined = scope; s; s = s.parent) if (s === ancestor) return true;
	return false;
}
function isInside(scope: Scope, owner: Token): boolean {
	for (let s: Scope | undefined = scope; s; s = s.parent) if (s.owner === owner) return true;
	return false;
}
function scopeKey(scope: Scope): string {
	return scope.owner ? `${scope.owner.id}` : "root";
}
function extension(el: ModdleElement, type: string): ModdleElement | undefined {
	return (el.extensionElements?.values ?? []).find((v: ModdleElement) => v.$type === type);
}
function messageName(el: ModdleElement): string | undefined {
	const ref = el.messageRef ?? el.eventDefinitions?.find((d: ModdleElement) => d.messageRef)?.messageRef;
	return ref?.name;
}
function timerOf(el: ModdleElement): boolean {
	return !!el.eventDefinitions?.some((d: ModdleElement) => d.$type === "bpmn:TimerEventDefinition");
}

/**
 * Evaluates a DMN decision table with hit policy FIRST using feelin: input expressions in the
 * context, input entries as unary tests, output entries as expressions. Returns null when no rule matches.
 */
export function decide(decision: ModdleElement, context: Record<string, unknown>): Record<string, unknown> | null {
	const table = decision.decisionLogic;
	if (table.hitPolicy !== "FIRST") throw new Error(`Decision '${decision.id}': only hit policy FIRST is walked.`);
	const inputs = table.input.map((i: ModdleElement) => evaluate(i.inputExpression.text, context).value);
	for (const rule of table.rule) {
		const matches = rule.inputEntry.every(
			(entry: ModdleElement, i: number) => unaryTest(entry.text, { ...context, "?": inputs[i] }).value === true,
		);
		if (matches) {
			return Object.fromEntries(
				table.output.map((o: ModdleElement, i: number) => [o.name, evaluate(rule.outputEntry[i].text, context).value]),
			);
		}
	}
	return null;
}

/** Loads every process and decision of `processes/` for walking. */
export async function loadModels(): Promise<{
	processes: Map<string, ModdleElement>;
	decisions: Map<string, ModdleElement>;
	walk: (processId: string, startEventId: string, options?: WalkOptions) => ProcessWalk;
}> {
	const processes = new Map<string, ModdleElement>();
	const decisions = new Map<string, ModdleElement>();
	for (const r of listDeploymentResources()) {
		if (r.kind === "bpmn") {
			const { rootElement } = await parseBpmn(readFileSync(r.path, "utf8"));
			for (const p of rootElement.rootElements.filter((e: ModdleElement) => e.$type === "bpmn:Process"))
				processes.set(p.id, p);
		} else if (r.kind === "dmn") {
			const { rootElement } = await parseDmn(readFileSync(join(PROCESSES_DIR, r.name), "utf8"));
			for (const d of rootElement.drgElement) decisions.set(d.id, d);
		}
	}
	const walk = (processId: string, startEventId: string, options: WalkOptions = {}) => {
		const process = processes.get(processId);
		if (!process) throw new Error(`No process '${processId}' in processes/.`);
		return new ProcessWalk(process, decisions, options, startEventId);
	};
	return { processes, decisions, walk };
}
