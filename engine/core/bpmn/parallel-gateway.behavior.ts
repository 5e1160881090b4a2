import type { ExecutableElement } from "../../bpmn/executable-model";
import type { ElementInstance } from "../engine-state";
import type { ProcessingContext } from "../processing-context";
import { ProcessInstanceIntent, ValueType } from "../protocol";
import { completeElement } from "./element-lifecycle";

/**
 * Parallel gateway (§7): it is only activated once every incoming flow arrived (see `takeSequenceFlow`),
 * then it completes in the same step and forks into every outgoing flow.
 */
export function activateParallelGateway(
	context: ProcessingContext,
	instance: ElementInstance,
	element: ExecutableElement,
): void {
	context.event(ValueType.PROCESS_INSTANCE, ProcessInstanceIntent.ELEMENT_ACTIVATED, instance.key, instance.value);
	context.event(ValueType.PROCESS_INSTANCE, ProcessInstanceIntent.ELEMENT_COMPLETING, instance.key, instance.value);
	completeElement(context, instance, element, element.outgoing);
}
