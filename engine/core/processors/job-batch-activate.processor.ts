import type { ActivateJobsCommandValue, ActivatedJobValue } from "../commands";
import type { ProcessingContext, QueuedCommand } from "../processing-context";
import { DEFAULT_TENANT, JobBatchIntent, RejectionType, ValueType } from "../protocol";
import { selectedVariables, visibleVariables } from "../variables/variable-behavior";

/**
 * JOB_BATCH ACTIVATE (§4.2): up to `maxJobsToActivate` activatable jobs of the type, oldest key first;
 * deadline = now + timeout; variables all visible from the job's element, or the requested names that
 * exist. An empty batch is a valid answer (the gateway long-polls).
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
	let truncated = false;
	for (const key of state.activatableJobs.get(type) ?? []) {
		const job = state.jobs.get(key);
		if (!job || !tenants.has(job.tenantId)) continue;
		if (jobs.length >= value.maxJobsToActivate) {
			truncated = true;
			break;
		}
		jobs.push({
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
		});
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
}
