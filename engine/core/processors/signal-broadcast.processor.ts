import { broadcastSignal } from "../bpmn/signal.behavior";
import type { BroadcastSignalCommandValue } from "../commands";
import type { ProcessingContext, QueuedCommand } from "../processing-context";
import { DEFAULT_TENANT, RejectionType } from "../protocol";

/** SIGNAL BROADCAST (BroadcastSignal, §8.3): answered with SIGNAL BROADCASTED. */
export function processSignalBroadcast(context: ProcessingContext, command: QueuedCommand): void {
	const value = command.record.value as unknown as BroadcastSignalCommandValue;
	if (!value.signalName) {
		context.reject(
			command,
			RejectionType.INVALID_ARGUMENT,
			"Expected to broadcast a signal with a name, but the name is empty",
		);
		return;
	}
	const broadcasted = broadcastSignal(
		context,
		value.signalName,
		value.variables ?? {},
		value.tenantId || DEFAULT_TENANT,
	);
	context.respond(command.requestId, broadcasted);
}
