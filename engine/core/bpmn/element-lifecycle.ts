import type { ExecutableElement, ExecutableProcess } from "../../bpmn/executable-model";
import type { ElementInstance, ProcessInstanceValue } from "../engine-state";
import type { ProcessingContext, QueuedCommand } from "../processing-context";
import {
	BpmnElementType,
	BpmnEventType,
	ErrorType,
	ProcessInstanceIntent,
	ProcessInstanceResultIntent,
	RecordType,
	RejectionType,
	ValueType,
} from "../protocol";
import {
	localVariables,
	mergeDocument,
	mergeLocalDocument,
	selectedVariables,
	visibleVariables,
} from "../variables/variable-behavior";
import { completeCallActivity } from "./call-activity.behavior";
import {
	activateMultiInstanceBody,
	collectOutputElement,
	completeMultiInstanceBody,
	innerInstanceCompleted,
	setInnerInstanceVariables,
} from "./multi-instance.behavior";
import { activationBehavior } from "./element-behaviors";
import { raiseIncident, resolveIncidentsOf } from "./incident.behavior";
import { closeMessageSubscriptions, correlateBufferedMessages, openMessageSubscriptions } from "./message.behavior";
import { closeSignalSubscriptions, openSignalSubscriptions } from "./signal.behavior";
import { cancelOwnedTimers, openOwnedTimers } from "./timer.behavior";
import { evaluateMappings } from "./variable-mapping.behavior";

/**
 * The element-instance lifecycle shared by every element kind (zeebe-behaviour.md §2.4):
 * ACTIVATE_ELEMENT → ACTIVATING → (input mappings, kind-specific activation) → ACTIVATED;
 * COMPLETE_ELEMENT → COMPLETING → (output mappings / propagation) → COMPLETED → outgoing flows;
 * TERMINATE_ELEMENT → TERMINATING → (job, incidents, children) → TERMINATED.
 */

const containerTypes = new Set<string>([
	BpmnElementType.MULTI_INSTANCE_BODY,
	BpmnElementType.PROCESS,
	BpmnElementType.SUB_PROCESS,
	BpmnElementType.EVENT_SUB_PROCESS,
]);

export function modelOf(context: ProcessingContext, instance: { value: ProcessInstanceValue }): ExecutableProcess {
	const definition = context.state.processes.get(instance.value.processDefinitionKey);
	if (!definition) throw new Error(`process definition ${instance.value.processDefinitionKey} is not deployed`);
	return definition.model;
}

export function elementOf(context: ProcessingContext, instance: { value: ProcessInstanceValue }): ExecutableElement {
	return modelOf(context, instance).elements[instance.value.elementId];
}

/** The record value of a new child element instance of `scope`. */
export function childValue(scope: ElementInstance, element: ExecutableElement): ProcessInstanceValue {
	const parent = scope.value;
	return {
		bpmnProcessId: parent.bpmnProcessId,
		version: parent.version,
		processDefinitionKey: parent.processDefinitionKey,
		processInstanceKey: parent.processInstanceKey,
		elementId: element.id,
		flowScopeKey: scope.key,
		// A multi-instance activity is entered through its body; the body's children are the inner instances.
		bpmnElementType:
			element.multiInstance && scope.value.elementId !== element.id
				? BpmnElementType.MULTI_INSTANCE_BODY
				: element.type,
		bpmnEventType: element.eventType,
		parentProcessInstanceKey: parent.parentProcessInstanceKey,
		parentElementInstanceKey: parent.parentElementInstanceKey,
		tenantId: parent.tenantId,
	};
}

/** Writes ACTIVATE_ELEMENT for a child of `scope` (a new key unless given). */
export function activateChild(
	context: ProcessingContext,
	scope: ElementInstance,
	element: ExecutableElement,
	key = context.nextKey(),
): void {
	context.addPendingActivation(scope.key, 1);
	context.command(ValueType.PROCESS_INSTANCE, ProcessInstanceIntent.ACTIVATE_ELEMENT, key, childValue(scope, element));
}

function owner(instance: ElementInstance) {
	return instance.value;
}

// ---------------------------------------------------------------------------------------------- activate

/** ACTIVATE_ELEMENT. */
export function processActivateElement(context: ProcessingContext, command: QueuedCommand): void {
	const value = command.record.value as unknown as ProcessInstanceValue;
	const key = command.record.key;
	const state = context.state;
	if (value.flowScopeKey >= 0) context.addPendingActivation(value.flowScopeKey, -1);
	const scope = value.flowScopeKey >= 0 ? state.elementInstances.get(value.flowScopeKey) : undefined;
	if (value.flowScopeKey >= 0) {
		const interruptedBy = scope?.interruptedBy;
		const awaitedEventSubProcess =
			interruptedBy !== undefined &&
			state.eventTriggers.has(interruptedBy) &&
			value.bpmnElementType === BpmnElementType.EVENT_SUB_PROCESS;
		const scopeAcceptsChildren =
			scope !== undefined &&
			scope.state === "ACTIVATED" &&
			!scope.terminatedByEndEvent &&
			(interruptedBy === undefined || !state.eventTriggers.has(interruptedBy) || awaitedEventSubProcess);
		if (!scopeAcceptsChildren) {
			context.reject(
				command,
				RejectionType.INVALID_STATE,
				`Expected to activate element '${value.elementId}', but its flow scope with key '${value.flowScopeKey}' is not active (it is terminating, interrupted or gone)`,
			);
			if (scope) childrenSettled(context, scope);
			return;
		}
	}
	if (value.bpmnElementType === BpmnElementType.PARALLEL_GATEWAY) {
		const joinKey = `${value.flowScopeKey}:${value.elementId}`;
		const pending = context.pendingJoins.get(joinKey);
		if (pending !== undefined) {
			if (pending <= 1) context.pendingJoins.delete(joinKey);
			else context.pendingJoins.set(joinKey, pending - 1);
		}
	}
	context.event(ValueType.PROCESS_INSTANCE, ProcessInstanceIntent.ELEMENT_ACTIVATING, key, value);
	continueActivation(context, state.elementInstances.get(key)!);
}

/** The activation steps after ACTIVATING; re-run when an incident of an ACTIVATING element is resolved. */
export function continueActivation(context: ProcessingContext, instance: ElementInstance): void {
	const element = elementOf(context, instance);
	if (instance.value.bpmnElementType === BpmnElementType.MULTI_INSTANCE_BODY) {
		if (!openOwnedTimers(context, instance, element)) return;
		if (!openMessageSubscriptions(context, instance, element)) return;
		if (!openSignalSubscriptions(context, instance, element)) return;
		activateMultiInstanceBody(context, instance, element);
		if (instance.state === "ACTIVATED") correlateBufferedMessages(context, instance);
		return;
	}
	if (instance.loopCounter !== undefined && !setInnerInstanceVariables(context, instance, element)) return;
	if (element.inputs) {
		const result = evaluateMappings(element.inputs, visibleVariables(context.state, instance.key), context.now, false);
		if (!result.ok) {
			raiseIncident(context, instance, ErrorType.IO_MAPPING_ERROR, result.message);
			return;
		}
		mergeLocalDocument(context, instance.key, result.document, owner(instance));
	}
	if (!openOwnedTimers(context, instance, element)) return;
	if (!openMessageSubscriptions(context, instance, element)) return;
	if (!openSignalSubscriptions(context, instance, element)) return;
	activationBehavior(element)(context, instance, element);
	if (instance.state === "ACTIVATED") correlateBufferedMessages(context, instance);
}

/** Writes ELEMENT_ACTIVATED. */
export function markActivated(context: ProcessingContext, instance: ElementInstance): void {
	context.event(ValueType.PROCESS_INSTANCE, ProcessInstanceIntent.ELEMENT_ACTIVATED, instance.key, instance.value);
}

/** Pass-through: ACTIVATED, then COMPLETE_ELEMENT. */
export function activateAndComplete(context: ProcessingContext, instance: ElementInstance): void {
	markActivated(context, instance);
	context.command(ValueType.PROCESS_INSTANCE, ProcessInstanceIntent.COMPLETE_ELEMENT, instance.key, instance.value);
}

// ---------------------------------------------------------------------------------------------- complete

/** COMPLETE_ELEMENT. */
export function processCompleteElement(context: ProcessingContext, command: QueuedCommand): void {
	const instance = context.state.elementInstances.get(command.record.key);
	if (instance?.state !== "ACTIVATED") {
		context.reject(
			command,
			RejectionType.INVALID_STATE,
			`Expected to complete element with key '${command.record.key}', but it is ${instance ? `in state '${instance.state}'` : "not active any more"}`,
		);
		return;
	}
	context.event(ValueType.PROCESS_INSTANCE, ProcessInstanceIntent.ELEMENT_COMPLETING, instance.key, instance.value);
	cancelOwnedTimers(context, instance);
	closeMessageSubscriptions(context, instance);
	closeSignalSubscriptions(context, instance);
	continueCompletion(context, instance);
}

/**
 * Output mappings and propagation (§3.2), then COMPLETED and the outgoing flows. Re-run when an
 * incident of a COMPLETING element is resolved.
 */
export function continueCompletion(context: ProcessingContext, instance: ElementInstance): void {
	const state = context.state;
	const element = elementOf(context, instance);
	if (instance.value.bpmnElementType === BpmnElementType.MULTI_INSTANCE_BODY) {
		completeMultiInstanceBody(context, instance, element);
		return;
	}
	const isInner = instance.loopCounter !== undefined;
	const trigger = state.eventTriggers.get(instance.key);
	const isCatchEvent = element.type === BpmnElementType.START_EVENT || element.type === BpmnElementType.BOUNDARY_EVENT;
	const resultVariables = !isCatchEvent ? trigger?.variables : undefined;
	if (element.outputs) {
		if (resultVariables) mergeLocalDocument(context, instance.key, resultVariables, owner(instance));
		const result = evaluateMappings(element.outputs, visibleVariables(state, instance.key), context.now, true);
		if (!result.ok) {
			raiseIncident(context, instance, ErrorType.IO_MAPPING_ERROR, result.message);
			return;
		}
		// An inner multi-instance instance keeps mapped results in its own scope first (§3.2).
		mergeDocument(context, isInner ? instance.key : instance.value.flowScopeKey, result.document, owner(instance));
	} else if (resultVariables) {
		mergeDocument(context, instance.key, resultVariables, owner(instance));
	} else if (
		isCatchEvent &&
		instance.value.flowScopeKey >= 0 &&
		!(element.type === BpmnElementType.BOUNDARY_EVENT && element.eventType === BpmnEventType.ERROR)
	) {
		// A catch event's payload (stored as its locals) moves to the flow scope; an error boundary event
		// keeps it unless mapped (Zeebe's BpmnVariableMappingBehavior).
		const locals = localVariables(state, instance.key);
		if (Object.keys(locals).length > 0) mergeDocument(context, instance.value.flowScopeKey, locals, owner(instance));
	}
	if (isInner && !collectOutputElement(context, instance, element)) return;
	completeElement(context, instance, element, isInner ? [] : element.outgoing);
}

/** Writes COMPLETED (and the instance result), takes `flows` and, when none are taken, settles the scope. */
export function completeElement(
	context: ProcessingContext,
	instance: ElementInstance,
	element: ExecutableElement,
	flows: string[],
): void {
	const state = context.state;
	if (element.type === BpmnElementType.PROCESS) {
		const awaiting = state.awaitingResults.get(instance.key);
		if (awaiting) {
			const variables =
				awaiting.fetchVariables.length > 0
					? selectedVariables(state, instance.key, awaiting.fetchVariables)
					: localVariables(state, instance.key);
			context.responses.push({
				requestId: awaiting.requestId,
				record: {
					position: state.position,
					sourceRecordPosition: context.sourcePosition,
					key: instance.key,
					recordType: RecordType.EVENT,
					valueType: ValueType.PROCESS_INSTANCE_RESULT,
					intent: ProcessInstanceResultIntent.COMPLETED,
					timestamp: context.now,
					value: {
						processDefinitionKey: instance.value.processDefinitionKey,
						bpmnProcessId: instance.value.bpmnProcessId,
						version: instance.value.version,
						processInstanceKey: instance.key,
						tenantId: instance.value.tenantId,
						variables,
					},
				},
			});
			state.awaitingResults.delete(instance.key);
		}
	}
	const caller =
		element.type === BpmnElementType.PROCESS && instance.value.parentElementInstanceKey > 0
			? state.elementInstances.get(instance.value.parentElementInstanceKey)
			: undefined;
	const childVariables = caller ? localVariables(state, instance.key) : undefined;
	context.event(ValueType.PROCESS_INSTANCE, ProcessInstanceIntent.ELEMENT_COMPLETED, instance.key, instance.value);
	if (caller && childVariables) {
		completeCallActivity(context, caller, childVariables);
		return;
	}
	const scope = state.elementInstances.get(instance.value.flowScopeKey);
	if (!scope) return;
	if (element.type === BpmnElementType.END_EVENT && element.eventType === BpmnEventType.TERMINATE) {
		// Terminate end event (§8.5): everything else in the scope is terminated, then the scope completes.
		for (const childKey of [...(state.children.get(scope.key) ?? [])]) {
			const child = state.elementInstances.get(childKey);
			if (child && child.state !== "TERMINATING") {
				context.command(ValueType.PROCESS_INSTANCE, ProcessInstanceIntent.TERMINATE_ELEMENT, childKey, child.value);
			}
		}
	}
	const model = modelOf(context, instance);
	for (const flowId of flows) takeSequenceFlow(context, scope, model.elements[flowId], model);
	if (flows.length > 0) return;
	if (element.link?.targetId) {
		// A link throw event continues at its link catch event, without a sequence flow (§8.8).
		activateChild(context, scope, model.elements[element.link.targetId]);
		return;
	}
	if (scope.value.bpmnElementType === BpmnElementType.MULTI_INSTANCE_BODY && instance.loopCounter !== undefined) {
		innerInstanceCompleted(context, scope);
		return;
	}
	childrenSettled(context, scope);
}

/** SEQUENCE_FLOW_TAKEN, then the target's activation (a parallel join only once every incoming flow arrived). */
export function takeSequenceFlow(
	context: ProcessingContext,
	scope: ElementInstance,
	flow: ExecutableElement,
	model: ExecutableProcess,
	targetKey?: number,
): void {
	context.event(
		ValueType.PROCESS_INSTANCE,
		ProcessInstanceIntent.SEQUENCE_FLOW_TAKEN,
		context.nextKey(),
		childValue(scope, flow),
	);
	const target = model.elements[flow.targetId!];
	if (
		target.joins &&
		(target.type === BpmnElementType.PARALLEL_GATEWAY || target.type === BpmnElementType.INCLUSIVE_GATEWAY)
	) {
		const counts = scope.joinCounts?.[target.id] ?? {};
		// Arrivals are consumed when the join activates; count activations already on their way.
		const joinKey = `${scope.key}:${target.id}`;
		const pending = context.pendingJoins.get(joinKey) ?? 0;
		const everyFlowArrived = target.incoming.every((incoming) => (counts[incoming] ?? 0) > pending);
		// An inclusive join also goes on when nothing else in the scope could still arrive (§7, simplified:
		// no other active element and no other token in flight in the scope).
		const arrivals = Object.values(counts).reduce((sum, count) => sum + count, 0);
		const nothingElseRunning =
			target.type === BpmnElementType.INCLUSIVE_GATEWAY &&
			pending === 0 &&
			scope.activeChildren === 0 &&
			!context.pendingActivations.has(scope.key) &&
			scope.pendingFlows === arrivals;
		if (!everyFlowArrived && !nothingElseRunning) return;
		context.pendingJoins.set(joinKey, pending + 1);
	}
	activateChild(context, scope, target, targetKey);
}

/**
 * Called when a child of `scope` ended or was refused: completes the scope when nothing is left in it,
 * finishes its termination, or starts the interrupting event sub-process that waits for the children
 * to be gone.
 */
export function childrenSettled(context: ProcessingContext, scope: ElementInstance): void {
	const state = context.state;
	if (scope.activeChildren > 0 || context.pendingActivations.has(scope.key)) return;
	if (scope.state === "TERMINATING") {
		finishTermination(context, scope);
		return;
	}
	if (scope.state !== "ACTIVATED") return;
	const interruptedBy = scope.interruptedBy;
	const trigger = interruptedBy !== undefined ? state.eventTriggers.get(interruptedBy) : undefined;
	if (trigger) {
		const model = modelOf(context, scope);
		const startEvent = model.elements[trigger.elementId];
		if (startEvent?.type === BpmnElementType.START_EVENT && startEvent.flowScopeId) {
			activateChild(context, scope, model.elements[startEvent.flowScopeId]);
		}
		return;
	}
	if (scope.pendingFlows > 0) return;
	context.command(ValueType.PROCESS_INSTANCE, ProcessInstanceIntent.COMPLETE_ELEMENT, scope.key, scope.value);
}

// --------------------------------------------------------------------------------------------- terminate

/** TERMINATE_ELEMENT. */
export function processTerminateElement(context: ProcessingContext, command: QueuedCommand): void {
	const instance = context.state.elementInstances.get(command.record.key);
	if (!instance || instance.state === "TERMINATING") {
		context.reject(
			command,
			RejectionType.INVALID_STATE,
			`Expected to terminate element with key '${command.record.key}', but it is ${instance ? "already terminating" : "not active any more"}`,
		);
		return;
	}
	terminateElement(context, instance);
}

/** TERMINATING; cancels the job, resolves incidents, terminates children (bottom-up), then TERMINATED. */
export function terminateElement(context: ProcessingContext, instance: ElementInstance): void {
	const state = context.state;
	context.event(ValueType.PROCESS_INSTANCE, ProcessInstanceIntent.ELEMENT_TERMINATING, instance.key, instance.value);
	cancelOwnedTimers(context, instance);
	closeMessageSubscriptions(context, instance);
	closeSignalSubscriptions(context, instance);
	resolveIncidentsOf(context, instance);
	if (instance.jobKey > 0) {
		const job = state.jobs.get(instance.jobKey);
		if (job) {
			const { state: _state, key: _key, ...value } = job;
			context.event(ValueType.JOB, "CANCELED", job.key, { ...value, variables: {} });
		}
	}
	if (instance.calledChildKey !== undefined) {
		const child = state.elementInstances.get(instance.calledChildKey);
		if (child && child.state !== "TERMINATING") {
			context.command(ValueType.PROCESS_INSTANCE, ProcessInstanceIntent.TERMINATE_ELEMENT, child.key, child.value);
			return;
		}
	}
	if (containerTypes.has(instance.value.bpmnElementType)) {
		const children = state.children.get(instance.key);
		if (children && children.size > 0) {
			for (const childKey of [...children]) {
				const child = state.elementInstances.get(childKey);
				if (child && child.state !== "TERMINATING") {
					context.command(ValueType.PROCESS_INSTANCE, ProcessInstanceIntent.TERMINATE_ELEMENT, childKey, child.value);
				}
			}
			return;
		}
	}
	if (context.pendingActivations.has(instance.key)) return;
	finishTermination(context, instance);
}

/** TERMINATED; then an interrupting boundary event takes over, or the flow scope settles. */
export function finishTermination(context: ProcessingContext, instance: ElementInstance): void {
	const state = context.state;
	const interruptedBy = instance.interruptedBy;
	context.event(ValueType.PROCESS_INSTANCE, ProcessInstanceIntent.ELEMENT_TERMINATED, instance.key, instance.value);
	// A client waiting for this instance's result gets none (its request times out, as with Zeebe).
	state.awaitingResults.delete(instance.key);
	if (instance.value.bpmnElementType === BpmnElementType.PROCESS && instance.value.parentElementInstanceKey > 0) {
		// A called instance ended because its call activity is terminating: that may finish now.
		const caller = state.elementInstances.get(instance.value.parentElementInstanceKey);
		if (caller?.state === "TERMINATING") finishTermination(context, caller);
		return;
	}
	const scope = state.elementInstances.get(instance.value.flowScopeKey);
	if (!scope) return;
	const trigger = interruptedBy !== undefined ? state.eventTriggers.get(interruptedBy) : undefined;
	if (trigger && interruptedBy !== undefined) {
		const model = modelOf(context, instance);
		const catchEvent = model.elements[trigger.elementId];
		if (catchEvent?.type === BpmnElementType.BOUNDARY_EVENT && scope.state === "ACTIVATED") {
			activateChild(context, scope, catchEvent, interruptedBy);
			return;
		}
	}
	if (context.terminatedByModification.has(instance.key) && leftEmpty(context, scope)) {
		// Process instance modification (Zeebe's terminateFlowScopes): the emptied scope is terminated too.
		context.terminatedByModification.add(scope.key);
		terminateElement(context, scope);
		return;
	}
	childrenSettled(context, scope);
}

/** A scope with nothing active, nothing on its way and no token waiting at a join. */
function leftEmpty(context: ProcessingContext, scope: ElementInstance): boolean {
	return (
		scope.state === "ACTIVATED" &&
		scope.activeChildren === 0 &&
		scope.pendingFlows === 0 &&
		!context.pendingActivations.has(scope.key) &&
		!(scope.value.bpmnElementType === BpmnElementType.PROCESS && scope.value.parentProcessInstanceKey > 0)
	);
}

/** Rejects a lifecycle command about an instance that cannot take it. */
export function isContainer(type: string): boolean {
	return containerTypes.has(type);
}
