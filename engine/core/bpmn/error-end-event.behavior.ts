import type { ExecutableElement } from "../../bpmn/executable-model";
import { evaluateProperty, feelTypeName } from "../../feel/feel-evaluator";
import type { ElementInstance } from "../engine-state";
import type { ProcessingContext } from "../processing-context";
import { ErrorType } from "../protocol";
import { visibleVariables } from "../variables/variable-behavior";
import { findErrorCatch, triggerErrorCatch, uncaughtErrorMessage } from "./error-catch.behavior";
import { raiseIncident } from "./incident.behavior";

/**
 * Error end event (§8.1): throws its code, searching from its flow scope. Caught → the catch event takes
 * over (the end event is terminated with its scope's children); uncaught → UNHANDLED_ERROR_EVENT and the
 * end event stays ACTIVATING.
 */
export function activateErrorEndEvent(
	context: ProcessingContext,
	instance: ElementInstance,
	element: ExecutableElement,
): void {
	const raw = element.errorCode ?? "";
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
	const found = findErrorCatch(context, scope, code);
	if (!found) {
		raiseIncident(context, instance, ErrorType.UNHANDLED_ERROR_EVENT, uncaughtErrorMessage(code, ""));
		return;
	}
	triggerErrorCatch(context, found, {});
}
