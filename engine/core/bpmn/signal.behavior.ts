import type { ExecutableElement } from "../../bpmn/executable-model";
import { evaluateProperty, feelTypeName } from "../../feel/feel-evaluator";
import type { ElementInstance, SignalSubscription } from "../engine-state";
import type { ProcessingContext } from "../processing-context";
import { BpmnElementType, BpmnEventType, ErrorType, ProcessInstanceIntent, SignalIntent, ValueType } from "../protocol";
import { startProcessInstance } from "../processors/process-instance-creation.processor";
import { visibleVariables } from "../variables/variable-behavior";
import { activateAndComplete, modelOf } from "./element-lifecycle";
import { triggerErrorCatch, triggerNonInterruptingCatch } from "./error-catch.behavior";
import { raiseIncident } from "./incident.behavior";

/**
 * Signals (zeebe-behaviour.md §8.3): no correlation key, no buffering; a broadcast triggers every open
 * subscription of that name (catch events, boundary events, event sub-process starts) and starts one
 * instance per process with a signal start event.
 */

function evaluateName(element: ExecutableElement, variables: () => Record<string, unknown>, now: number) {
	const text = element.signal!.name;
	const result = evaluateProperty(text, text.startsWith("=") ? variables() : {}, now);
	if (!result.ok) return result;
	if (typeof result.value !== "string") {
		return {
			ok: false as const,
			message: `Expected result of the expression '${text.slice(1)}' to be 'STRING', but was '${feelTypeName(result.value)}'.`,
		};
	}
	return { ok: true as const, value: result.value };
}

/** Opens the signal subscriptions of an element (itself, its boundary events, its ESP starts); false after an incident. */
export function openSignalSubscriptions(
	context: ProcessingContext,
	instance: ElementInstance,
	element: ExecutableElement,
): boolean {
	const state = context.state;
	const model = modelOf(context, instance);
	const events: ExecutableElement[] = [];
	const ownsItself = element.type === BpmnElementType.INTERMEDIATE_CATCH_EVENT && element.signal;
	if (ownsItself && !state.eventTriggers.has(instance.key)) events.push(element);
	const innerInstance = element.multiInstance && instance.value.bpmnElementType !== BpmnElementType.MULTI_INSTANCE_BODY;
	for (const id of [
		...(innerInstance ? [] : (element.boundaryEventIds ?? [])),
		...(element.eventSubProcessStartIds ?? []),
	]) {
		const event = model.elements[id];
		if (event.eventType === BpmnEventType.SIGNAL && event.signal) events.push(event);
	}
	if (events.length === 0 || state.signalSubscriptionsByElement.has(instance.key)) return true;
	let cached: Record<string, unknown> | undefined;
	const variables = () => (cached ??= visibleVariables(state, instance.key));
	const names: string[] = [];
	for (const event of events) {
		const name = evaluateName(event, variables, context.now);
		if (!name.ok) {
			raiseIncident(context, instance, ErrorType.EXTRACT_VALUE_ERROR, name.message);
			return false;
		}
		names.push(name.value);
	}
	events.forEach((event, index) => {
		context.event(ValueType.SIGNAL_SUBSCRIPTION, "CREATED", context.nextKey(), {
			elementInstanceKey: instance.key,
			processInstanceKey: instance.value.processInstanceKey,
			processDefinitionKey: instance.value.processDefinitionKey,
			bpmnProcessId: instance.value.bpmnProcessId,
			signalName: names[index],
			elementId: event.id,
			interrupting: event.interrupting !== false,
			tenantId: instance.value.tenantId,
		});
	});
	return true;
}

function subscriptionValue(subscription: SignalSubscription): Record<string, unknown> {
	const { key: _key, ...value } = subscription;
	return value;
}

export function closeSignalSubscriptions(context: ProcessingContext, instance: ElementInstance): void {
	const keys = context.state.signalSubscriptionsByElement.get(instance.key);
	if (!keys) return;
	for (const key of [...keys]) {
		const subscription = context.state.signalSubscriptions.get(key);
		if (subscription) context.event(ValueType.SIGNAL_SUBSCRIPTION, "DELETED", key, subscriptionValue(subscription));
	}
}

/** Writes BROADCASTED and triggers every subscription of the signal. Returns the BROADCASTED record. */
export function broadcastSignal(
	context: ProcessingContext,
	signalName: string,
	variables: Record<string, unknown>,
	tenantId: string,
) {
	const state = context.state;
	const broadcasted = context.event(ValueType.SIGNAL, SignalIntent.BROADCASTED, context.nextKey(), {
		signalName,
		variables,
		tenantId,
	});
	for (const key of [...(state.signalSubscriptionsByName.get(signalName) ?? [])]) {
		const subscription = state.signalSubscriptions.get(key);
		if (!subscription || subscription.tenantId !== tenantId) continue;
		if (subscription.elementInstanceKey < 0) {
			const definition = state.processes.get(subscription.processDefinitionKey);
			if (definition) startProcessInstance(context, definition, variables, [subscription.elementId]);
			continue;
		}
		const owner = state.elementInstances.get(subscription.elementInstanceKey);
		if (owner?.state !== "ACTIVATED") continue;
		if (owner.interruptedBy !== undefined && state.eventTriggers.has(owner.interruptedBy)) continue;
		const target = modelOf(context, owner).elements[subscription.elementId];
		if (target.id === owner.value.elementId) {
			context.event(ValueType.SIGNAL_SUBSCRIPTION, "DELETED", key, subscriptionValue(subscription));
			context.event(ValueType.PROCESS_EVENT, "TRIGGERING", owner.key, {
				scopeKey: owner.key,
				targetElementId: target.id,
				variables,
				processDefinitionKey: owner.value.processDefinitionKey,
				processInstanceKey: owner.value.processInstanceKey,
				tenantId: owner.value.tenantId,
			});
			context.command(ValueType.PROCESS_INSTANCE, ProcessInstanceIntent.COMPLETE_ELEMENT, owner.key, owner.value);
		} else if (subscription.interrupting) {
			triggerErrorCatch(context, { owner, catchEvent: target }, variables);
		} else {
			triggerNonInterruptingCatch(context, owner, target, variables);
		}
	}
	return broadcasted;
}

/** Signal intermediate throw / end event: broadcasts, then continues. */
export function activateSignalThrow(
	context: ProcessingContext,
	instance: ElementInstance,
	element: ExecutableElement,
): void {
	const name = evaluateName(element, () => visibleVariables(context.state, instance.key), context.now);
	if (!name.ok) {
		raiseIncident(context, instance, ErrorType.EXTRACT_VALUE_ERROR, name.message);
		return;
	}
	broadcastSignal(context, name.value, {}, instance.value.tenantId);
	activateAndComplete(context, instance);
}
