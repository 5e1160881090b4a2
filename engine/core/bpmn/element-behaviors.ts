import type { ExecutableElement } from "../../bpmn/executable-model";
import type { ElementInstance } from "../engine-state";
import type { ProcessingContext } from "../processing-context";
import { BpmnElementType, BpmnEventType } from "../protocol";
import { activateAndComplete, activateChild, markActivated, modelOf } from "./element-lifecycle";
import { activateBusinessRuleTask } from "./business-rule-task.behavior";
import { activateCallActivity } from "./call-activity.behavior";
import { activateErrorEndEvent } from "./error-end-event.behavior";
import { activateEscalationThrow } from "./escalation.behavior";
import { activateExclusiveGateway } from "./exclusive-gateway.behavior";
import { activateInclusiveGateway } from "./inclusive-gateway.behavior";
import { activateJobElement } from "./job-element.behavior";
import { activateParallelGateway } from "./parallel-gateway.behavior";
import { activateScriptTask } from "./script-task.behavior";
import { consumeEventTrigger } from "./event-trigger.behavior";
import { activateSignalThrow } from "./signal.behavior";
import { activateTimerCatchEvent } from "./timer.behavior";

/** What an element kind does after ACTIVATING (and its input mappings). */
export type ActivationBehavior = (
	context: ProcessingContext,
	instance: ElementInstance,
	element: ExecutableElement,
) => void;

const passThrough: ActivationBehavior = (context, instance) => activateAndComplete(context, instance);

const container: ActivationBehavior = (context, instance, element) => {
	markActivated(context, instance);
	const model = modelOf(context, instance);
	const instructions =
		element.type === BpmnElementType.PROCESS ? context.startInstructions.get(instance.key) : undefined;
	if (instructions && instructions.length > 0) {
		for (const id of instructions) activateChild(context, instance, model.elements[id]);
		return;
	}
	if (element.noneStartEventId) activateChild(context, instance, model.elements[element.noneStartEventId]);
};

const eventSubProcess: ActivationBehavior = (context, instance) => {
	markActivated(context, instance);
	// The start event takes the key under which the error payload waits (set when the error was caught).
	const scope = context.state.elementInstances.get(instance.value.flowScopeKey);
	const triggerKey = context.eventSubProcessStarts.get(instance.key) ?? scope?.interruptedBy;
	context.eventSubProcessStarts.delete(instance.key);
	const trigger = triggerKey !== undefined ? context.state.eventTriggers.get(triggerKey) : undefined;
	if (!trigger || triggerKey === undefined) return;
	activateChild(context, instance, modelOf(context, instance).elements[trigger.elementId], triggerKey);
};

const catchEvent: ActivationBehavior = (context, instance) => {
	consumeEventTrigger(context, instance);
	activateAndComplete(context, instance);
};

const jobOrScript: ActivationBehavior = (context, instance, element) =>
	element.script ? activateScriptTask(context, instance, element) : activateJobElement(context, instance, element);

const behaviors: Record<string, ActivationBehavior> = {
	[BpmnElementType.PROCESS]: container,
	[BpmnElementType.SUB_PROCESS]: container,
	[BpmnElementType.EVENT_SUB_PROCESS]: eventSubProcess,
	[BpmnElementType.START_EVENT]: catchEvent,
	[BpmnElementType.BOUNDARY_EVENT]: catchEvent,
	[BpmnElementType.INTERMEDIATE_THROW_EVENT]: (context, instance, element) =>
		element.eventType === BpmnEventType.ESCALATION
			? activateEscalationThrow(context, instance, element)
			: element.eventType === BpmnEventType.SIGNAL
				? activateSignalThrow(context, instance, element)
				: passThrough(context, instance, element),
	[BpmnElementType.INTERMEDIATE_CATCH_EVENT]: (context, instance, element) =>
		element.eventType === BpmnEventType.TIMER
			? activateTimerCatchEvent(context, instance, element)
			: context.state.eventTriggers.has(instance.key) || element.eventType === BpmnEventType.LINK
				? activateAndComplete(context, instance)
				: markActivated(context, instance),
	[BpmnElementType.EVENT_BASED_GATEWAY]: (context, instance) => markActivated(context, instance),
	[BpmnElementType.RECEIVE_TASK]: (context, instance) => markActivated(context, instance),
	[BpmnElementType.MANUAL_TASK]: passThrough,
	[BpmnElementType.TASK]: passThrough,
	[BpmnElementType.SERVICE_TASK]: activateJobElement,
	[BpmnElementType.SEND_TASK]: activateJobElement,
	[BpmnElementType.USER_TASK]: activateJobElement,
	[BpmnElementType.SCRIPT_TASK]: jobOrScript,
	[BpmnElementType.EXCLUSIVE_GATEWAY]: activateExclusiveGateway,
	[BpmnElementType.CALL_ACTIVITY]: activateCallActivity,
	[BpmnElementType.BUSINESS_RULE_TASK]: (context, instance, element) =>
		element.calledDecision
			? activateBusinessRuleTask(context, instance, element)
			: activateJobElement(context, instance, element),
	[BpmnElementType.PARALLEL_GATEWAY]: activateParallelGateway,
	[BpmnElementType.INCLUSIVE_GATEWAY]: activateInclusiveGateway,
};

/** The activation behaviour of an element (one module per element kind). */
export function activationBehavior(element: ExecutableElement): ActivationBehavior {
	// Message throw and end events are job-based in Zeebe (§5.4).
	if (
		element.job &&
		(element.type === BpmnElementType.END_EVENT || element.type === BpmnElementType.INTERMEDIATE_THROW_EVENT)
	) {
		return activateJobElement;
	}
	if (element.type === BpmnElementType.END_EVENT) {
		if (element.eventType === BpmnEventType.ESCALATION) return activateEscalationThrow;
		if (element.eventType === BpmnEventType.SIGNAL) return activateSignalThrow;
		return element.eventType === BpmnEventType.ERROR ? activateErrorEndEvent : passThrough;
	}
	const behavior = behaviors[element.type];
	if (!behavior) {
		// The deployment validator refuses unsupported elements, so this is a bug, not a modelling error.
		throw new Error(`no activation behaviour for element '${element.id}' of type ${element.type}`);
	}
	return behavior;
}
