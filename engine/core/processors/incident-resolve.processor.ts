import { continueActivation, continueCompletion } from "../bpmn/element-lifecycle";
import type { ProcessingContext, QueuedCommand } from "../processing-context";
import { IncidentIntent, RejectionType, ValueType } from "../protocol";

/**
 * INCIDENT RESOLVE (§9): a job incident needs retries > 0 first and makes the job activatable again;
 * any other incident re-runs the step that failed (ACTIVATE or COMPLETE of the element), which may raise
 * a new incident (new key) when the cause is not fixed.
 */
export function processIncidentResolve(context: ProcessingContext, command: QueuedCommand): void {
	const state = context.state;
	const key = command.record.key;
	const incident = state.incidents.get(key);
	if (!incident) {
		context.reject(
			command,
			RejectionType.NOT_FOUND,
			`Expected to resolve incident with key '${key}', but no such incident was found`,
		);
		return;
	}
	const job = incident.jobKey > 0 ? state.jobs.get(incident.jobKey) : undefined;
	if (job && job.retries <= 0) {
		context.reject(
			command,
			RejectionType.INVALID_STATE,
			`Expected to resolve incident with key '${key}', but job with key '${job.key}' has no retries left; update the job's retries (UpdateJobRetries) first`,
		);
		return;
	}
	const resolved = context.event(ValueType.INCIDENT, IncidentIntent.RESOLVED, key, incident);
	context.respond(command.requestId, resolved);
	if (incident.jobKey > 0) {
		if (job) context.jobsAvailable.add(job.type);
		return;
	}
	const instance = state.elementInstances.get(incident.elementInstanceKey);
	if (instance?.state === "ACTIVATING") continueActivation(context, instance);
	else if (instance?.state === "COMPLETING") continueCompletion(context, instance);
}
