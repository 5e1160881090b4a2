import { createHash } from "node:crypto";
import { parseBpmnResource } from "../bpmn/bpmn-parser";
import { parseDmnResource } from "../feel/dmn-decision";
import type { DeploymentProblem, ExecutableProcess } from "../bpmn/executable-model";
import { applyEvent } from "./appliers/event-appliers";
import { decisionModel, processModel, registerDecisionModel, registerProcessModel } from "./appliers/process-models";
import { processActivateElement, processCompleteElement, processTerminateElement } from "./bpmn/element-lifecycle";
import type { DeployCommandValue } from "./commands";
import type { DueWork, EngineCommand, EngineCore, EngineRecord, ProcessingResult } from "./contract";
import { createEngineState, type EngineSnapshot, type EngineState, restoreState, snapshotState } from "./engine-state";
import type { DueEntry } from "./due-queue";
import { ProcessingContext, type QueuedCommand } from "./processing-context";
import {
	type PreparedDeployment,
	type PreparedResource,
	processDeploymentCreate,
} from "./processors/deployment-create.processor";
import { processDecisionEvaluate } from "./processors/decision-evaluation.processor";
import { processIncidentResolve } from "./processors/incident-resolve.processor";
import { processResourceDeletion } from "./processors/resource-deletion.processor";
import { processJobBatchActivate } from "./processors/job-batch-activate.processor";
import {
	processJobComplete,
	processJobFail,
	processJobRecurAfterBackoff,
	processJobThrowError,
	processJobTimeOut,
	processJobUpdateRetries,
	processJobUpdateTimeout,
} from "./processors/job-commands.processor";
import { processInstanceCancel } from "./processors/process-instance-cancel.processor";
import { processInstanceCreate } from "./processors/process-instance-creation.processor";
import { processInstanceModify } from "./processors/process-instance-modification.processor";
import { processMessageExpire, processMessagePublish } from "./processors/message-publish.processor";
import { processSignalBroadcast } from "./processors/signal-broadcast.processor";
import { processTimerTrigger } from "./processors/timer-trigger.processor";
import { processVariableDocumentUpdate } from "./processors/variable-document-update.processor";
import { RecordType, RejectionType, ValueType } from "./protocol";

/**
 * The pure engine core (contract.ts): processors per command, appliers per event, state in memory.
 */

type Processor = (context: ProcessingContext, command: QueuedCommand, prepared: unknown) => void;

const processors: Record<string, Processor> = {
	"DEPLOYMENT.CREATE": processDeploymentCreate,
	"PROCESS_INSTANCE_CREATION.CREATE": processInstanceCreate,
	"PROCESS_INSTANCE_CREATION.CREATE_WITH_AWAITING_RESULT": processInstanceCreate,
	"PROCESS_INSTANCE.CANCEL": processInstanceCancel,
	"PROCESS_INSTANCE.ACTIVATE_ELEMENT": processActivateElement,
	"PROCESS_INSTANCE.COMPLETE_ELEMENT": processCompleteElement,
	"PROCESS_INSTANCE.TERMINATE_ELEMENT": processTerminateElement,
	"PROCESS_INSTANCE_MODIFICATION.MODIFY": processInstanceModify,
	"JOB_BATCH.ACTIVATE": processJobBatchActivate,
	"JOB.COMPLETE": processJobComplete,
	"JOB.FAIL": processJobFail,
	"JOB.THROW_ERROR": processJobThrowError,
	"JOB.UPDATE_RETRIES": processJobUpdateRetries,
	"JOB.UPDATE_TIMEOUT": processJobUpdateTimeout,
	"JOB.TIME_OUT": processJobTimeOut,
	"JOB.RECUR_AFTER_BACKOFF": processJobRecurAfterBackoff,
	"VARIABLE_DOCUMENT.UPDATE": processVariableDocumentUpdate,
	"INCIDENT.RESOLVE": processIncidentResolve,
	"TIMER.TRIGGER": processTimerTrigger,
	"MESSAGE.PUBLISH": processMessagePublish,
	"MESSAGE.EXPIRE": processMessageExpire,
	"SIGNAL.BROADCAST": processSignalBroadcast,
	"DECISION_EVALUATION.EVALUATE": processDecisionEvaluate,
	"RESOURCE_DELETION.DELETE": processResourceDeletion,
};

function dispatch(context: ProcessingContext, command: QueuedCommand, prepared: unknown): void {
	context.sourcePosition = command.record.position;
	const processor = processors[`${command.record.valueType}.${command.record.intent}`];
	if (!processor) {
		context.reject(
			command,
			RejectionType.PROCESSING_ERROR,
			`Command '${command.record.intent}' of value type '${command.record.valueType}' is not supported by this engine yet`,
		);
		return;
	}
	processor(context, command, prepared);
}

/** Processes a command and every follow-up command it causes, in log order. */
export function processCommand(state: EngineState, command: EngineCommand, now: number): ProcessingResult {
	const context = new ProcessingContext(state, now);
	let value: object = command.value;
	let prepared: unknown;
	if (command.valueType === ValueType.DEPLOYMENT) {
		// The parsed models travel beside the record, not in the log; the record keeps the resources as text.
		const { prepared: preparedValue, ...rest } = command.value as unknown as DeployCommandValue;
		prepared = preparedValue;
		const resources = (preparedValue as PreparedDeployment | undefined)?.resources;
		value = resources
			? { ...rest, resources: resources.map((r) => ({ resourceName: r.resourceName, resource: r.resource })) }
			: rest;
	}
	const record = context.external(command, value);
	dispatch(context, { record, requestId: command.requestId }, prepared);
	for (let index = 0; index < context.queue.length; index++) dispatch(context, context.queue[index], undefined);
	return { records: context.records, responses: context.responses, jobsAvailable: [...context.jobsAvailable] };
}

function resourceText(resource: Uint8Array | string): string {
	return typeof resource === "string" ? resource : Buffer.from(resource).toString("utf8");
}

function checksumOf(text: string): string {
	return createHash("md5").update(text).digest("hex");
}

/** Parses every resource of a deployment (async, outside the processing loop). */
export async function prepareDeployment(value: DeployCommandValue): Promise<PreparedDeployment> {
	const resources: PreparedResource[] = [];
	const problems: DeploymentProblem[] = [];
	for (const { resourceName, resource } of value.resources ?? []) {
		const text = resourceText(resource);
		const checksum = checksumOf(text);
		const lower = resourceName.toLowerCase();
		if (lower.endsWith(".bpmn") || lower.endsWith(".xml")) {
			const parsed = await parseBpmnResource(resourceName, text);
			problems.push(...parsed.problems);
			resources.push({ resourceName, resource: text, checksum, kind: "bpmn", processes: parsed.processes });
		} else if (lower.endsWith(".form")) {
			let formId: unknown;
			try {
				formId = (JSON.parse(text) as { id?: unknown }).id;
			} catch (error) {
				problems.push({
					resourceName,
					elementId: null,
					message: `the form is not valid JSON (${(error as Error).message})`,
				});
				continue;
			}
			if (typeof formId !== "string" || formId === "") {
				problems.push({
					resourceName,
					elementId: null,
					message: "the form has no 'id'; give the form JSON a top-level \"id\"",
				});
				continue;
			}
			resources.push({ resourceName, resource: text, checksum, kind: "form", processes: [], formId });
		} else if (lower.endsWith(".dmn")) {
			const dmn = await parseDmnResource(text);
			problems.push(...dmn.problems.map((problem) => ({ resourceName, ...problem })));
			resources.push({ resourceName, resource: text, checksum, kind: "dmn", processes: [], dmn });
		} else {
			problems.push({
				resourceName,
				elementId: null,
				message: "the resource type is unknown; expected a file ending in .bpmn, .xml, .dmn or .form",
			});
		}
	}
	return { resources, problems };
}

async function ensureModel(
	checksum: string,
	bpmnProcessId: string,
	resourceName: string,
	resource: string,
): Promise<ExecutableProcess> {
	const known = processModel(checksum, bpmnProcessId);
	if (known) return known;
	const parsed = await parseBpmnResource(resourceName, resource);
	for (const process of parsed.processes) registerProcessModel(checksum, process);
	const model = processModel(checksum, bpmnProcessId);
	if (!model)
		throw new Error(
			`the deployed resource '${resourceName}' no longer yields process '${bpmnProcessId}'; cannot restore it`,
		);
	return model;
}

async function ensureDecisionModels(checksum: string, resource: string): Promise<void> {
	// Restoring what was deployed: its FEEL passed the syntax check then.
	const parsed = await parseDmnResource(resource, { checkFeel: false });
	for (const decision of parsed.decisions) {
		if (!decisionModel(checksum, decision.decisionId)) registerDecisionModel(checksum, decision);
	}
}

/** The command for a due-queue entry, or null when the entry is stale. */
function dueCommand(state: EngineState, entry: DueEntry): EngineCommand | null {
	switch (entry.kind) {
		case "job-deadline": {
			const job = state.jobs.get(entry.key);
			const stillActivated = job?.state === "ACTIVATED" && job.deadline === entry.at;
			return stillActivated ? { valueType: ValueType.JOB, intent: "TIME_OUT", key: entry.key, value: {} } : null;
		}
		case "job-backoff": {
			const job = state.jobs.get(entry.key);
			const stillWaiting = job?.state === "FAILED" && job.retries > 0 && job.recurringTime === entry.at;
			return stillWaiting
				? { valueType: ValueType.JOB, intent: "RECUR_AFTER_BACKOFF", key: entry.key, value: {} }
				: null;
		}
		case "timer":
			return state.timers.get(entry.key)?.dueDate === entry.at
				? { valueType: ValueType.TIMER, intent: "TRIGGER", key: entry.key, value: {} }
				: null;
		case "message":
			return state.messages.get(entry.key)?.deadline === entry.at
				? { valueType: ValueType.MESSAGE, intent: "EXPIRE", key: entry.key, value: {} }
				: null;
	}
}

/**
 * Advances the position and key counters past a replayed record. Keys the engine handed out appear on
 * events and follow-up commands; the key of a command from outside (and of its rejection) is the client's,
 * possibly one that never existed, so it does not move the counter (processing did not move it either).
 */
function advanceCounters(state: EngineState, record: EngineRecord): void {
	if (record.position > state.position) state.position = record.position;
	const fromOutside =
		record.recordType === RecordType.COMMAND_REJECTION ||
		(record.recordType === RecordType.COMMAND && record.sourceRecordPosition < 0);
	if (!fromOutside && record.key >= state.nextKey) state.nextKey = record.key + 1;
}

export const engineCore: EngineCore<EngineState> = {
	createState: createEngineState,

	async prepareCommand(command) {
		if (command.valueType !== ValueType.DEPLOYMENT || command.intent !== "CREATE") return command;
		const value = command.value as unknown as DeployCommandValue;
		const prepared = await prepareDeployment(value);
		return { ...command, value: { ...value, prepared } };
	},

	processCommand,

	async replay(state, records) {
		for (const record of records) {
			if (record.recordType === RecordType.EVENT) {
				if (record.valueType === ValueType.PROCESS && record.intent === "CREATED") {
					const value = record.value as {
						checksum: string;
						bpmnProcessId: string;
						resourceName: string;
						resource: string;
					};
					await ensureModel(value.checksum, value.bpmnProcessId, value.resourceName, value.resource);
				}
				if (record.valueType === ValueType.DECISION_REQUIREMENTS && record.intent === "CREATED") {
					const value = record.value as { checksum: string; resource: string };
					await ensureDecisionModels(value.checksum, value.resource);
				}
				applyEvent(state, record);
			}
			advanceCounters(state, record);
		}
	},

	dueWork(state, now): DueWork {
		// The due queue may hold stale entries (job completed, timer canceled): each is checked against the
		// state. Due entries are put back, so a command the runtime did not process is offered again.
		const queue = state.dueQueue;
		const commands: EngineCommand[] = [];
		const due: DueEntry[] = [];
		for (let entry = queue.peek(); entry && entry.at <= now; entry = queue.peek()) {
			queue.pop();
			const command = dueCommand(state, entry);
			if (command) {
				commands.push(command);
				due.push(entry);
			}
		}
		// Drop stale entries at the front so that nextDueAt names real work.
		while (queue.peek() && !dueCommand(state, queue.peek()!)) queue.pop();
		const later = queue.peek()?.at ?? null;
		for (const entry of due) queue.push(entry);
		return { commands, nextDueAt: later };
	},

	snapshot: snapshotState,

	async restore(snapshot) {
		const data = snapshot as EngineSnapshot;
		const resources = new Map(data.resources);
		for (const definition of data.processes) {
			const resource = resources.get(definition.checksum);
			if (!resource)
				throw new Error(
					`snapshot lacks the resource of process '${definition.bpmnProcessId}' (checksum ${definition.checksum})`,
				);
			await ensureModel(definition.checksum, definition.bpmnProcessId, resource.resourceName, resource.resource);
		}
		for (const requirements of data.decisionRequirements ?? []) {
			const resource = resources.get(requirements.checksum);
			if (resource) await ensureDecisionModels(requirements.checksum, resource.resource);
		}
		return restoreState(data, (definition) => processModel(definition.checksum, definition.bpmnProcessId)!);
	},

	lastPosition: (state) => state.position,
};
