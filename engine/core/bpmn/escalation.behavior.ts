import type { ExecutableElement } from "../../bpmn/executable-model";
import { evaluateProperty, feelTypeName } from "../../feel/feel-evaluator";
import type { ElementInstance } from "../engine-state";
import type { ProcessingContext } from "../processing-context";
import { BpmnEventType, ErrorType, ValueType } from "../protocol";
import { visibleVariables } from "../variables/variable-behavior";
import { activateAndComplete } from "./element-lifecycle";
import { findErrorCatch, triggerErrorCatch, triggerNonInterruptingCatch } from "./error-catch.behavior";
import { raiseIncident } from "./incident.behavior";

/**
 * Escalation throw and end events (zeebe-behaviour.md §8.2): the code is searched from the flow scope
 * upward like an error (specific code before catch-all, across call activities). An interrupting catch
 * ends the throwing path; otherwise the throw event continues. Uncaught is no incident: NOT_ESCALATED.
 */
export function activateEscalationThrow(
	context: ProcessingContext,
	instance: ElementInstance,
	element: ExecutableElement,
): void {
	const raw = element.escalationCode ?? "";
	const evaluated = evaluateProperty(
		raw,
		raw.startsWith("=") ? visibleVariables(context.state, instance.key) : {},
		context.now,
	);
	if (!evaluated.ok || typeof evaluated.value !== "string") {
		const reason = evaluated.ok
			? `Expected result of the expression '${raw.slice(1)}' to be 'STRING', but was '${feelTypeName(evaluated.value)}'.`
			: evaluated.message;
		raiseIncident(context, instance, ErrorType.EXTRACT_VALUE_ERROR, reason);
		return;
	}
	const code = evaluated.value;
	const scope = context.state.elementInstances.get(instance.value.flowScopeKey);
	const found = findErrorCatch(context, scope, code, BpmnEventType.ESCALATION);
	context.event(ValueType.ESCALATION, found ? "ESCALATED" : "NOT_ESCALATED", context.nextKey(), {
		processInstanceKey: instance.value.processInstanceKey,
		escalationCode: code,
		throwElementId: instance.value.elementId,
		catchElementId: found?.catchEvent.id ?? "",
		tenantId: instance.value.tenantId,
	});
	if (found && found.catchEvent.interrupting !== false) {
		triggerErrorCatch(context, found, {});
		return;
	}
	if (found) triggerNonInterruptingCatch(context, found.owner, found.catchEvent, {});
	activateAndComplete(context, instance);
}
