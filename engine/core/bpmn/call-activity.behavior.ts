import type { ExecutableElement } from "../../bpmn/executable-model";
import { evaluateProperty, feelTypeName } from "../../feel/feel-evaluator";
import { latestProcess } from "../engine-state";
import type { ElementInstance } from "../engine-state";
import type { ProcessingContext } from "../processing-context";
import { ErrorType, ProcessInstanceIntent, ValueType } from "../protocol";
import { startProcessInstance } from "../processors/process-instance-creation.processor";
import { localVariables, visibleVariables } from "../variables/variable-behavior";
import { markActivated, modelOf } from "./element-lifecycle";
import { raiseIncident } from "./incident.behavior";

/**
 * Call activity (zeebe-behaviour.md §3.6, §8.6): starts the latest version of the called process as a
 * child instance (parent keys set), handing it all visible variables (or only the call activity's
 * locals); completes when the child completes, taking the child's root variables as its result.
 */
export function activateCallActivity(
	context: ProcessingContext,
	instance: ElementInstance,
	element: ExecutableElement,
): void {
	const called = element.calledElement!;
	const evaluated = evaluateProperty(
		called.processId,
		called.processId.startsWith("=") ? visibleVariables(context.state, instance.key) : {},
		context.now,
	);
	if (!evaluated.ok || typeof evaluated.value !== "string") {
		const reason = evaluated.ok
			? `Expected result of the expression '${called.processId.slice(1)}' to be 'STRING', but was '${feelTypeName(evaluated.value)}'.`
			: evaluated.message;
		raiseIncident(context, instance, ErrorType.EXTRACT_VALUE_ERROR, reason);
		return;
	}
	const processId = evaluated.value;
	const definition = latestProcess(context.state, processId);
	if (!definition) {
		raiseIncident(
			context,
			instance,
			ErrorType.CALLED_ELEMENT_ERROR,
			`Expected process with BPMN process id '${processId}' to be deployed, but not found.`,
		);
		return;
	}
	if (!definition.model.elements[definition.bpmnProcessId].noneStartEventId) {
		raiseIncident(
			context,
			instance,
			ErrorType.CALLED_ELEMENT_ERROR,
			`Expected process with BPMN process id '${processId}' to have a none start event, but not found.`,
		);
		return;
	}
	const variables = called.propagateAllParentVariables
		? visibleVariables(context.state, instance.key)
		: localVariables(context.state, instance.key);
	startProcessInstance(
		context,
		definition,
		variables,
		[],
		{},
		{
			processInstanceKey: instance.value.processInstanceKey,
			elementInstanceKey: instance.key,
		},
	);
	markActivated(context, instance);
}

/** The called instance completed: its root variables become the call activity's result, then it completes. */
export function completeCallActivity(
	context: ProcessingContext,
	caller: ElementInstance,
	childVariables: Record<string, unknown>,
): void {
	if (caller.state !== "ACTIVATED") return;
	const element = modelOf(context, caller).elements[caller.value.elementId];
	const called = element.calledElement;
	const takesResult = Boolean(element.outputs) || called?.propagateAllChildVariables !== false;
	if (takesResult) {
		context.event(ValueType.PROCESS_EVENT, "TRIGGERING", caller.key, {
			scopeKey: caller.key,
			targetElementId: caller.value.elementId,
			variables: childVariables,
			processDefinitionKey: caller.value.processDefinitionKey,
			processInstanceKey: caller.value.processInstanceKey,
			tenantId: caller.value.tenantId,
		});
	}
	context.command(ValueType.PROCESS_INSTANCE, ProcessInstanceIntent.COMPLETE_ELEMENT, caller.key, caller.value);
}
