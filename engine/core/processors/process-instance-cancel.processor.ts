import { terminateElement } from "../bpmn/element-lifecycle";
import type { ProcessingContext, QueuedCommand } from "../processing-context";
import { BpmnElementType, RejectionType } from "../protocol";

/** PROCESS_INSTANCE CANCEL (key = process instance key): terminates the instance and all it contains. */
export function processInstanceCancel(context: ProcessingContext, command: QueuedCommand): void {
	const key = command.record.key;
	const instance = context.state.elementInstances.get(key);
	if (!instance || instance.value.bpmnElementType !== BpmnElementType.PROCESS) {
		context.reject(
			command,
			RejectionType.NOT_FOUND,
			`Expected to cancel a process instance with key '${key}', but no such process was found`,
		);
		return;
	}
	if (instance.value.parentProcessInstanceKey > 0) {
		context.reject(
			command,
			RejectionType.INVALID_STATE,
			`Expected to cancel a process instance with key '${key}', but it is created by a parent process instance. Cancel the root process instance '${instance.value.parentProcessInstanceKey}' instead.`,
		);
		return;
	}
	if (instance.state === "TERMINATING") {
		context.reject(
			command,
			RejectionType.INVALID_STATE,
			`Expected to cancel a process instance with key '${key}', but it is already being canceled`,
		);
		return;
	}
	const first = context.records.length;
	terminateElement(context, instance);
	context.respond(command.requestId, context.records[first]);
}
