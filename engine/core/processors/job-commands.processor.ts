import { findErrorCatch, triggerErrorCatch, uncaughtErrorMessage } from "../bpmn/error-catch.behavior";
import { raiseIncident } from "../bpmn/incident.behavior";
import type {
	CompleteJobCommandValue,
	FailJobCommandValue,
	ThrowErrorCommandValue,
	UpdateRetriesCommandValue,
	UpdateTimeoutCommandValue,
} from "../commands";
import type { Job } from "../engine-state";
import type { ProcessingContext, QueuedCommand } from "../processing-context";
import { ErrorType, JobIntent, ProcessInstanceIntent, RejectionType, ValueType } from "../protocol";
import { mergeLocalDocument } from "../variables/variable-behavior";

/**
 * JOB commands from workers and schedulers (zeebe-behaviour.md §4.3–4.7). Each checks the job's state
 * (Zeebe's DefaultJobCommandPreconditionGuard), writes its event, then drives the element.
 */

/** Longest error message kept (Zeebe truncates at 10 000 characters). */
const MAX_ERROR_MESSAGE = 10_000;

/** Zeebe's JobRecordValue of a job, with overrides. */
export function jobValue(job: Job, overrides: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		type: job.type,
		customHeaders: job.customHeaders,
		worker: job.worker,
		retries: job.retries,
		retryBackoff: job.retryBackoff,
		recurringTime: job.recurringTime,
		deadline: job.deadline,
		timeout: job.timeout,
		errorMessage: job.errorMessage,
		errorCode: job.errorCode,
		elementId: job.elementId,
		elementInstanceKey: job.elementInstanceKey,
		bpmnProcessId: job.bpmnProcessId,
		processDefinitionVersion: job.processDefinitionVersion,
		processDefinitionKey: job.processDefinitionKey,
		processInstanceKey: job.processInstanceKey,
		jobKind: "BPMN_ELEMENT",
		jobListenerEventType: "UNSPECIFIED",
		variables: {},
		tenantId: job.tenantId,
		...overrides,
	};
}

const stateExplanation: Record<Job["state"], string> = {
	ACTIVATABLE: "it is activatable",
	ACTIVATED: "it is activated",
	FAILED:
		"it is in state 'FAILED' (no retries left or waiting for its retry back-off); update its retries and resolve its incident first",
	ERROR_THROWN: "it is in state 'ERROR_THROWN' (a BPMN error was thrown for it); resolve the incident first",
};

/** Finds the job, or writes the rejection. `allowed` lists the states in which the command is accepted. */
function guardJob(
	context: ProcessingContext,
	command: QueuedCommand,
	verb: string,
	allowed: Array<Job["state"]>,
): Job | undefined {
	const key = command.record.key;
	const job = context.state.jobs.get(key);
	if (!job) {
		context.reject(
			command,
			RejectionType.NOT_FOUND,
			`Expected to ${verb} job with key '${key}', but no such job was found (it was completed, canceled, or never existed)`,
		);
		return undefined;
	}
	if (!allowed.includes(job.state)) {
		context.reject(
			command,
			RejectionType.INVALID_STATE,
			`Expected to ${verb} job with key '${key}', but ${stateExplanation[job.state]}`,
		);
		return undefined;
	}
	return job;
}

const workable: Array<Job["state"]> = ["ACTIVATABLE", "ACTIVATED"];

function plainObject(value: unknown): Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function processJobComplete(context: ProcessingContext, command: QueuedCommand): void {
	const job = guardJob(context, command, "complete", workable);
	if (!job) return;
	const variables = plainObject((command.record.value as unknown as CompleteJobCommandValue).variables);
	const completed = context.event(ValueType.JOB, JobIntent.COMPLETED, job.key, jobValue(job, { variables }));
	context.respond(command.requestId, completed);
	const element = context.state.elementInstances.get(job.elementInstanceKey);
	if (element && element.state === "ACTIVATED") {
		context.command(ValueType.PROCESS_INSTANCE, ProcessInstanceIntent.COMPLETE_ELEMENT, element.key, element.value);
	}
}

export function processJobFail(context: ProcessingContext, command: QueuedCommand): void {
	const job = guardJob(context, command, "fail", workable);
	if (!job) return;
	const value = command.record.value as unknown as FailJobCommandValue;
	const retries = Math.trunc(value.retries ?? 0);
	const retryBackoff = Math.max(0, Math.trunc(value.retryBackoff ?? 0));
	const errorMessage = (value.errorMessage ?? "").slice(0, MAX_ERROR_MESSAGE);
	const recurringTime = retries > 0 && retryBackoff > 0 ? context.now + retryBackoff : -1;
	const variables = plainObject(value.variables);
	const failed = context.event(
		ValueType.JOB,
		JobIntent.FAILED,
		job.key,
		jobValue(job, { retries, retryBackoff, recurringTime, errorMessage, deadline: -1, variables }),
	);
	context.respond(command.requestId, failed);
	const element = context.state.elementInstances.get(job.elementInstanceKey);
	// FailJob variables are always local to the job's element instance (§3.4).
	if (element && Object.keys(variables).length > 0) mergeLocalDocument(context, element.key, variables, element.value);
	if (retries <= 0) {
		if (element)
			raiseIncident(context, element, ErrorType.JOB_NO_RETRIES, errorMessage || "No more retries left.", job.key);
	} else if (retryBackoff <= 0) {
		context.jobsAvailable.add(job.type);
	}
}

export function processJobThrowError(context: ProcessingContext, command: QueuedCommand): void {
	const job = guardJob(context, command, "throw an error for", workable);
	if (!job) return;
	const value = command.record.value as unknown as ThrowErrorCommandValue;
	const errorCode = value.errorCode ?? "";
	const errorMessage = (value.errorMessage ?? "").slice(0, MAX_ERROR_MESSAGE);
	const variables = plainObject(value.variables);
	const thrown = context.event(
		ValueType.JOB,
		JobIntent.ERROR_THROWN,
		job.key,
		jobValue(job, { errorCode, errorMessage, variables }),
	);
	context.respond(command.requestId, thrown);
	const element = context.state.elementInstances.get(job.elementInstanceKey);
	if (!element) return;
	const found = findErrorCatch(context, element, errorCode);
	if (found) triggerErrorCatch(context, found, variables);
	else
		raiseIncident(
			context,
			element,
			ErrorType.UNHANDLED_ERROR_EVENT,
			uncaughtErrorMessage(errorCode, errorMessage),
			job.key,
		);
}

export function processJobUpdateRetries(context: ProcessingContext, command: QueuedCommand): void {
	const retries = Math.trunc((command.record.value as unknown as UpdateRetriesCommandValue).retries ?? 0);
	if (retries <= 0) {
		context.reject(
			command,
			RejectionType.INVALID_ARGUMENT,
			`Expected to update retries for job with key '${command.record.key}' with a positive amount of retries, but the amount given was '${retries}'`,
		);
		return;
	}
	const job = guardJob(context, command, "update retries of", ["ACTIVATABLE", "ACTIVATED", "FAILED", "ERROR_THROWN"]);
	if (!job) return;
	const updated = context.event(ValueType.JOB, JobIntent.RETRIES_UPDATED, job.key, jobValue(job, { retries }));
	context.respond(command.requestId, updated);
}

export function processJobUpdateTimeout(context: ProcessingContext, command: QueuedCommand): void {
	const timeout = Math.trunc((command.record.value as unknown as UpdateTimeoutCommandValue).timeout ?? 0);
	const job = guardJob(context, command, "update the timeout of", ["ACTIVATED"]);
	if (!job) return;
	if (timeout <= 0) {
		context.reject(
			command,
			RejectionType.INVALID_ARGUMENT,
			`Expected to update the timeout of job with key '${job.key}' to a positive number of milliseconds, but it was '${timeout}'`,
		);
		return;
	}
	const updated = context.event(
		ValueType.JOB,
		JobIntent.TIMEOUT_UPDATED,
		job.key,
		jobValue(job, { deadline: context.now + timeout, timeout }),
	);
	context.respond(command.requestId, updated);
}

export function processJobTimeOut(context: ProcessingContext, command: QueuedCommand): void {
	const job = guardJob(context, command, "time out", ["ACTIVATED"]);
	if (!job) return;
	if (job.deadline > context.now) {
		context.reject(
			command,
			RejectionType.INVALID_STATE,
			`Expected to time out job with key '${job.key}', but its deadline ${job.deadline} has not passed yet`,
		);
		return;
	}
	context.event(ValueType.JOB, JobIntent.TIMED_OUT, job.key, jobValue(job));
	context.jobsAvailable.add(job.type);
}

export function processJobRecurAfterBackoff(context: ProcessingContext, command: QueuedCommand): void {
	const job = guardJob(context, command, "recur after back-off", ["FAILED"]);
	if (!job) return;
	if (job.recurringTime <= 0 || job.recurringTime > context.now || job.retries <= 0) {
		context.reject(
			command,
			RejectionType.INVALID_STATE,
			`Expected to recur job with key '${job.key}' after its back-off, but it is not waiting for a back-off that is over`,
		);
		return;
	}
	context.event(ValueType.JOB, JobIntent.RECURRED_AFTER_BACKOFF, job.key, jobValue(job));
	context.jobsAvailable.add(job.type);
}
