import { modelOf } from "../bpmn/element-lifecycle";
import { triggerEventBasedGateway } from "../bpmn/event-based-gateway.behavior";
import {
	triggerErrorCatch as triggerInterruptingCatch,
	triggerNonInterruptingCatch,
} from "../bpmn/error-catch.behavior";
import { createTimer, timerValue } from "../bpmn/timer.behavior";
import { nextOccurrence } from "../bpmn/timer-schedule";
import type { Timer } from "../engine-state";
import type { ProcessingContext, QueuedCommand } from "../processing-context";
import { BpmnElementType, ProcessInstanceIntent, RejectionType, TimerIntent, ValueType } from "../protocol";
import { startProcessInstance } from "./process-instance-creation.processor";

/** Schedules the next occurrence of a cycle (§6: counted from the due date, no drift). */
function rearm(context: ProcessingContext, timer: Timer, owner: { key: number; processInstanceKey: number }): void {
	if (!timer.interval || timer.repetitions === 1) return;
	const model = context.state.processes.get(timer.processDefinitionKey)?.model;
	const target = model?.elements[timer.targetElementId];
	if (!target) return;
	createTimer(
		context,
		{ ...owner, processDefinitionKey: timer.processDefinitionKey, tenantId: timer.tenantId },
		target,
		{
			dueDate: nextOccurrence(timer.dueDate, timer.interval),
			repetitions: timer.repetitions < 0 ? -1 : timer.repetitions - 1,
			interval: timer.interval,
		},
	);
}

/**
 * TIMER TRIGGER (from dueWork): the timer fires (§6). A catch event completes; an interrupting boundary
 * event or event sub-process takes over its activity / scope; a non-interrupting one starts beside it
 * (and a cycle re-arms); a timer start event creates an instance.
 */
export function processTimerTrigger(context: ProcessingContext, command: QueuedCommand): void {
	const state = context.state;
	const timer = state.timers.get(command.record.key);
	if (!timer) {
		context.reject(
			command,
			RejectionType.NOT_FOUND,
			`Expected to trigger timer with key '${command.record.key}', but no such timer was found (it was triggered or canceled)`,
		);
		return;
	}
	if (timer.dueDate > context.now) {
		context.reject(
			command,
			RejectionType.INVALID_STATE,
			`Expected to trigger timer with key '${timer.key}', but it is due only at ${timer.dueDate}`,
		);
		return;
	}
	if (timer.elementInstanceKey < 0) {
		const definition = state.processes.get(timer.processDefinitionKey);
		context.event(ValueType.TIMER, TimerIntent.TRIGGERED, timer.key, timerValue(timer));
		if (!definition) return;
		startProcessInstance(context, definition, {}, [timer.targetElementId]);
		rearm(context, timer, { key: -1, processInstanceKey: -1 });
		return;
	}
	const instance = state.elementInstances.get(timer.elementInstanceKey);
	if (instance?.state !== "ACTIVATED") {
		context.reject(
			command,
			RejectionType.INVALID_STATE,
			`Expected to trigger timer with key '${timer.key}', but its element instance '${timer.elementInstanceKey}' is not active`,
		);
		return;
	}
	const model = modelOf(context, instance);
	const target = model.elements[timer.targetElementId];
	context.event(ValueType.TIMER, TimerIntent.TRIGGERED, timer.key, timerValue(timer));
	if (instance.value.bpmnElementType === BpmnElementType.EVENT_BASED_GATEWAY) {
		triggerEventBasedGateway(context, instance, target, {});
		return;
	}
	if (target.type === BpmnElementType.INTERMEDIATE_CATCH_EVENT) {
		context.command(ValueType.PROCESS_INSTANCE, ProcessInstanceIntent.COMPLETE_ELEMENT, instance.key, instance.value);
		return;
	}
	if (target.interrupting !== false) {
		const alreadyInterrupted = instance.interruptedBy !== undefined && state.eventTriggers.has(instance.interruptedBy);
		if (!alreadyInterrupted) triggerInterruptingCatch(context, { owner: instance, catchEvent: target }, {});
		return;
	}
	triggerNonInterruptingCatch(context, instance, target, {});
	rearm(context, timer, { key: instance.key, processInstanceKey: instance.value.processInstanceKey });
}
