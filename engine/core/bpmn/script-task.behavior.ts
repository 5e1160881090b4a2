import type { ExecutableElement } from "../../bpmn/executable-model";
import { evaluateFeel } from "../../feel/feel-evaluator";
import type { ElementInstance } from "../engine-state";
import type { ProcessingContext } from "../processing-context";
import { ErrorType, ValueType } from "../protocol";
import { visibleVariables } from "../variables/variable-behavior";
import { activateAndComplete } from "./element-lifecycle";
import { raiseIncident } from "./incident.behavior";

/**
 * Script task with `zeebe:script`: the FEEL result becomes `{resultVariable: result}`, handled on
 * completion like job variables (§3.2). A failing expression is an EXTRACT_VALUE_ERROR incident.
 */
export function activateScriptTask(
	context: ProcessingContext,
	instance: ElementInstance,
	element: ExecutableElement,
): void {
	const script = element.script!;
	const expression = script.expression.startsWith("=") ? script.expression.slice(1) : script.expression;
	const result = evaluateFeel(expression, visibleVariables(context.state, instance.key), context.now);
	if (!result.ok) {
		raiseIncident(context, instance, ErrorType.EXTRACT_VALUE_ERROR, result.message);
		return;
	}
	context.event(ValueType.PROCESS_EVENT, "TRIGGERING", instance.key, {
		scopeKey: instance.key,
		targetElementId: element.id,
		variables: { [script.resultVariable]: result.value },
		processDefinitionKey: instance.value.processDefinitionKey,
		processInstanceKey: instance.value.processInstanceKey,
		tenantId: instance.value.tenantId,
	});
	activateAndComplete(context, instance);
}
