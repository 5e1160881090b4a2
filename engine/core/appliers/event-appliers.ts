import type { EngineRecord } from "../contract";
import {
	addFormDefinition,
	addProcessDefinition,
	type ElementInstance,
	type EngineState,
	type Incident,
	type Job,
	type ProcessInstanceValue,
	addDecision,
	addDecisionRequirements,
	addSignalSubscription,
	addSubscription,
	addTimer,
	type BufferedMessage,
	indexIncident,
	type MessageSubscription,
	removeDecision,
	removeDecisionRequirements,
	removeProcessDefinition,
	removeSignalSubscription,
	removeSubscription,
	type SignalSubscription,
	indexJob,
	linkChild,
	removeTimer,
	type Timer,
	unindexJob,
	unlinkChild,
} from "../engine-state";
import { BpmnElementType } from "../protocol";
import { processModel } from "./process-models";

/**
 * Appliers: the only code that changes the state, one per event (value type + intent). Processing and
 * replay both go through them, which is what makes "replay equals processing" hold.
 */
type Applier = (state: EngineState, record: EngineRecord) => void;
type Value = Record<string, unknown>;

function modelOf(state: EngineState, processDefinitionKey: number) {
	return state.processes.get(processDefinitionKey)?.model;
}

function setJobState(state: EngineState, job: Job, next: Job["state"]): void {
	unindexJob(state, job);
	job.state = next;
	indexJob(state, job);
}

function elementActivating(state: EngineState, record: EngineRecord): void {
	const value = record.value as unknown as ProcessInstanceValue;
	const instance: ElementInstance = {
		key: record.key,
		state: "ACTIVATING",
		value,
		activeChildren: 0,
		pendingFlows: 0,
		jobKey: -1,
	};
	state.elementInstances.set(record.key, instance);
	linkChild(state, instance);
	if (value.parentElementInstanceKey > 0 && value.bpmnElementType === BpmnElementType.PROCESS) {
		const caller = state.elementInstances.get(value.parentElementInstanceKey);
		if (caller) caller.calledChildKey = record.key;
	}
	const scope = state.elementInstances.get(value.flowScopeKey);
	if (!scope) return;
	scope.activeChildren += 1;
	if (scope.value.bpmnElementType === BpmnElementType.MULTI_INSTANCE_BODY) {
		scope.miStarted = (scope.miStarted ?? 0) + 1;
		instance.loopCounter = scope.miStarted;
		return;
	}
	if (value.bpmnElementType === BpmnElementType.EVENT_SUB_PROCESS) {
		// An interrupting event sub-process replaces everything else in its scope, tokens in flight included.
		scope.pendingFlows = 0;
		delete scope.joinCounts;
		return;
	}
	const element = modelOf(state, value.processDefinitionKey)?.elements[value.elementId];
	if (!element || element.incoming.length === 0) return;
	if (
		(element.type === BpmnElementType.PARALLEL_GATEWAY || element.type === BpmnElementType.INCLUSIVE_GATEWAY) &&
		element.joins
	) {
		// A join consumes one arrival per incoming flow; surplus arrivals stay for the next activation.
		const counts = scope.joinCounts?.[element.id];
		if (!counts) return;
		for (const flowId of element.incoming) {
			if ((counts[flowId] ?? 0) > 0) {
				counts[flowId] -= 1;
				if (counts[flowId] === 0) delete counts[flowId];
				scope.pendingFlows = Math.max(0, scope.pendingFlows - 1);
			}
		}
		if (Object.keys(counts).length === 0) delete scope.joinCounts?.[element.id];
		if (scope.joinCounts && Object.keys(scope.joinCounts).length === 0) delete scope.joinCounts;
		return;
	}
	// Reached over a sequence flow (start instructions activate without one, with nothing pending).
	if (scope.pendingFlows > 0) scope.pendingFlows -= 1;
}

function elementEnded(state: EngineState, record: EngineRecord): void {
	const instance = state.elementInstances.get(record.key);
	if (!instance) return;
	const value = record.value as unknown as ProcessInstanceValue;
	if (record.intent === "ELEMENT_COMPLETED" && value.bpmnEventType === "TERMINATE") {
		// Terminate end event: nothing else may start in the scope; it completes once the rest is terminated.
		const scope = state.elementInstances.get(instance.value.flowScopeKey);
		if (scope) {
			scope.terminatedByEndEvent = true;
			scope.pendingFlows = 0;
			delete scope.joinCounts;
		}
	}
	state.elementInstances.delete(record.key);
	unlinkChild(state, instance);
	state.children.delete(record.key);
	state.variables.delete(record.key);
	state.eventTriggers.delete(record.key);
	const scope = state.elementInstances.get(instance.value.flowScopeKey);
	if (scope) scope.activeChildren -= 1;
	if (
		scope &&
		record.intent === "ELEMENT_COMPLETED" &&
		scope.value.bpmnElementType === BpmnElementType.MULTI_INSTANCE_BODY
	) {
		scope.miCompleted = (scope.miCompleted ?? 0) + 1;
	}
	const lock = state.messageStartLockByInstance.get(record.key);
	if (lock !== undefined) {
		state.messageStartLocks.delete(lock);
		state.messageStartLockByInstance.delete(record.key);
	}
	if (instance.value.parentElementInstanceKey > 0 && instance.value.bpmnElementType === BpmnElementType.PROCESS) {
		const caller = state.elementInstances.get(instance.value.parentElementInstanceKey);
		if (caller?.calledChildKey === record.key) delete caller.calledChildKey;
	}
}

function elementState(next: ElementInstance["state"]): Applier {
	return (state, record) => {
		const instance = state.elementInstances.get(record.key);
		if (instance) instance.state = next;
	};
}

function sequenceFlowTaken(state: EngineState, record: EngineRecord): void {
	const value = record.value as unknown as ProcessInstanceValue;
	const scope = state.elementInstances.get(value.flowScopeKey);
	if (!scope) return;
	scope.pendingFlows += 1;
	const model = modelOf(state, value.processDefinitionKey);
	const flow = model?.elements[value.elementId];
	const target = flow?.targetId ? model?.elements[flow.targetId] : undefined;
	if (
		(target?.type === BpmnElementType.PARALLEL_GATEWAY || target?.type === BpmnElementType.INCLUSIVE_GATEWAY) &&
		target.joins
	) {
		scope.joinCounts ??= {};
		const counts = (scope.joinCounts[target.id] ??= {});
		counts[value.elementId] = (counts[value.elementId] ?? 0) + 1;
	}
}

function variableWritten(state: EngineState, record: EngineRecord): void {
	const value = record.value as { scopeKey: number; name: string; value: string };
	let scope = state.variables.get(value.scopeKey);
	if (!scope) {
		scope = new Map();
		state.variables.set(value.scopeKey, scope);
	}
	scope.set(value.name, { key: record.key, value: value.value });
}

function jobCreated(state: EngineState, record: EngineRecord): void {
	const value = record.value as Value;
	const job: Job = {
		key: record.key,
		state: "ACTIVATABLE",
		type: value.type as string,
		customHeaders: value.customHeaders as Record<string, string>,
		worker: "",
		retries: value.retries as number,
		retryBackoff: 0,
		recurringTime: -1,
		deadline: -1,
		timeout: -1,
		errorMessage: "",
		errorCode: "",
		elementId: value.elementId as string,
		elementInstanceKey: value.elementInstanceKey as number,
		bpmnProcessId: value.bpmnProcessId as string,
		processDefinitionVersion: value.processDefinitionVersion as number,
		processDefinitionKey: value.processDefinitionKey as number,
		processInstanceKey: value.processInstanceKey as number,
		tenantId: value.tenantId as string,
	};
	state.jobs.set(job.key, job);
	indexJob(state, job);
	const element = state.elementInstances.get(job.elementInstanceKey);
	if (element) element.jobKey = job.key;
}

function jobRemoved(storeTrigger: boolean): Applier {
	return (state, record) => {
		const job = state.jobs.get(record.key);
		if (!job) return;
		unindexJob(state, job);
		state.jobs.delete(record.key);
		const element = state.elementInstances.get(job.elementInstanceKey);
		if (element && element.jobKey === job.key) element.jobKey = -1;
		if (storeTrigger && element) {
			const variables = ((record.value as Value).variables ?? {}) as Record<string, unknown>;
			state.eventTriggers.set(element.key, { elementInstanceKey: element.key, elementId: job.elementId, variables });
		}
	};
}

function withJob(change: (state: EngineState, job: Job, value: Value) => void): Applier {
	return (state, record) => {
		const job = state.jobs.get(record.key);
		if (job) change(state, job, record.value as Value);
	};
}

const appliers: Record<string, Applier> = {
	"PROCESS.CREATED": (state, record) => {
		const value = record.value as Value;
		const checksum = value.checksum as string;
		const bpmnProcessId = value.bpmnProcessId as string;
		const model = processModel(checksum, bpmnProcessId);
		if (!model) {
			throw new Error(
				`no executable model registered for process '${bpmnProcessId}' (checksum ${checksum}); the resource must be parsed before its PROCESS CREATED event is applied`,
			);
		}
		state.resources.set(checksum, { resourceName: value.resourceName as string, resource: value.resource as string });
		addProcessDefinition(state, {
			key: record.key,
			bpmnProcessId,
			version: value.version as number,
			resourceName: value.resourceName as string,
			checksum,
			tenantId: value.tenantId as string,
			deploymentKey: value.deploymentKey as number,
			model,
		});
	},
	// Resource deletion (RESOURCE_DELETION DELETE): PROCESS DELETING changes nothing, DELETED removes the version.
	"PROCESS.DELETED": (state, record) =>
		removeProcessDefinition(state, (record.value as Value).processDefinitionKey as number),
	"DECISION.DELETED": (state, record) => removeDecision(state, (record.value as Value).decisionKey as number),
	"DECISION_REQUIREMENTS.DELETED": (state, record) =>
		removeDecisionRequirements(state, (record.value as Value).decisionRequirementsKey as number),
	"DECISION_REQUIREMENTS.CREATED": (state, record) => {
		const value = record.value as Value;
		state.resources.set(value.checksum as string, {
			resourceName: value.resourceName as string,
			resource: value.resource as string,
		});
		addDecisionRequirements(state, {
			key: record.key,
			decisionRequirementsId: value.decisionRequirementsId as string,
			decisionRequirementsName: value.decisionRequirementsName as string,
			version: value.decisionRequirementsVersion as number,
			resourceName: value.resourceName as string,
			checksum: value.checksum as string,
			tenantId: value.tenantId as string,
		});
	},
	"DECISION.CREATED": (state, record) => {
		const value = record.value as Value;
		const requirements = state.decisionRequirements.get(value.decisionRequirementsKey as number);
		addDecision(state, {
			key: record.key,
			decisionId: value.decisionId as string,
			decisionName: value.decisionName as string,
			version: value.version as number,
			decisionRequirementsKey: value.decisionRequirementsKey as number,
			decisionRequirementsId: value.decisionRequirementsId as string,
			checksum: requirements?.checksum ?? "",
			tenantId: value.tenantId as string,
		});
	},
	"FORM.CREATED": (state, record) => {
		const value = record.value as Value;
		addFormDefinition(state, {
			key: record.key,
			formId: value.formId as string,
			version: value.version as number,
			resourceName: value.resourceName as string,
			checksum: value.checksum as string,
			tenantId: value.tenantId as string,
			deploymentKey: value.deploymentKey as number,
		});
	},
	"PROCESS_INSTANCE.ELEMENT_ACTIVATING": elementActivating,
	"PROCESS_INSTANCE.ELEMENT_ACTIVATED": elementState("ACTIVATED"),
	"PROCESS_INSTANCE.ELEMENT_COMPLETING": elementState("COMPLETING"),
	"PROCESS_INSTANCE.ELEMENT_TERMINATING": elementState("TERMINATING"),
	"PROCESS_INSTANCE.ELEMENT_COMPLETED": elementEnded,
	"PROCESS_INSTANCE.ELEMENT_TERMINATED": elementEnded,
	"PROCESS_INSTANCE.SEQUENCE_FLOW_TAKEN": sequenceFlowTaken,
	"PROCESS_EVENT.TRIGGERING": (state, record) => {
		const value = record.value as { scopeKey: number; targetElementId: string; variables: Record<string, unknown> };
		state.eventTriggers.set(record.key, {
			elementInstanceKey: record.key,
			elementId: value.targetElementId,
			variables: value.variables ?? {},
		});
		if (value.scopeKey !== record.key) {
			const interrupted = state.elementInstances.get(value.scopeKey);
			if (interrupted) interrupted.interruptedBy = record.key;
		}
	},
	"PROCESS_EVENT.TRIGGERED": (state, record) => {
		state.eventTriggers.delete(record.key);
	},
	"TIMER.CREATED": (state, record) => {
		addTimer(state, { ...(record.value as unknown as Omit<Timer, "key">), key: record.key });
	},
	"TIMER.TRIGGERED": (state, record) => removeTimer(state, record.key),
	"TIMER.CANCELED": (state, record) => removeTimer(state, record.key),
	"MESSAGE.PUBLISHED": (state, record) => {
		const value = record.value as unknown as Omit<BufferedMessage, "key">;
		if (value.timeToLive > 0) {
			state.messages.set(record.key, { ...value, key: record.key });
			state.dueQueue.push({ at: value.deadline, kind: "message", key: record.key });
		}
	},
	"MESSAGE.EXPIRED": (state, record) => {
		state.messages.delete(record.key);
		state.messageCorrelations.delete(record.key);
	},
	"PROCESS_MESSAGE_SUBSCRIPTION.CREATED": (state, record) => {
		addSubscription(state, { ...(record.value as unknown as Omit<MessageSubscription, "key">), key: record.key });
	},
	"PROCESS_MESSAGE_SUBSCRIPTION.CORRELATED": (state, record) => {
		const value = record.value as { messageKey: number; bpmnProcessId: string; interrupting: boolean };
		noteCorrelation(state, value.messageKey, value.bpmnProcessId);
		if (value.interrupting) removeSubscription(state, record.key);
	},
	"PROCESS_MESSAGE_SUBSCRIPTION.DELETED": (state, record) => removeSubscription(state, record.key),
	"MESSAGE_START_EVENT_SUBSCRIPTION.CORRELATED": (state, record) => {
		const value = record.value as {
			messageKey: number;
			bpmnProcessId: string;
			correlationKey: string;
			processInstanceKey: number;
		};
		noteCorrelation(state, value.messageKey, value.bpmnProcessId);
		if (value.correlationKey !== "") {
			const lock = `${value.bpmnProcessId}\u0000${value.correlationKey}`;
			state.messageStartLocks.set(lock, value.processInstanceKey);
			state.messageStartLockByInstance.set(value.processInstanceKey, lock);
		}
	},
	"SIGNAL_SUBSCRIPTION.CREATED": (state, record) => {
		addSignalSubscription(state, { ...(record.value as unknown as Omit<SignalSubscription, "key">), key: record.key });
	},
	"SIGNAL_SUBSCRIPTION.DELETED": (state, record) => removeSignalSubscription(state, record.key),
	"VARIABLE.CREATED": variableWritten,
	"VARIABLE.UPDATED": variableWritten,
	"JOB.CREATED": jobCreated,
	"JOB.COMPLETED": jobRemoved(true),
	"JOB.CANCELED": jobRemoved(false),
	"JOB.FAILED": withJob((state, job, value) => {
		job.retries = value.retries as number;
		job.errorMessage = (value.errorMessage as string) ?? "";
		job.retryBackoff = (value.retryBackoff as number) ?? 0;
		job.recurringTime = (value.recurringTime as number) ?? -1;
		job.deadline = -1;
		if (job.recurringTime > 0) state.dueQueue.push({ at: job.recurringTime, kind: "job-backoff", key: job.key });
		const activatable = job.retries > 0 && job.retryBackoff <= 0;
		setJobState(state, job, activatable ? "ACTIVATABLE" : "FAILED");
	}),
	"JOB.TIMED_OUT": withJob((state, job) => {
		job.deadline = -1;
		setJobState(state, job, "ACTIVATABLE");
	}),
	"JOB.RECURRED_AFTER_BACKOFF": withJob((state, job) => {
		job.recurringTime = -1;
		setJobState(state, job, "ACTIVATABLE");
	}),
	"JOB.RETRIES_UPDATED": withJob((state, job, value) => {
		unindexJob(state, job);
		job.retries = value.retries as number;
		indexJob(state, job);
	}),
	"JOB.TIMEOUT_UPDATED": withJob((state, job, value) => {
		job.deadline = value.deadline as number;
		job.timeout = value.timeout as number;
		state.dueQueue.push({ at: job.deadline, kind: "job-deadline", key: job.key });
	}),
	"JOB.ERROR_THROWN": withJob((state, job, value) => {
		job.errorCode = (value.errorCode as string) ?? "";
		job.errorMessage = (value.errorMessage as string) ?? "";
		job.deadline = -1;
		setJobState(state, job, "ERROR_THROWN");
	}),
	"JOB_BATCH.ACTIVATED": (state, record) => {
		const value = record.value as { jobs: Array<{ key: number; worker: string; deadline: number }>; timeout: number };
		for (const activated of value.jobs) {
			const job = state.jobs.get(activated.key);
			if (!job) continue;
			job.worker = activated.worker;
			job.deadline = activated.deadline;
			job.timeout = value.timeout;
			setJobState(state, job, "ACTIVATED");
			state.dueQueue.push({ at: job.deadline, kind: "job-deadline", key: job.key });
		}
	},
	"INCIDENT.CREATED": (state, record) => {
		indexIncident(state, { ...(record.value as unknown as Incident), key: record.key });
	},
	"INCIDENT.RESOLVED": (state, record) => {
		const incident = state.incidents.get(record.key);
		if (!incident) return;
		state.incidents.delete(record.key);
		if (incident.jobKey > 0) {
			state.incidentByJob.delete(incident.jobKey);
			const job = state.jobs.get(incident.jobKey);
			// Zeebe's IncidentResolvedApplier: a failed or error-thrown job becomes activatable again.
			if (job && (job.state === "FAILED" || job.state === "ERROR_THROWN")) {
				job.recurringTime = -1;
				setJobState(state, job, "ACTIVATABLE");
			}
		} else if (state.incidentByElement.get(incident.elementInstanceKey) === record.key) {
			state.incidentByElement.delete(incident.elementInstanceKey);
		}
	},
};

/** A buffered message is correlated at most once per bpmnProcessId (§5.1). */
function noteCorrelation(state: EngineState, messageKey: number, bpmnProcessId: string): void {
	if (!state.messages.has(messageKey)) return;
	const list = state.messageCorrelations.get(messageKey) ?? [];
	list.push(bpmnProcessId);
	state.messageCorrelations.set(messageKey, list);
}

/** Applies one event record to the state; events without state changes are ignored. */
export function applyEvent(state: EngineState, record: EngineRecord): void {
	appliers[`${record.valueType}.${record.intent}`]?.(state, record);
}
