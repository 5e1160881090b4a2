import type { ExecutableElement } from "../../bpmn/executable-model";
import type { ElementInstance } from "../engine-state";
import type { ProcessingContext } from "../processing-context";
import { ProcessInstanceIntent, ValueType } from "../protocol";
import { elementOf, modelOf, takeSequenceFlow } from "./element-lifecycle";
import { closeMessageSubscriptions } from "./message.behavior";
import { cancelOwnedTimers } from "./timer.behavior";

/**
 * Event-based gateway (zeebe-behaviour.md §7): activated, it waits on the subscriptions of the catch
 * events after it (opened like boundary events). The first event to fire completes the gateway, closes
 * the other subscriptions and activates that catch event with the payload as its result.
 */
export function triggerEventBasedGateway(
	context: ProcessingContext,
	gateway: ElementInstance,
	catchEvent: ExecutableElement,
	variables: Record<string, unknown>,
): void {
	const element = elementOf(context, gateway);
	const model = modelOf(context, gateway);
	const flowId = element.outgoing.find((id) => model.elements[id].targetId === catchEvent.id);
	const scope = context.state.elementInstances.get(gateway.value.flowScopeKey);
	if (!flowId || !scope) return;
	const catchKey = context.nextKey();
	context.event(ValueType.PROCESS_EVENT, "TRIGGERING", catchKey, {
		scopeKey: catchKey,
		targetElementId: catchEvent.id,
		variables,
		processDefinitionKey: gateway.value.processDefinitionKey,
		processInstanceKey: gateway.value.processInstanceKey,
		tenantId: gateway.value.tenantId,
	});
	context.event(ValueType.PROCESS_INSTANCE, ProcessInstanceIntent.ELEMENT_COMPLETING, gateway.key, gateway.value);
	cancelOwnedTimers(context, gateway);
	closeMessageSubscriptions(context, gateway);
	context.event(ValueType.PROCESS_INSTANCE, ProcessInstanceIntent.ELEMENT_COMPLETED, gateway.key, gateway.value);
	takeSequenceFlow(context, scope, model.elements[flowId], model, catchKey);
}
