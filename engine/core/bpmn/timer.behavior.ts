import type { ExecutableElement } from "../../bpmn/executable-model";
import { evaluateProperty } from "../../feel/feel-evaluator";
import type { ElementInstance } from "../engine-state";
import type { ProcessingContext } from "../processing-context";
import { BpmnEventType, ErrorType, TimerIntent, ValueType } from "../protocol";
import { visibleVariables } from "../variables/variable-behavior";
import { activateAndComplete, markActivated, modelOf } from "./element-lifecycle";
import { raiseIncident } from "./incident.behavior";
import { type TimerSchedule, timerSchedule } from "./timer-schedule";

/**
 * Timer subscriptions (zeebe-behaviour.md §6): a timer catch event waits for its own timer; an activity
 * opens the timers of its boundary events, a container those of its event sub-process start events, when
 * it is activated; all are canceled when the element is left.
 */

/** Evaluates a timer definition (static ISO text or expression) into its schedule, or an error message. */
export function evaluateTimer(
	element: ExecutableElement,
	variables: () => Record<string, unknown>,
	now: number,
): TimerSchedule | string {
	const timer = element.timer!;
	const isExpression = timer.expression.startsWith("=");
	const evaluated = evaluateProperty(timer.expression, isExpression ? variables() : {}, now);
	if (!evaluated.ok) return evaluated.message;
	return timerSchedule(timer.kind, evaluated.value, now);
}

/** Writes TIMER CREATED for `target`, owned by `owner` (-1 for a start event timer). */
export function createTimer(
	context: ProcessingContext,
	owner: { key: number; processInstanceKey: number; processDefinitionKey: number; tenantId: string },
	target: ExecutableElement,
	schedule: TimerSchedule,
): void {
	context.event(ValueType.TIMER, TimerIntent.CREATED, context.nextKey(), {
		elementInstanceKey: owner.key,
		processInstanceKey: owner.processInstanceKey,
		processDefinitionKey: owner.processDefinitionKey,
		dueDate: schedule.dueDate,
		targetElementId: target.id,
		repetitions: schedule.repetitions,
		...(schedule.interval ? { interval: schedule.interval } : {}),
		tenantId: owner.tenantId,
	});
}

function ownerOf(instance: ElementInstance) {
	return {
		key: instance.key,
		processInstanceKey: instance.value.processInstanceKey,
		processDefinitionKey: instance.value.processDefinitionKey,
		tenantId: instance.value.tenantId,
	};
}

/**
 * Opens the boundary and event-sub-process timers an element owns. Returns false (after raising an
 * EXTRACT_VALUE_ERROR incident) when a timer cannot be evaluated. Idempotent: an element whose timers
 * are open (activation re-run after an incident) opens none again.
 */
export function openOwnedTimers(
	context: ProcessingContext,
	instance: ElementInstance,
	element: ExecutableElement,
): boolean {
	const model = modelOf(context, instance);
	const innerInstance = element.multiInstance && instance.value.bpmnElementType !== "MULTI_INSTANCE_BODY";
	const ids = [
		...(innerInstance ? [] : (element.boundaryEventIds ?? [])),
		...(element.eventSubProcessStartIds ?? []),
		...(element.eventGatewayTargetIds ?? []),
	];
	const timerEvents = ids
		.map((id) => model.elements[id])
		.filter((event) => event.eventType === BpmnEventType.TIMER && event.timer);
	if (timerEvents.length === 0 || context.state.timersByElement.has(instance.key)) return true;
	let cached: Record<string, unknown> | undefined;
	const variables = () => (cached ??= visibleVariables(context.state, instance.key));
	const schedules: Array<[ExecutableElement, TimerSchedule]> = [];
	for (const event of timerEvents) {
		const schedule = evaluateTimer(event, variables, context.now);
		if (typeof schedule === "string") {
			raiseIncident(context, instance, ErrorType.EXTRACT_VALUE_ERROR, `${event.id}: ${schedule}`);
			return false;
		}
		schedules.push([event, schedule]);
	}
	for (const [event, schedule] of schedules) createTimer(context, ownerOf(instance), event, schedule);
	return true;
}

/** Cancels every timer an element instance owns (it is completing or terminating). */
export function cancelOwnedTimers(context: ProcessingContext, instance: ElementInstance): void {
	const keys = context.state.timersByElement.get(instance.key);
	if (!keys) return;
	for (const key of [...keys]) {
		const timer = context.state.timers.get(key);
		if (timer) context.event(ValueType.TIMER, TimerIntent.CANCELED, key, timerValue(timer));
	}
}

/** The record value of a stored timer. */
export function timerValue(timer: object & { key: number }): Record<string, unknown> {
	const { key: _key, ...value } = timer;
	return value;
}

/** Intermediate timer catch event: create its timer and wait (the trigger completes it). */
export function activateTimerCatchEvent(
	context: ProcessingContext,
	instance: ElementInstance,
	element: ExecutableElement,
): void {
	if (context.state.eventTriggers.has(instance.key)) {
		// Reached through an event-based gateway whose timer already fired.
		activateAndComplete(context, instance);
		return;
	}
	if (!context.state.timersByElement.has(instance.key)) {
		const schedule = evaluateTimer(element, () => visibleVariables(context.state, instance.key), context.now);
		if (typeof schedule === "string") {
			raiseIncident(context, instance, ErrorType.EXTRACT_VALUE_ERROR, schedule);
			return;
		}
		createTimer(context, ownerOf(instance), element, schedule);
	}
	markActivated(context, instance);
}
