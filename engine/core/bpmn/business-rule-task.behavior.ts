import type { ExecutableElement } from "../../bpmn/executable-model";
import { evaluateProperty, feelTypeName } from "../../feel/feel-evaluator";
import { type ElementInstance, latestDecision } from "../engine-state";
import type { ProcessingContext } from "../processing-context";
import { ErrorType, ValueType } from "../protocol";
import { visibleVariables } from "../variables/variable-behavior";
import { evaluateDeployedDecision } from "./decision.behavior";
import { activateAndComplete } from "./element-lifecycle";
import { raiseIncident } from "./incident.behavior";

/**
 * Business rule task with `zeebe:calledDecision` (§1.2): evaluates the latest version of the decision in
 * the task's scope; the result becomes `{resultVariable: result}`, handled like job variables on
 * completion. Not deployed → CALLED_DECISION_ERROR; evaluation failure → DECISION_EVALUATION_ERROR.
 */
export function activateBusinessRuleTask(
	context: ProcessingContext,
	instance: ElementInstance,
	element: ExecutableElement,
): void {
	const called = element.calledDecision!;
	const variables = visibleVariables(context.state, instance.key);
	const id = evaluateProperty(called.decisionId, called.decisionId.startsWith("=") ? variables : {}, context.now);
	if (!id.ok || typeof id.value !== "string") {
		const reason = id.ok
			? `Expected result of the expression '${called.decisionId.slice(1)}' to be 'STRING', but was '${feelTypeName(id.value)}'.`
			: id.message;
		raiseIncident(context, instance, ErrorType.EXTRACT_VALUE_ERROR, reason);
		return;
	}
	const decision = latestDecision(context.state, id.value, instance.value.tenantId);
	if (!decision) {
		raiseIncident(
			context,
			instance,
			ErrorType.CALLED_DECISION_ERROR,
			`Expected to evaluate decision '${id.value}', but no decision found for id '${id.value}'. Deploy the DMN resource first.`,
		);
		return;
	}
	const evaluation = evaluateDeployedDecision(context.state, decision, variables, context.now, {
		bpmnProcessId: instance.value.bpmnProcessId,
		processDefinitionKey: instance.value.processDefinitionKey,
		processInstanceKey: instance.value.processInstanceKey,
		elementId: instance.value.elementId,
		elementInstanceKey: instance.key,
	});
	// The record describes the decision's evaluation, not the whole variable scope of the task.
	const recordValue = { ...evaluation.recordValue, variables: {} };
	if (!evaluation.ok) {
		context.event(ValueType.DECISION_EVALUATION, "FAILED", context.nextKey(), recordValue);
		raiseIncident(context, instance, ErrorType.DECISION_EVALUATION_ERROR, evaluation.message);
		return;
	}
	context.event(ValueType.DECISION_EVALUATION, "EVALUATED", context.nextKey(), recordValue);
	context.event(ValueType.PROCESS_EVENT, "TRIGGERING", instance.key, {
		scopeKey: instance.key,
		targetElementId: element.id,
		variables: { [called.resultVariable]: evaluation.output },
		processDefinitionKey: instance.value.processDefinitionKey,
		processInstanceKey: instance.value.processInstanceKey,
		tenantId: instance.value.tenantId,
	});
	activateAndComplete(context, instance);
}
