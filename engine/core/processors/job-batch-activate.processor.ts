import { raiseIncident } from "../bpmn/incident.behavior";
import type { ActivateJobsCommandValue, ActivatedJobValue } from "../commands";
import type { Job } from "../engine-state";
import type { ProcessingContext, QueuedCommand } from "../processing-context";
import { DEFAULT_TENANT, ErrorType, JobBatchIntent, JobIntent, RejectionType, ValueType } from "../protocol";
import { selectedVariables, visibleVariables } from "../variables/variable-behavior";
import { jobValue } from "./job-commands.processor";

/**
 * Largest size of the jobs of one batch (their variables and custom headers as JSON, UTF-8 bytes): the
 * gateway sends a batch as one gRPC message of at most 4 MiB, so a batch stops before it would not fit.
 */
export const MAX_JOB_BATCH_BYTES = 4 * 1024 * 1024 - 256 * 1024;

/**
 * JOB_BATCH ACTIVATE (§4.2): up to `maxJobsToActivate` activatable jobs of the type, oldest key first;
 * deadline = now + timeout; variables all visible from the job's element, or the requested names that
 * exist. An empty batch is a valid answer (the gateway long-polls). The batch ends early (`truncated`)
 * before it exceeds {@link MAX_JOB_BATCH_BYTES}; a job too large on its own can never be delivered, so it
 * fails with no retries and an incident MESSAGE_SIZE_EXCEEDED (as in Zeebe) instead of blocking its type.
 */
export function processJobBatchActivate(context: ProcessingContext, command: QueuedCommand): void {
	const value = command.record.value as unknown as ActivateJobsCommandValue;
	const type = value.type ?? "";
	if (type.trim() === "") {
		context.reject(
			command,
			RejectionType.INVALID_ARGUMENT,
			"Expected to activate job batch with type to be present, but it was blank",
		);
		return;
	}
	if (!(value.timeout > 0)) {
		context.reject(
			command,
			RejectionType.INVALID_ARGUMENT,
			`Expected to activate job batch with timeout to be greater than zero, but it was '${value.timeout}'`,
		);
		return;
	}
	if (!(value.maxJobsToActivate > 0)) {
		context.reject(
			command,
			RejectionType.INVALID_ARGUMENT,
			`Expected to activate job batch with max jobs to activate to be greater than zero, but it was '${value.maxJobsToActivate}'`,
		);
		return;
	}
	const state = context.state;
	const tenants = new Set((value.tenantIds ?? []).map((tenant) => (tenant === "" ? DEFAULT_TENANT : tenant)));
	if (tenants.size === 0) tenants.add(DEFAULT_TENANT);
	const fetch = value.fetchVariable ?? [];
	const worker = value.worker ?? "";
	const deadline = context.now + value.timeout;
	const jobs: ActivatedJobValue[] = [];
	const tooLarge: Array<{ job: Job; bytes: number }> = [];
	let batchBytes = 0;
	let truncated = false;
	for (const key of state.activatableJobs.get(type) ?? []) {
		const job = state.jobs.get(key);
		if (!job || !tenants.has(job.tenantId)) continue;
		if (jobs.length >= value.maxJobsToActivate) {
			truncated = true;
			break;
		}
		const activated: ActivatedJobValue = {
			key,
			type: job.type,
			processInstanceKey: job.processInstanceKey,
			bpmnProcessId: job.bpmnProcessId,
			processDefinitionVersion: job.processDefinitionVersion,
			processDefinitionKey: job.processDefinitionKey,
			elementId: job.elementId,
			elementInstanceKey: job.elementInstanceKey,
			customHeaders: job.customHeaders,
			worker,
			retries: job.retries,
			deadline,
			variables:
				fetch.length > 0
					? selectedVariables(state, job.elementInstanceKey, fetch)
					: visibleVariables(state, job.elementInstanceKey),
			tenantId: job.tenantId,
		};
		const bytes =
			Buffer.byteLength(JSON.stringify(activated.variables)) + Buffer.byteLength(JSON.stringify(job.customHeaders));
		if (bytes > MAX_JOB_BATCH_BYTES) {
			tooLarge.push({ job, bytes });
			continue;
		}
		if (batchBytes + bytes > MAX_JOB_BATCH_BYTES) {
			truncated = true;
			break;
		}
		batchBytes += bytes;
		jobs.push(activated);
	}
	const activated = context.event(ValueType.JOB_BATCH, JobBatchIntent.ACTIVATED, context.nextKey(), {
		type,
		worker,
		timeout: value.timeout,
		maxJobsToActivate: value.maxJobsToActivate,
		tenantIds: [...tenants],
		jobKeys: jobs.map((job) => job.key),
		jobs,
		truncated,
	});
	context.respond(command.requestId, activated);
	for (const { job, bytes } of tooLarge) {
		const message = `The job with key '${job.key}' can not be activated, because its variables and headers take ${bytes} bytes, more than the ${MAX_JOB_BATCH_BYTES} a job batch may carry. Reduce the variables (or fetch fewer with fetchVariable), then update the job's retries and resolve this incident.`;
		context.event(
			ValueType.JOB,
			JobIntent.FAILED,
			job.key,
			jobValue(job, { retries: 0, errorMessage: message, deadline: -1 }),
		);
		const element = state.elementInstances.get(job.elementInstanceKey);
		if (element) raiseIncident(context, element, ErrorType.MESSAGE_SIZE_EXCEEDED, message, job.key);
	}
}
