import type { ExecutableElement } from "../../bpmn/executable-model";
import { evaluateDecision } from "../../feel/dmn-decision";
import { evaluateProperty, feelTypeName } from "../../feel/feel-evaluator";
import { decisionModel } from "../appliers/process-models";
import { type ElementInstance, latestDecision } from "../engine-state";
import type { ProcessingContext } from "../processing-context";
import { ErrorType, ValueType } from "../protocol";
import { visibleVariables } from "../variables/variable-behavior";
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
	const decision = latestDecision(context.state, id.value);
	const model = decision ? decisionModel(decision.checksum, decision.decisionId) : undefined;
	if (!decision || !model) {
		raiseIncident(
			context,
			instance,
			ErrorType.CALLED_DECISION_ERROR,
			`Expected to evaluate decision '${id.value}', but no decision found for id '${id.value}'. Deploy the DMN resource first.`,
		);
		return;
	}
	const result = evaluateDecision(model, variables, context.now, (requiredId) =>
		decisionModel(decision.checksum, requiredId),
	);
	if (!result.ok) {
		raiseIncident(
			context,
			instance,
			ErrorType.DECISION_EVALUATION_ERROR,
			`Expected to evaluate decision '${decision.decisionId}', but ${result.message}`,
		);
		return;
	}
	context.event(ValueType.DECISION_EVALUATION, "EVALUATED", context.nextKey(), {
		decisionKey: decision.key,
		decisionId: decision.decisionId,
		decisionName: decision.decisionName,
		decisionVersion: decision.version,
		decisionRequirementsKey: decision.decisionRequirementsKey,
		decisionRequirementsId: decision.decisionRequirementsId,
		decisionOutput: JSON.stringify(result.value ?? null),
		bpmnProcessId: instance.value.bpmnProcessId,
		processDefinitionKey: instance.value.processDefinitionKey,
		processInstanceKey: instance.value.processInstanceKey,
		elementId: instance.value.elementId,
		elementInstanceKey: instance.key,
		tenantId: instance.value.tenantId,
	});
	context.event(ValueType.PROCESS_EVENT, "TRIGGERING", instance.key, {
		scopeKey: instance.key,
		targetElementId: element.id,
		variables: { [called.resultVariable]: result.value ?? null },
		processDefinitionKey: instance.value.processDefinitionKey,
		processInstanceKey: instance.value.processInstanceKey,
		tenantId: instance.value.tenantId,
	});
	activateAndComplete(context, instance);
}
