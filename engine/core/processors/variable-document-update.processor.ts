import type { SetVariablesCommandValue } from "../commands";
import type { ProcessingContext, QueuedCommand } from "../processing-context";
import { RejectionType, ValueType, VariableDocumentIntent } from "../protocol";
import { mergeDocument, mergeLocalDocument } from "../variables/variable-behavior";

/**
 * VARIABLE_DOCUMENT UPDATE (SetVariables, §3.4): LOCAL writes into the scope only; PROPAGATE walks up
 * from the scope. The scope must be an active element instance.
 */
export function processVariableDocumentUpdate(context: ProcessingContext, command: QueuedCommand): void {
	const value = command.record.value as unknown as SetVariablesCommandValue;
	const scope = context.state.elementInstances.get(value.scopeKey);
	if (!scope || scope.state === "TERMINATING") {
		context.reject(
			command,
			RejectionType.NOT_FOUND,
			`Expected to update variables for element with key '${value.scopeKey}', but no such element was found (it is not active); use the key of an active element or process instance`,
		);
		return;
	}
	const variables = value.variables;
	if (typeof variables !== "object" || variables === null || Array.isArray(variables)) {
		context.reject(
			command,
			RejectionType.INVALID_ARGUMENT,
			"Expected the variables to be a JSON object, but they are not",
		);
		return;
	}
	if (value.updateSemantics === "LOCAL") mergeLocalDocument(context, scope.key, variables, scope.value);
	else mergeDocument(context, scope.key, variables, scope.value);
	const updated = context.event(ValueType.VARIABLE_DOCUMENT, VariableDocumentIntent.UPDATED, context.nextKey(), {
		scopeKey: scope.key,
		updateSemantics: value.updateSemantics === "LOCAL" ? "LOCAL" : "PROPAGATE",
		variables,
		processInstanceKey: scope.value.processInstanceKey,
		tenantId: scope.value.tenantId,
	});
	context.respond(command.requestId, updated);
}
