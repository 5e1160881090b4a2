import type { ExecutableElement } from "../../bpmn/executable-model";
import { evaluateCondition } from "../../feel/feel-evaluator";
import type { ElementInstance } from "../engine-state";
import type { ProcessingContext } from "../processing-context";
import { ErrorType, ProcessInstanceIntent, ValueType } from "../protocol";
import { visibleVariables } from "../variables/variable-behavior";
import { completeElement, modelOf } from "./element-lifecycle";
import { raiseIncident } from "./incident.behavior";

/**
 * Inclusive gateway (§7): forks into every outgoing flow whose condition is true (a failing or
 * non-boolean condition is EXTRACT_VALUE_ERROR); none true → the default flow; no default →
 * CONDITION_ERROR. As a join it is activated by `takeSequenceFlow` / `childrenSettled`.
 */
export function activateInclusiveGateway(
	context: ProcessingContext,
	instance: ElementInstance,
	element: ExecutableElement,
): void {
	const model = modelOf(context, instance);
	let chosen: string[] = [];
	const single = element.outgoing.length === 1 ? model.elements[element.outgoing[0]] : undefined;
	if (single && !single.condition) {
		chosen = [single.id];
	} else if (element.outgoing.length > 0) {
		const variables = visibleVariables(context.state, instance.key);
		for (const flowId of element.outgoing) {
			const flow = model.elements[flowId];
			if (flowId === element.defaultFlowId || !flow.condition) continue;
			const result = evaluateCondition(flow.condition, variables, context.now);
			if (!result.ok) {
				raiseIncident(context, instance, ErrorType.EXTRACT_VALUE_ERROR, result.message);
				return;
			}
			if (result.value === true) chosen.push(flowId);
		}
		if (chosen.length === 0 && element.defaultFlowId) chosen = [element.defaultFlowId];
		if (chosen.length === 0) {
			raiseIncident(
				context,
				instance,
				ErrorType.CONDITION_ERROR,
				"Expected at least one condition to evaluate to true, or to have a default flow",
			);
			return;
		}
	}
	context.event(ValueType.PROCESS_INSTANCE, ProcessInstanceIntent.ELEMENT_ACTIVATED, instance.key, instance.value);
	context.event(ValueType.PROCESS_INSTANCE, ProcessInstanceIntent.ELEMENT_COMPLETING, instance.key, instance.value);
	completeElement(context, instance, element, chosen);
}
