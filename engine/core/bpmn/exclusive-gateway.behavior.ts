import type { ExecutableElement } from "../../bpmn/executable-model";
import { evaluateCondition } from "../../feel/feel-evaluator";
import type { ElementInstance } from "../engine-state";
import type { ProcessingContext } from "../processing-context";
import { ErrorType, ProcessInstanceIntent, ValueType } from "../protocol";
import { visibleVariables } from "../variables/variable-behavior";
import { completeElement, modelOf } from "./element-lifecycle";
import { raiseIncident } from "./incident.behavior";

/**
 * Exclusive gateway (§7): no outgoing flow = implicit end; one flow without condition = take it;
 * else the first condition (model order, default flow skipped) that is `true`, else the default flow,
 * else CONDITION_ERROR. A condition that fails or is not boolean is EXTRACT_VALUE_ERROR, never "false".
 */
export function activateExclusiveGateway(
	context: ProcessingContext,
	instance: ElementInstance,
	element: ExecutableElement,
): void {
	const model = modelOf(context, instance);
	let chosen: string | undefined;
	const single = element.outgoing.length === 1 ? model.elements[element.outgoing[0]] : undefined;
	if (element.outgoing.length === 0) {
		chosen = undefined;
	} else if (single && !single.condition) {
		chosen = single.id;
	} else {
		const variables = visibleVariables(context.state, instance.key);
		for (const flowId of element.outgoing) {
			const flow = model.elements[flowId];
			if (flowId === element.defaultFlowId || !flow.condition) continue;
			const result = evaluateCondition(flow.condition, variables, context.now);
			if (!result.ok) {
				raiseIncident(context, instance, ErrorType.EXTRACT_VALUE_ERROR, result.message);
				return;
			}
			if (result.value === true) {
				chosen = flowId;
				break;
			}
		}
		chosen ??= element.defaultFlowId;
		if (!chosen) {
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
	completeElement(context, instance, element, chosen ? [chosen] : []);
}
