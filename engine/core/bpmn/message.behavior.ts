import type { ExecutableElement } from "../../bpmn/executable-model";
import { evaluateProperty, feelTypeName } from "../../feel/feel-evaluator";
import { type ElementInstance, type MessageSubscription, messageIndexKey } from "../engine-state";
import type { ProcessingContext } from "../processing-context";
import { BpmnElementType, BpmnEventType, ErrorType, ProcessInstanceIntent, ValueType } from "../protocol";
import { visibleVariables } from "../variables/variable-behavior";
import { modelOf } from "./element-lifecycle";
import { triggerErrorCatch, triggerNonInterruptingCatch } from "./error-catch.behavior";
import { triggerEventBasedGateway } from "./event-based-gateway.behavior";
import { raiseIncident } from "./incident.behavior";

/**
 * Message subscriptions and correlation (zeebe-behaviour.md §5.2): opened when the catching element (or
 * the activity / scope owning message boundary events and event sub-processes) is activated, with name
 * and correlation key evaluated once; closed when it is left.
 */

type Evaluated = { ok: true; name: string; correlationKey: string } | { ok: false; message: string };

function evaluateMessage(element: ExecutableElement, variables: () => Record<string, unknown>, now: number): Evaluated {
	const message = element.message!;
	const name = evaluateProperty(message.name, message.name.startsWith("=") ? variables() : {}, now);
	if (!name.ok) return name;
	if (typeof name.value !== "string") {
		return {
			ok: false,
			message: `Expected result of the expression '${message.name.slice(1)}' to be 'STRING', but was '${feelTypeName(name.value)}'.`,
		};
	}
	const keyText = message.correlationKey ?? "";
	const key = evaluateProperty(keyText, keyText.startsWith("=") ? variables() : {}, now);
	if (!key.ok) return key;
	// A correlation key is a string or a number (numbers become their integer text), nothing else (§5.2).
	if (typeof key.value === "number")
		return { ok: true, name: name.value, correlationKey: String(Math.trunc(key.value)) };
	if (typeof key.value !== "string") {
		return {
			ok: false,
			message: `Failed to extract the correlation key for '${keyText.replace(/^=/, "")}': The value must be either a string or a number, but was '${feelTypeName(key.value)}'.`,
		};
	}
	return { ok: true, name: name.value, correlationKey: key.value };
}

/** The message events an element instance subscribes for: itself, its boundary events, its ESP starts. */
function messageEvents(
	context: ProcessingContext,
	instance: ElementInstance,
	element: ExecutableElement,
): ExecutableElement[] {
	const model = modelOf(context, instance);
	const events: ExecutableElement[] = [];
	const ownsItself =
		element.type === BpmnElementType.INTERMEDIATE_CATCH_EVENT || element.type === BpmnElementType.RECEIVE_TASK;
	// A catch event reached through an event-based gateway already has its message.
	const alreadyTriggered = context.state.eventTriggers.has(instance.key);
	if (ownsItself && element.message && !alreadyTriggered) events.push(element);
	const innerInstance = element.multiInstance && instance.value.bpmnElementType !== BpmnElementType.MULTI_INSTANCE_BODY;
	const owned = [
		...(innerInstance ? [] : (element.boundaryEventIds ?? [])),
		...(element.eventSubProcessStartIds ?? []),
		...(element.eventGatewayTargetIds ?? []),
	];
	for (const id of owned) {
		const event = model.elements[id];
		if (event.eventType === BpmnEventType.MESSAGE && event.message) events.push(event);
	}
	return events;
}

/** Opens the message subscriptions of an element; false after raising an incident. Idempotent. */
export function openMessageSubscriptions(
	context: ProcessingContext,
	instance: ElementInstance,
	element: ExecutableElement,
): boolean {
	const events = messageEvents(context, instance, element);
	if (events.length === 0 || context.state.subscriptionsByElement.has(instance.key)) return true;
	let cached: Record<string, unknown> | undefined;
	const variables = () => (cached ??= visibleVariables(context.state, instance.key));
	const evaluated: Array<[ExecutableElement, { name: string; correlationKey: string }]> = [];
	for (const event of events) {
		const result = evaluateMessage(event, variables, context.now);
		if (!result.ok) {
			raiseIncident(context, instance, ErrorType.EXTRACT_VALUE_ERROR, result.message);
			return false;
		}
		evaluated.push([event, result]);
	}
	for (const [event, message] of evaluated) {
		context.event(ValueType.PROCESS_MESSAGE_SUBSCRIPTION, "CREATED", context.nextKey(), {
			subscriptionPartitionId: 1,
			elementInstanceKey: instance.key,
			processInstanceKey: instance.value.processInstanceKey,
			processDefinitionKey: instance.value.processDefinitionKey,
			bpmnProcessId: instance.value.bpmnProcessId,
			messageName: message.name,
			correlationKey: message.correlationKey,
			elementId: event.id,
			interrupting: event.interrupting !== false,
			messageKey: -1,
			variables: {},
			tenantId: instance.value.tenantId,
		});
	}
	return true;
}

/** Closes every subscription an element instance owns (it is completing or terminating). */
export function closeMessageSubscriptions(context: ProcessingContext, instance: ElementInstance): void {
	const keys = context.state.subscriptionsByElement.get(instance.key);
	if (!keys) return;
	for (const key of [...keys]) {
		const subscription = context.state.subscriptions.get(key);
		if (!subscription) continue;
		const { key: _key, ...value } = subscription;
		context.event(ValueType.PROCESS_MESSAGE_SUBSCRIPTION, "DELETED", key, { ...value, messageKey: -1, variables: {} });
	}
}

/**
 * Delivers a message to a subscription: the catch event completes with the payload as its result, or
 * the boundary event / event sub-process takes over. Returns false when the owner cannot take it now.
 */
export function correlateSubscription(
	context: ProcessingContext,
	subscription: MessageSubscription,
	messageKey: number,
	variables: Record<string, unknown>,
): boolean {
	const state = context.state;
	const owner = state.elementInstances.get(subscription.elementInstanceKey);
	if (owner?.state !== "ACTIVATED") return false;
	const interrupted = owner.interruptedBy !== undefined && state.eventTriggers.has(owner.interruptedBy);
	if (interrupted || owner.terminatedByEndEvent) return false;
	const { key: _key, ...value } = subscription;
	context.event(ValueType.PROCESS_MESSAGE_SUBSCRIPTION, "CORRELATED", subscription.key, {
		...value,
		messageKey,
		variables,
	});
	const target = modelOf(context, owner).elements[subscription.elementId];
	if (target.id === owner.value.elementId) {
		context.event(ValueType.PROCESS_EVENT, "TRIGGERING", owner.key, {
			scopeKey: owner.key,
			targetElementId: target.id,
			variables,
			processDefinitionKey: owner.value.processDefinitionKey,
			processInstanceKey: owner.value.processInstanceKey,
			tenantId: owner.value.tenantId,
		});
		context.command(ValueType.PROCESS_INSTANCE, ProcessInstanceIntent.COMPLETE_ELEMENT, owner.key, owner.value);
	} else if (owner.value.bpmnElementType === BpmnElementType.EVENT_BASED_GATEWAY) {
		triggerEventBasedGateway(context, owner, target, variables);
	} else if (subscription.interrupting) {
		triggerErrorCatch(context, { owner, catchEvent: target }, variables);
	} else {
		triggerNonInterruptingCatch(context, owner, target, variables);
	}
	return true;
}

/** On opening, the buffer is searched FIFO for a live message not yet correlated to this process id (§5.2). */
export function correlateBufferedMessages(context: ProcessingContext, instance: ElementInstance): void {
	const state = context.state;
	const keys = state.subscriptionsByElement.get(instance.key);
	if (!keys || state.messages.size === 0) return;
	for (const key of [...keys]) {
		const subscription = state.subscriptions.get(key);
		if (!subscription) continue;
		const wanted = messageIndexKey(subscription.messageName, subscription.correlationKey);
		for (const message of state.messages.values()) {
			if (messageIndexKey(message.name, message.correlationKey) !== wanted || message.deadline <= context.now) continue;
			if (message.tenantId !== subscription.tenantId) continue;
			if (state.messageCorrelations.get(message.key)?.includes(subscription.bpmnProcessId)) continue;
			if (correlateSubscription(context, subscription, message.key, message.variables)) {
				if (subscription.interrupting) return;
				break;
			}
		}
	}
}
