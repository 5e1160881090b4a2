import { createTimer, evaluateTimer, timerValue } from "../bpmn/timer.behavior";
import type { DeleteResourceCommandValue } from "../commands";
import { type DecisionRequirementsDefinition, latestProcess, type ProcessDefinition } from "../engine-state";
import type { ProcessingContext, QueuedCommand } from "../processing-context";
import { BpmnElementType, DEFAULT_TENANT, ProcessIntent, RejectionType, TimerIntent, ValueType } from "../protocol";

/**
 * RESOURCE_DELETION DELETE (the DeleteResource RPC), as Zeebe 8.4–8.8's ResourceDeletionDeleteProcessor:
 * the key names a process definition or a decision requirements graph (DRG) of the command's tenant,
 * else NOT_FOUND. Records: RESOURCE_DELETION DELETING (the answer), then for a process PROCESS DELETING,
 * start-event changes and PROCESS DELETED, for a DRG one DECISION DELETED per decision and
 * DECISION_REQUIREMENTS DELETED, then RESOURCE_DELETION DELETED.
 *
 * A process definition with running instances is not deleted (INVALID_STATE, nothing written), as Zeebe
 * does up to 8.8. Deleting the latest version closes its start events (timer start events canceled,
 * signal start subscriptions deleted) and opens those of the previous version that is left, which becomes
 * the latest (message start events follow the latest version at publish time). Versions are never
 * reused. Running business rule tasks are not touched: they evaluate the latest decision left, or raise
 * CALLED_DECISION_ERROR when none is.
 */
export function processResourceDeletion(context: ProcessingContext, command: QueuedCommand): void {
	const value = command.record.value as unknown as DeleteResourceCommandValue;
	const tenantId = value.tenantId || DEFAULT_TENANT;
	const resourceKey = value.resourceKey;
	const state = context.state;
	const process = state.processes.get(resourceKey);
	const requirements = state.decisionRequirements.get(resourceKey);
	if (process && process.tenantId === tenantId) {
		if (hasRunningInstances(context, process.key)) {
			context.reject(
				command,
				RejectionType.INVALID_STATE,
				`Expected to delete resource with key \`${resourceKey}\` but there are still running instances`,
			);
			return;
		}
		const eventKey = context.nextKey();
		const answer = context.event(ValueType.RESOURCE_DELETION, "DELETING", eventKey, { resourceKey, tenantId });
		context.respond(command.requestId, answer);
		deleteProcess(context, process);
		context.event(ValueType.RESOURCE_DELETION, "DELETED", eventKey, { resourceKey, tenantId });
		return;
	}
	if (requirements && requirements.tenantId === tenantId) {
		const eventKey = context.nextKey();
		const answer = context.event(ValueType.RESOURCE_DELETION, "DELETING", eventKey, { resourceKey, tenantId });
		context.respond(command.requestId, answer);
		deleteDecisionRequirements(context, requirements);
		context.event(ValueType.RESOURCE_DELETION, "DELETED", eventKey, { resourceKey, tenantId });
		return;
	}
	context.reject(
		command,
		RejectionType.NOT_FOUND,
		`Expected to delete resource but no resource found with key \`${resourceKey}\``,
	);
}

function hasRunningInstances(context: ProcessingContext, processDefinitionKey: number): boolean {
	for (const instance of context.state.elementInstances.values()) {
		if (
			instance.value.processDefinitionKey === processDefinitionKey &&
			instance.value.bpmnElementType === BpmnElementType.PROCESS
		)
			return true;
	}
	return false;
}

function deleteProcess(context: ProcessingContext, process: ProcessDefinition): void {
	const state = context.state;
	// As Zeebe: no checksum or resource on the deletion records.
	const record = {
		bpmnProcessId: process.bpmnProcessId,
		version: process.version,
		processDefinitionKey: process.key,
		resourceName: process.resourceName,
		tenantId: process.tenantId,
		deploymentKey: process.deploymentKey,
	};
	context.event(ValueType.PROCESS, ProcessIntent.DELETING, context.nextKey(), record);
	if (latestProcess(state, process.bpmnProcessId)?.key === process.key) {
		closeStartEvents(context, process);
		const versions = state.processVersions.get(process.bpmnProcessId) ?? [];
		for (let index = process.version - 2; index >= 0; index--) {
			const key = versions[index];
			const previous = key === undefined ? undefined : state.processes.get(key);
			if (previous) {
				openStartEvents(context, previous);
				break;
			}
		}
	}
	context.event(ValueType.PROCESS, ProcessIntent.DELETED, context.nextKey(), record);
}

function closeStartEvents(context: ProcessingContext, process: ProcessDefinition): void {
	const state = context.state;
	for (const timer of [...state.timers.values()]) {
		if (timer.elementInstanceKey < 0 && timer.processDefinitionKey === process.key) {
			context.event(ValueType.TIMER, TimerIntent.CANCELED, timer.key, timerValue(timer));
		}
	}
	for (const subscription of [...state.signalSubscriptions.values()]) {
		if (subscription.elementInstanceKey < 0 && subscription.processDefinitionKey === process.key) {
			const { key: _key, ...value } = subscription;
			context.event(ValueType.SIGNAL_SUBSCRIPTION, "DELETED", subscription.key, value);
		}
	}
}

/** The previous version becomes the latest: its timer start events are scheduled anew (from now) and its signal start events subscribe again. */
function openStartEvents(context: ProcessingContext, process: ProcessDefinition): void {
	const model = process.model;
	const root = model.elements[process.bpmnProcessId];
	for (const id of root.signalStartEventIds ?? []) {
		context.event(ValueType.SIGNAL_SUBSCRIPTION, "CREATED", context.nextKey(), {
			elementInstanceKey: -1,
			processInstanceKey: -1,
			processDefinitionKey: process.key,
			bpmnProcessId: process.bpmnProcessId,
			signalName: model.elements[id].signal?.name ?? "",
			elementId: id,
			interrupting: true,
			tenantId: process.tenantId,
		});
	}
	for (const id of root.timerStartEventIds ?? []) {
		const schedule = evaluateTimer(model.elements[id], () => ({}), context.now);
		// It was valid when deployed; a timeDate now in the past fires at once, as Zeebe's re-subscription does.
		if (typeof schedule === "string") continue;
		createTimer(
			context,
			{ key: -1, processInstanceKey: -1, processDefinitionKey: process.key, tenantId: process.tenantId },
			model.elements[id],
			schedule,
		);
	}
}

function deleteDecisionRequirements(context: ProcessingContext, requirements: DecisionRequirementsDefinition): void {
	const state = context.state;
	for (const decision of [...state.decisions.values()]) {
		if (decision.decisionRequirementsKey !== requirements.key) continue;
		context.event(ValueType.DECISION, "DELETED", context.nextKey(), {
			decisionId: decision.decisionId,
			decisionName: decision.decisionName,
			version: decision.version,
			decisionKey: decision.key,
			decisionRequirementsId: decision.decisionRequirementsId,
			decisionRequirementsKey: decision.decisionRequirementsKey,
			tenantId: decision.tenantId,
		});
	}
	context.event(ValueType.DECISION_REQUIREMENTS, "DELETED", context.nextKey(), {
		decisionRequirementsId: requirements.decisionRequirementsId,
		decisionRequirementsName: requirements.decisionRequirementsName,
		decisionRequirementsVersion: requirements.version,
		decisionRequirementsKey: requirements.key,
		resourceName: requirements.resourceName,
		checksum: requirements.checksum,
		tenantId: requirements.tenantId,
	});
}
