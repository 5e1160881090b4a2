import type { EngineState } from "../engine-state";
import type { ProcessingContext } from "../processing-context";
import { ValueType, VariableIntent } from "../protocol";

/**
 * Variable reads and writes with Zeebe's scoping (zeebe-behaviour.md §3): a scope is an element
 * instance key; reads see the scope chain with the innermost scope winning; writes produce VARIABLE
 * CREATED (new name in that scope) or UPDATED (same key, only when the value changes).
 */

/** Process fields every VARIABLE record carries. */
export interface VariableOwner {
	processInstanceKey: number;
	processDefinitionKey: number;
	bpmnProcessId: string;
	tenantId: string;
}

function parentScope(state: EngineState, scopeKey: number): number {
	return state.elementInstances.get(scopeKey)?.value.flowScopeKey ?? -1;
}

/** All variables visible from `scopeKey` (innermost wins), parsed. */
export function visibleVariables(state: EngineState, scopeKey: number): Record<string, unknown> {
	const chain: number[] = [];
	for (let scope = scopeKey; scope >= 0; scope = parentScope(state, scope)) chain.push(scope);
	const result: Record<string, unknown> = {};
	for (let index = chain.length - 1; index >= 0; index--) {
		const entries = state.variables.get(chain[index]);
		if (!entries) continue;
		for (const [name, entry] of entries) result[name] = JSON.parse(entry.value);
	}
	return result;
}

/** The named variables visible from `scopeKey` (names that exist nowhere are left out). */
export function selectedVariables(state: EngineState, scopeKey: number, names: string[]): Record<string, unknown> {
	const result: Record<string, unknown> = {};
	for (const name of names) {
		for (let scope = scopeKey; scope >= 0; scope = parentScope(state, scope)) {
			const entry = state.variables.get(scope)?.get(name);
			if (entry) {
				result[name] = JSON.parse(entry.value);
				break;
			}
		}
	}
	return result;
}

/** The variables of exactly one scope. */
export function localVariables(state: EngineState, scopeKey: number): Record<string, unknown> {
	const result: Record<string, unknown> = {};
	for (const [name, entry] of state.variables.get(scopeKey) ?? []) result[name] = JSON.parse(entry.value);
	return result;
}

function toJson(value: unknown): string {
	return JSON.stringify(value === undefined ? null : value);
}

/** Writes one variable into one scope (no record when the value is unchanged). */
export function setVariableLocal(
	context: ProcessingContext,
	scopeKey: number,
	name: string,
	json: string,
	owner: VariableOwner,
): void {
	const existing = context.state.variables.get(scopeKey)?.get(name);
	if (existing && existing.value === json) return;
	const value = {
		name,
		value: json,
		scopeKey,
		processInstanceKey: owner.processInstanceKey,
		processDefinitionKey: owner.processDefinitionKey,
		bpmnProcessId: owner.bpmnProcessId,
		tenantId: owner.tenantId,
	};
	if (existing) context.event(ValueType.VARIABLE, VariableIntent.UPDATED, existing.key, value);
	else context.event(ValueType.VARIABLE, VariableIntent.CREATED, context.nextKey(), value);
}

/** Zeebe's `mergeLocalDocument`: every variable into exactly this scope. */
export function mergeLocalDocument(
	context: ProcessingContext,
	scopeKey: number,
	document: Record<string, unknown>,
	owner: VariableOwner,
): void {
	for (const [name, value] of Object.entries(document)) setVariableLocal(context, scopeKey, name, toJson(value), owner);
}

/**
 * Zeebe's `mergeDocument` (§3.3): for each variable, walk up from `scopeKey`; the first scope that holds
 * the name with a *different* value is updated; a scope holding an equal value does not stop the walk
 * (Zeebe's quirk); otherwise the variable is created or updated at the root.
 */
export function mergeDocument(
	context: ProcessingContext,
	scopeKey: number,
	document: Record<string, unknown>,
	owner: VariableOwner,
): void {
	const state = context.state;
	for (const [name, value] of Object.entries(document)) {
		const json = toJson(value);
		let scope = scopeKey;
		for (;;) {
			const parent = parentScope(state, scope);
			const existing = state.variables.get(scope)?.get(name);
			if (existing && existing.value !== json) {
				setVariableLocal(context, scope, name, json, owner);
				break;
			}
			if (parent < 0) {
				setVariableLocal(context, scope, name, json, owner);
				break;
			}
			scope = parent;
		}
	}
}
