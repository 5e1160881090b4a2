import type { ExecutableElement } from "../../bpmn/executable-model";
import type { ElementInstance } from "../engine-state";
import type { ProcessingContext } from "../processing-context";
import { BpmnElementType, BpmnEventType, ProcessInstanceIntent, ValueType } from "../protocol";
import { activateChild, isContainer, modelOf } from "./element-lifecycle";

/**
 * BPMN error catching (zeebe-behaviour.md §4.6, §8.1; Zeebe's CatchEventAnalyzer): starting at an
 * element instance, look at the error events it owns (its boundary events; for a container also its
 * error event sub-processes), prefer the exact code over a catch-all, else climb to the flow scope.
 * Climbing stops at a scope that is already being interrupted or left.
 */

export interface ErrorCatch {
	/** The catch event: an error boundary event or an error start event of an event sub-process. */
	catchEvent: ExecutableElement;
	/** The instance the event belongs to: the activity of a boundary event, the container of an event sub-process. */
	owner: ElementInstance;
}

function candidates(context: ProcessingContext, instance: ElementInstance, eventType: string): ExecutableElement[] {
	const model = modelOf(context, instance);
	const element = model.elements[instance.value.elementId];
	const result: ExecutableElement[] = [];
	if (isContainer(element.type)) {
		for (const id of element.eventSubProcessStartIds ?? []) {
			const start = model.elements[id];
			if (start.eventType === eventType) result.push(start);
		}
	}
	// The boundary events of a multi-instance activity belong to its body, not to the inner instances.
	const ownsBoundaries =
		!element.multiInstance || instance.value.bpmnElementType === BpmnElementType.MULTI_INSTANCE_BODY;
	for (const id of ownsBoundaries ? (element.boundaryEventIds ?? []) : []) {
		const boundary = model.elements[id];
		if (boundary.eventType === eventType) result.push(boundary);
	}
	return result;
}

/** Finds the catch event for `errorCode`, starting at `start` (the job's element, or the error end event's flow scope). */
export function findErrorCatch(
	context: ProcessingContext,
	start: ElementInstance | undefined,
	errorCode: string,
	eventType: string = BpmnEventType.ERROR,
): ErrorCatch | undefined {
	const state = context.state;
	// Climb flow scopes; at a called instance's root continue at its call activity in the parent (§4.6).
	const next = (instance: ElementInstance) =>
		state.elementInstances.get(
			instance.value.flowScopeKey >= 0 ? instance.value.flowScopeKey : instance.value.parentElementInstanceKey,
		);
	for (let instance = start; instance; instance = next(instance)) {
		const alreadyLeaving = instance.state === "TERMINATING" || instance.state === "COMPLETING";
		const alreadyInterrupted = instance.interruptedBy !== undefined && state.eventTriggers.has(instance.interruptedBy);
		if (alreadyLeaving || alreadyInterrupted) return undefined;
		const events = candidates(context, instance, eventType);
		const codeOf = (event: ExecutableElement) =>
			eventType === BpmnEventType.ERROR ? event.errorCode : event.escalationCode;
		const match = events.find((event) => codeOf(event) === errorCode) ?? events.find((event) => codeOf(event) == null);
		if (match) return { catchEvent: match, owner: instance };
	}
	return undefined;
}

/**
 * Lets the found catch event take over: records the trigger (with the error variables for the catch
 * event), then terminates the activity (boundary) or every child of the scope (event sub-process); the
 * catch event is activated once they are gone (see `finishTermination` / `childrenSettled`).
 */
export function triggerErrorCatch(
	context: ProcessingContext,
	found: ErrorCatch,
	variables: Record<string, unknown>,
): void {
	const { owner, catchEvent } = found;
	const state = context.state;
	context.event(ValueType.PROCESS_EVENT, "TRIGGERING", context.nextKey(), {
		scopeKey: owner.key,
		targetElementId: catchEvent.id,
		variables,
		processDefinitionKey: owner.value.processDefinitionKey,
		processInstanceKey: owner.value.processInstanceKey,
		tenantId: owner.value.tenantId,
	});
	if (catchEvent.type === BpmnElementType.BOUNDARY_EVENT) {
		context.command(ValueType.PROCESS_INSTANCE, ProcessInstanceIntent.TERMINATE_ELEMENT, owner.key, owner.value);
		return;
	}
	for (const childKey of [...(state.children.get(owner.key) ?? [])]) {
		const child = state.elementInstances.get(childKey);
		if (child && child.state !== "TERMINATING") {
			context.command(ValueType.PROCESS_INSTANCE, ProcessInstanceIntent.TERMINATE_ELEMENT, childKey, child.value);
		}
	}
}

/** The incident message of an uncaught error (Zeebe's wording). */
export function uncaughtErrorMessage(errorCode: string, errorMessage: string): string {
	const withMessage = errorMessage ? ` with message '${errorMessage}'` : "";
	return `Expected to throw an error event with the code '${errorCode}'${withMessage}, but it was not caught. No error events are available in the scope.`;
}

/**
 * A non-interrupting catch (boundary event or event sub-process start, §5.2/§6): the payload waits under
 * the catch event's new key, and the event (or its event sub-process) starts beside the activity.
 */
export function triggerNonInterruptingCatch(
	context: ProcessingContext,
	owner: ElementInstance,
	catchEvent: ExecutableElement,
	variables: Record<string, unknown>,
): void {
	const state = context.state;
	const model = modelOf(context, owner);
	const catchKey = context.nextKey();
	context.event(ValueType.PROCESS_EVENT, "TRIGGERING", catchKey, {
		scopeKey: catchKey,
		targetElementId: catchEvent.id,
		variables,
		processDefinitionKey: owner.value.processDefinitionKey,
		processInstanceKey: owner.value.processInstanceKey,
		tenantId: owner.value.tenantId,
	});
	if (catchEvent.type === BpmnElementType.BOUNDARY_EVENT) {
		const scope = state.elementInstances.get(owner.value.flowScopeKey);
		if (scope) activateChild(context, scope, catchEvent, catchKey);
		return;
	}
	if (!catchEvent.flowScopeId) return;
	const subProcessKey = context.nextKey();
	context.eventSubProcessStarts.set(subProcessKey, catchKey);
	activateChild(context, owner, model.elements[catchEvent.flowScopeId], subProcessKey);
}
