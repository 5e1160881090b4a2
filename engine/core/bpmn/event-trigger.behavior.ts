import type { ElementInstance } from "../engine-state";
import type { ProcessingContext } from "../processing-context";
import { ValueType } from "../protocol";
import { mergeLocalDocument } from "../variables/variable-behavior";

/** A catch event takes the payload waiting under its key as local variables (§3.2 rule 3), then TRIGGERED. */
export function consumeEventTrigger(context: ProcessingContext, instance: ElementInstance): void {
	const trigger = context.state.eventTriggers.get(instance.key);
	if (!trigger) return;
	mergeLocalDocument(context, instance.key, trigger.variables, instance.value);
	context.event(ValueType.PROCESS_EVENT, "TRIGGERED", instance.key, {
		scopeKey: instance.value.flowScopeKey,
		targetElementId: instance.value.elementId,
		variables: trigger.variables,
		processDefinitionKey: instance.value.processDefinitionKey,
		processInstanceKey: instance.value.processInstanceKey,
		tenantId: instance.value.tenantId,
	});
}
