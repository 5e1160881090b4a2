import type { DeploymentProblem, ExecutableProcess } from "../../bpmn/executable-model";
import type { ParsedDmnResource } from "../../feel/dmn-decision";
import { registerDecisionModel, registerProcessModel } from "../appliers/process-models";
import type { ProcessMetadata } from "../commands";
import { createTimer, evaluateTimer, timerValue } from "../bpmn/timer.behavior";
import type { TimerSchedule } from "../bpmn/timer-schedule";
import { highestVersion, latestDecisionRequirements, latestProcess } from "../engine-state";
import type { ProcessingContext, QueuedCommand } from "../processing-context";
import { DEFAULT_TENANT, DeploymentIntent, RejectionType, TimerIntent, ValueType } from "../protocol";

/** One resource after `prepareCommand`: its text, checksum and what it deploys. */
export interface PreparedResource {
	resourceName: string;
	resource: string;
	checksum: string;
	kind: "bpmn" | "form" | "dmn";
	processes: ExecutableProcess[];
	formId?: string;
	dmn?: ParsedDmnResource;
}

/** The `prepared` payload of a DEPLOYMENT CREATE command. */
export interface PreparedDeployment {
	resources: PreparedResource[];
	problems: DeploymentProblem[];
}

/** Zeebe's rejection text: every problem, grouped by resource, each with its element. */
export function describeProblems(problems: DeploymentProblem[]): string {
	const lines = ["Expected to deploy new resources, but encountered the following errors:"];
	const byResource = new Map<string, DeploymentProblem[]>();
	for (const problem of problems) {
		const list = byResource.get(problem.resourceName) ?? [];
		list.push(problem);
		byResource.set(problem.resourceName, list);
	}
	for (const [resourceName, list] of byResource) {
		lines.push(`'${resourceName}':`);
		for (const problem of list) {
			lines.push(problem.elementId ? `- Element: ${problem.elementId}` : "- Resource");
			lines.push(`    - ERROR: ${problem.message}`);
		}
	}
	return lines.join("\n");
}

/**
 * DEPLOYMENT CREATE: atomic; versions per bpmnProcessId / form id; an unchanged resource (same name and
 * checksum as the latest version) deploys no new version (zeebe-behaviour.md App. A).
 */
export function processDeploymentCreate(context: ProcessingContext, command: QueuedCommand, prepared: unknown): void {
	const deployment = prepared as PreparedDeployment | undefined;
	if (!deployment || !Array.isArray(deployment.resources)) {
		context.reject(
			command,
			RejectionType.PROCESSING_ERROR,
			"Expected a prepared deployment, but the command was not passed through prepareCommand; the runtime must await engineCore.prepareCommand before queuing it",
		);
		return;
	}
	if (deployment.resources.length === 0 && deployment.problems.length === 0) {
		context.reject(command, RejectionType.INVALID_ARGUMENT, "Expected to deploy at least one resource, but none given");
		return;
	}
	const problems = [...deployment.problems];
	const seen = new Map<string, string>();
	for (const resource of deployment.resources) {
		for (const process of resource.processes) {
			const other = seen.get(process.bpmnProcessId);
			if (other !== undefined) {
				problems.push({
					resourceName: resource.resourceName,
					elementId: process.bpmnProcessId,
					message: `the process id '${process.bpmnProcessId}' is also used in '${other}'; process ids must be unique within a deployment`,
				});
			}
			seen.set(process.bpmnProcessId, resource.resourceName);
		}
	}
	// Timer start events are evaluated at deployment, without variables (§6).
	const startTimers = new Map<string, Array<[string, TimerSchedule]>>();
	for (const resource of deployment.resources) {
		for (const process of resource.processes) {
			for (const id of process.elements[process.bpmnProcessId].timerStartEventIds ?? []) {
				// A timer the parser refused (e.g. timeDuration on a process start event) is already a problem.
				if (!process.elements[id].timer) continue;
				const schedule = evaluateTimer(process.elements[id], () => ({}), context.now);
				if (typeof schedule === "string") {
					problems.push({ resourceName: resource.resourceName, elementId: id, message: schedule });
					continue;
				}
				const list = startTimers.get(`${resource.checksum}:${process.bpmnProcessId}`) ?? [];
				list.push([id, schedule]);
				startTimers.set(`${resource.checksum}:${process.bpmnProcessId}`, list);
			}
		}
	}
	if (problems.length > 0) {
		context.reject(command, RejectionType.INVALID_ARGUMENT, describeProblems(problems));
		return;
	}
	const state = context.state;
	const requestedTenant = (command.record.value as { tenantId?: string }).tenantId;
	const tenantId = requestedTenant && requestedTenant !== "" ? requestedTenant : DEFAULT_TENANT;
	const deploymentKey = context.nextKey();
	const processesMetadata: Array<ProcessMetadata & { checksum: string }> = [];
	const decisionsMetadata: DecisionMetadata[] = [];
	const decisionRequirementsMetadata: RequirementsMetadata[] = [];
	const formMetadata: Array<{
		formId: string;
		version: number;
		formKey: number;
		resourceName: string;
		tenantId: string;
		checksum: string;
		duplicate: boolean;
	}> = [];
	for (const resource of deployment.resources) {
		for (const process of resource.processes) {
			const latest = latestProcess(state, process.bpmnProcessId);
			const unchanged =
				latest !== undefined && latest.checksum === resource.checksum && latest.resourceName === resource.resourceName;
			if (unchanged && latest) {
				processesMetadata.push({
					bpmnProcessId: latest.bpmnProcessId,
					version: latest.version,
					processDefinitionKey: latest.key,
					resourceName: latest.resourceName,
					tenantId: latest.tenantId,
					checksum: latest.checksum,
					duplicate: true,
				});
				continue;
			}
			registerProcessModel(resource.checksum, process);
			const key = context.nextKey();
			const version = highestVersion(state.processVersions, process.bpmnProcessId) + 1;
			context.event(ValueType.PROCESS, "CREATED", key, {
				bpmnProcessId: process.bpmnProcessId,
				version,
				processDefinitionKey: key,
				resourceName: resource.resourceName,
				checksum: resource.checksum,
				resource: resource.resource,
				deploymentKey,
				duplicate: false,
				tenantId,
			});
			// A new version replaces the start timers of the older ones (§6).
			for (const timer of [...state.timers.values()]) {
				const older = state.processes.get(timer.processDefinitionKey);
				if (timer.elementInstanceKey < 0 && older?.bpmnProcessId === process.bpmnProcessId) {
					context.event(ValueType.TIMER, TimerIntent.CANCELED, timer.key, timerValue(timer));
				}
			}
			// Signal start events: the new version's subscriptions replace the older versions' (§8.3).
			for (const subscription of [...state.signalSubscriptions.values()]) {
				const older = state.processes.get(subscription.processDefinitionKey);
				if (subscription.elementInstanceKey < 0 && older?.bpmnProcessId === process.bpmnProcessId) {
					const { key: _key, ...value } = subscription;
					context.event(ValueType.SIGNAL_SUBSCRIPTION, "DELETED", subscription.key, value);
				}
			}
			for (const id of process.elements[process.bpmnProcessId].signalStartEventIds ?? []) {
				context.event(ValueType.SIGNAL_SUBSCRIPTION, "CREATED", context.nextKey(), {
					elementInstanceKey: -1,
					processInstanceKey: -1,
					processDefinitionKey: key,
					bpmnProcessId: process.bpmnProcessId,
					signalName: process.elements[id].signal?.name ?? "",
					elementId: id,
					interrupting: true,
					tenantId,
				});
			}
			for (const [id, schedule] of startTimers.get(`${resource.checksum}:${process.bpmnProcessId}`) ?? []) {
				createTimer(
					context,
					{ key: -1, processInstanceKey: -1, processDefinitionKey: key, tenantId },
					process.elements[id],
					schedule,
				);
			}
			processesMetadata.push({
				bpmnProcessId: process.bpmnProcessId,
				version,
				processDefinitionKey: key,
				resourceName: resource.resourceName,
				tenantId,
				checksum: resource.checksum,
				duplicate: false,
			});
		}
		if (resource.kind === "dmn" && resource.dmn)
			deployDecisions(
				context,
				resource,
				resource.dmn,
				deploymentKey,
				tenantId,
				decisionsMetadata,
				decisionRequirementsMetadata,
			);
		if (resource.kind === "form" && resource.formId) {
			const versions = state.formVersions.get(resource.formId);
			const latest = versions ? state.forms.get(versions[versions.length - 1]) : undefined;
			if (latest && latest.checksum === resource.checksum && latest.resourceName === resource.resourceName) {
				formMetadata.push({
					formId: latest.formId,
					version: latest.version,
					formKey: latest.key,
					resourceName: latest.resourceName,
					tenantId: latest.tenantId,
					checksum: latest.checksum,
					duplicate: true,
				});
				continue;
			}
			const key = context.nextKey();
			const version = (latest?.version ?? 0) + 1;
			const form = {
				formId: resource.formId,
				version,
				formKey: key,
				resourceName: resource.resourceName,
				checksum: resource.checksum,
				resource: resource.resource,
				deploymentKey,
				duplicate: false,
				tenantId,
			};
			context.event(ValueType.FORM, "CREATED", key, form);
			formMetadata.push({
				formId: resource.formId,
				version,
				formKey: key,
				resourceName: resource.resourceName,
				tenantId,
				checksum: resource.checksum,
				duplicate: false,
			});
		}
	}
	const created = context.event(ValueType.DEPLOYMENT, DeploymentIntent.CREATED, deploymentKey, {
		deploymentKey,
		tenantId,
		resources: deployment.resources.map((resource) => ({
			resourceName: resource.resourceName,
			resource: resource.resource,
		})),
		processesMetadata,
		decisionsMetadata,
		decisionRequirementsMetadata,
		formMetadata,
	});
	context.respond(command.requestId, created);
}

type DecisionMetadata = {
	dmnDecisionId: string;
	dmnDecisionName: string;
	version: number;
	decisionKey: number;
	dmnDecisionRequirementsId: string;
	decisionRequirementsKey: number;
	tenantId: string;
	duplicate: boolean;
};
type RequirementsMetadata = {
	dmnDecisionRequirementsId: string;
	dmnDecisionRequirementsName: string;
	version: number;
	decisionRequirementsKey: number;
	resourceName: string;
	tenantId: string;
	duplicate: boolean;
};

/** A DMN resource: one DECISION_REQUIREMENTS and one DECISION per decision, versioned by id (unchanged = duplicate). */
function deployDecisions(
	context: ProcessingContext,
	resource: PreparedResource,
	dmn: ParsedDmnResource,
	deploymentKey: number,
	tenantId: string,
	decisionsMetadata: DecisionMetadata[],
	requirementsMetadata: RequirementsMetadata[],
): void {
	const state = context.state;
	const latest = latestDecisionRequirements(state, dmn.decisionRequirementsId);
	if (latest && latest.checksum === resource.checksum && latest.resourceName === resource.resourceName) {
		requirementsMetadata.push({
			dmnDecisionRequirementsId: latest.decisionRequirementsId,
			dmnDecisionRequirementsName: latest.decisionRequirementsName,
			version: latest.version,
			decisionRequirementsKey: latest.key,
			resourceName: latest.resourceName,
			tenantId: latest.tenantId,
			duplicate: true,
		});
		for (const decision of state.decisions.values()) {
			if (decision.decisionRequirementsKey !== latest.key) continue;
			decisionsMetadata.push({
				dmnDecisionId: decision.decisionId,
				dmnDecisionName: decision.decisionName,
				version: decision.version,
				decisionKey: decision.key,
				dmnDecisionRequirementsId: decision.decisionRequirementsId,
				decisionRequirementsKey: decision.decisionRequirementsKey,
				tenantId: decision.tenantId,
				duplicate: true,
			});
		}
		return;
	}
	for (const decision of dmn.decisions) registerDecisionModel(resource.checksum, decision);
	const requirementsKey = context.nextKey();
	const requirementsVersion = highestVersion(state.decisionRequirementsVersions, dmn.decisionRequirementsId) + 1;
	context.event(ValueType.DECISION_REQUIREMENTS, "CREATED", requirementsKey, {
		decisionRequirementsId: dmn.decisionRequirementsId,
		decisionRequirementsName: dmn.decisionRequirementsName,
		decisionRequirementsVersion: requirementsVersion,
		decisionRequirementsKey: requirementsKey,
		resourceName: resource.resourceName,
		checksum: resource.checksum,
		resource: resource.resource,
		deploymentKey,
		duplicate: false,
		tenantId,
	});
	requirementsMetadata.push({
		dmnDecisionRequirementsId: dmn.decisionRequirementsId,
		dmnDecisionRequirementsName: dmn.decisionRequirementsName,
		version: requirementsVersion,
		decisionRequirementsKey: requirementsKey,
		resourceName: resource.resourceName,
		tenantId,
		duplicate: false,
	});
	for (const decision of dmn.decisions) {
		const version = highestVersion(state.decisionVersions, decision.decisionId) + 1;
		const key = context.nextKey();
		context.event(ValueType.DECISION, "CREATED", key, {
			decisionId: decision.decisionId,
			decisionName: decision.decisionName,
			version,
			decisionKey: key,
			decisionRequirementsId: dmn.decisionRequirementsId,
			decisionRequirementsKey: requirementsKey,
			duplicate: false,
			tenantId,
		});
		decisionsMetadata.push({
			dmnDecisionId: decision.decisionId,
			dmnDecisionName: decision.decisionName,
			version,
			decisionKey: key,
			dmnDecisionRequirementsId: dmn.decisionRequirementsId,
			decisionRequirementsKey: requirementsKey,
			tenantId,
			duplicate: false,
		});
	}
}
