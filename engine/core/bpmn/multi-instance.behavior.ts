import type { ExecutableElement } from "../../bpmn/executable-model";
import { evaluateCondition, evaluateFeel, feelTypeName } from "../../feel/feel-evaluator";
import type { ElementInstance } from "../engine-state";
import type { ProcessingContext } from "../processing-context";
import { ErrorType, ProcessInstanceIntent, ValueType } from "../protocol";
import { localVariables, mergeDocument, setVariableLocal, visibleVariables } from "../variables/variable-behavior";
import { activateChild, completeElement, markActivated } from "./element-lifecycle";
import { raiseIncident } from "./incident.behavior";

/**
 * Multi-instance activities (zeebe-behaviour.md §3.5): a MULTI_INSTANCE_BODY instance evaluates the input
 * collection and runs one inner instance per item (all at once, or one after the other); each inner
 * instance gets local `loopCounter` and input element; `outputElement` results are collected in input
 * order into `outputCollection`, which the body propagates when it completes.
 */

function inputCollection(
	context: ProcessingContext,
	body: ElementInstance,
	element: ExecutableElement,
): unknown[] | string {
	const text = element.multiInstance!.inputCollection;
	const result = evaluateFeel(text.replace(/^=/, ""), visibleVariables(context.state, body.key), context.now);
	if (!result.ok) return result.message;
	if (!Array.isArray(result.value)) {
		return `Expected result of the expression '${text.replace(/^=/, "")}' to be 'ARRAY', but was '${feelTypeName(result.value)}'.`;
	}
	return result.value;
}

export function activateMultiInstanceBody(
	context: ProcessingContext,
	body: ElementInstance,
	element: ExecutableElement,
): void {
	const loop = element.multiInstance!;
	const items = inputCollection(context, body, element);
	if (typeof items === "string") {
		raiseIncident(context, body, ErrorType.EXTRACT_VALUE_ERROR, items);
		return;
	}
	if (loop.outputCollection) {
		setVariableLocal(context, body.key, loop.outputCollection, JSON.stringify(items.map(() => null)), body.value);
	}
	markActivated(context, body);
	// The inner instances activated in this same step read the list evaluated here (not once each: O(n²)).
	context.inputCollections.set(body.key, items);
	if (items.length === 0) {
		context.command(ValueType.PROCESS_INSTANCE, ProcessInstanceIntent.COMPLETE_ELEMENT, body.key, body.value);
		return;
	}
	const count = loop.sequential ? 1 : items.length;
	for (let index = 0; index < count; index++) activateChild(context, body, element);
}

/** Locals of an inner instance: loopCounter, the input element, and a null output element to keep results local. */
export function setInnerInstanceVariables(
	context: ProcessingContext,
	inner: ElementInstance,
	element: ExecutableElement,
): boolean {
	const loop = element.multiInstance!;
	const body = context.state.elementInstances.get(inner.value.flowScopeKey)!;
	const counter = inner.loopCounter!;
	setVariableLocal(context, inner.key, "loopCounter", String(counter), inner.value);
	if (loop.inputElement) {
		const items = context.inputCollections.get(body.key) ?? inputCollection(context, body, element);
		if (typeof items === "string" || counter > items.length) {
			raiseIncident(
				context,
				inner,
				ErrorType.EXTRACT_VALUE_ERROR,
				typeof items === "string"
					? items
					: `Expected to read item at index ${counter} of the input collection, but it has only ${items.length}; the input collection might be modified while the loop runs`,
			);
			return false;
		}
		setVariableLocal(context, inner.key, loop.inputElement, JSON.stringify(items[counter - 1] ?? null), inner.value);
	}
	const outputName =
		loop.outputElement && /^=?[A-Za-z_][A-Za-z0-9_]*$/.test(loop.outputElement)
			? loop.outputElement.replace(/^=/, "")
			: null;
	if (outputName && outputName !== loop.inputElement && outputName !== "loopCounter") {
		const existing = context.state.variables.get(inner.key)?.get(outputName);
		if (!existing) setVariableLocal(context, inner.key, outputName, "null", inner.value);
	}
	return true;
}

/** Writes the inner instance's output element into the body's output collection at its loopCounter. */
export function collectOutputElement(
	context: ProcessingContext,
	inner: ElementInstance,
	element: ExecutableElement,
): boolean {
	const loop = element.multiInstance!;
	if (!loop.outputCollection || !loop.outputElement) return true;
	const result = evaluateFeel(
		loop.outputElement.replace(/^=/, ""),
		visibleVariables(context.state, inner.key),
		context.now,
	);
	if (!result.ok) {
		raiseIncident(context, inner, ErrorType.EXTRACT_VALUE_ERROR, result.message);
		return false;
	}
	const body = context.state.elementInstances.get(inner.value.flowScopeKey)!;
	const current = localVariables(context.state, body.key)[loop.outputCollection];
	if (!Array.isArray(current)) {
		raiseIncident(
			context,
			inner,
			ErrorType.EXTRACT_VALUE_ERROR,
			`the output collection '${loop.outputCollection}' is no longer a list`,
		);
		return false;
	}
	const next = [...current];
	next[inner.loopCounter! - 1] = result.value ?? null;
	setVariableLocal(context, body.key, loop.outputCollection, JSON.stringify(next), body.value);
	return true;
}

/** After an inner instance completed: completion condition, next sequential item, or the body's end. */
export function innerInstanceCompleted(context: ProcessingContext, body: ElementInstance): void {
	const state = context.state;
	const element = state.processes.get(body.value.processDefinitionKey)!.model.elements[body.value.elementId];
	const loop = element.multiInstance!;
	// The collection's size matters only to a completion condition and to a sequential loop: a parallel loop
	// does not evaluate it again per completed instance.
	const total = () => {
		if (!loop.completionCondition && !loop.sequential) return 0;
		const items = inputCollection(context, body, element);
		return typeof items === "string" ? (body.miStarted ?? 0) : items.length;
	};
	if (loop.completionCondition) {
		const variables = {
			...visibleVariables(state, body.key),
			numberOfInstances: total(),
			numberOfActiveInstances: body.activeChildren,
			numberOfCompletedInstances: body.miCompleted ?? 0,
			numberOfTerminatedInstances: (body.miStarted ?? 0) - (body.miCompleted ?? 0) - body.activeChildren,
		};
		const result = evaluateCondition(loop.completionCondition, variables, context.now);
		if (!result.ok) {
			raiseIncident(context, body, ErrorType.EXTRACT_VALUE_ERROR, result.message);
			return;
		}
		if (result.value === true) {
			const children = [...(state.children.get(body.key) ?? [])];
			if (children.length === 0) {
				context.command(ValueType.PROCESS_INSTANCE, ProcessInstanceIntent.COMPLETE_ELEMENT, body.key, body.value);
				return;
			}
			// The remaining inner instances are terminated; the body completes when they are gone.
			for (const childKey of children) {
				const child = state.elementInstances.get(childKey);
				if (child && child.state !== "TERMINATING") {
					context.command(ValueType.PROCESS_INSTANCE, ProcessInstanceIntent.TERMINATE_ELEMENT, childKey, child.value);
				}
			}
			return;
		}
	}
	if (loop.sequential && (body.miStarted ?? 0) < total()) {
		activateChild(context, body, element);
		return;
	}
	if (body.activeChildren === 0 && !context.pendingActivations.has(body.key)) {
		context.command(ValueType.PROCESS_INSTANCE, ProcessInstanceIntent.COMPLETE_ELEMENT, body.key, body.value);
	}
}

/** The body completes: its output collection is propagated from its flow scope, then its outgoing flows. */
export function completeMultiInstanceBody(
	context: ProcessingContext,
	body: ElementInstance,
	element: ExecutableElement,
): void {
	const loop = element.multiInstance!;
	if (loop.outputCollection) {
		const value = localVariables(context.state, body.key)[loop.outputCollection] ?? [];
		mergeDocument(context, body.value.flowScopeKey, { [loop.outputCollection]: value }, body.value);
	}
	completeElement(context, body, element, element.outgoing);
}
