import type { ElementInstance } from "../engine-state";
import type { ProcessingContext } from "../processing-context";
import { IncidentIntent, ValueType, type ErrorType } from "../protocol";

/**
 * Raises an incident on an element instance (zeebe-behaviour.md §9). The element stays where it is
 * (ACTIVATING / COMPLETING, or waiting for its job) until the incident is resolved.
 */
export function raiseIncident(
	context: ProcessingContext,
	instance: ElementInstance,
	errorType: ErrorType,
	errorMessage: string,
	jobKey = -1,
): void {
	const value = instance.value;
	context.event(ValueType.INCIDENT, IncidentIntent.CREATED, context.nextKey(), {
		errorType,
		errorMessage,
		bpmnProcessId: value.bpmnProcessId,
		processDefinitionKey: value.processDefinitionKey,
		processInstanceKey: value.processInstanceKey,
		elementId: value.elementId,
		elementInstanceKey: instance.key,
		jobKey,
		variableScopeKey: instance.key,
		tenantId: value.tenantId,
	});
}

/** Resolves the open incidents of an element instance and of its job (when the element is terminated). */
export function resolveIncidentsOf(context: ProcessingContext, instance: ElementInstance): void {
	const state = context.state;
	const keys = [
		state.incidentByElement.get(instance.key),
		instance.jobKey > 0 ? state.incidentByJob.get(instance.jobKey) : undefined,
	];
	for (const key of keys) {
		if (key === undefined) continue;
		const incident = state.incidents.get(key);
		if (incident) context.event(ValueType.INCIDENT, IncidentIntent.RESOLVED, key, incident);
	}
}
