import { parseCaseNumber } from "../../domain/index";
import { unitsOf } from "../auth/principal";
import type { UserTask } from "./user-task.entity";

/** The fields of a zeebe-node job the task service reads (Job of `zeebe-node`, plus `tenantId` when present). */
export interface UserTaskJob {
	key: string;
	type: string;
	processInstanceKey: string;
	bpmnProcessId: string;
	processDefinitionVersion: number;
	/** zeebe-node's typings call it `processKey`; the activated job carries `processDefinitionKey`. */
	processKey?: string;
	processDefinitionKey?: string;
	elementId: string;
	elementInstanceKey: string;
	customHeaders: Readonly<Record<string, unknown>>;
	deadline: string;
	variables: Readonly<Record<string, unknown>>;
	tenantId?: string;
}

/** The reserved custom headers Zeebe writes on the job of a job-based user task. */
export const userTaskHeaders = {
	assignee: "io.camunda.zeebe:assignee",
	candidateGroups: "io.camunda.zeebe:candidateGroups",
	candidateUsers: "io.camunda.zeebe:candidateUsers",
	dueDate: "io.camunda.zeebe:dueDate",
	followUpDate: "io.camunda.zeebe:followUpDate",
	formKey: "io.camunda.zeebe:formKey",
	priority: "io.camunda.zeebe:priority",
} as const;

/** Zeebe writes candidate lists as JSON array text (`["a","b"]`); older versions wrote comma lists. */
export function parseList(value: unknown): string[] {
	if (typeof value !== "string" || value.trim() === "") return [];
	const text = value.trim();
	if (text.startsWith("[")) {
		try {
			const parsed = JSON.parse(text) as unknown;
			if (Array.isArray(parsed))
				return parsed.filter((item): item is string => typeof item === "string" && item !== "");
		} catch {
			// not JSON after all: fall back to a comma list
		}
	}
	return text
		.split(",")
		.map((item) => item.trim())
		.filter(Boolean);
}

function parseDate(value: unknown): Date | null {
	if (typeof value !== "string" || value.trim() === "") return null;
	const date = new Date(value);
	return Number.isNaN(date.getTime()) ? null : date;
}

function parsePriority(value: unknown): number {
	const number = typeof value === "string" && value.trim() !== "" ? Number(value) : Number.NaN;
	return Number.isInteger(number) && number >= 0 && number <= 100 ? number : 50;
}

/**
 * The units a task belongs to, for supervisors' lists: those of its candidate groups, and the issuing unit in its
 * case number (`RUH-OLY-1447-000153-9` → `RUH-OLY`), so that a task assigned straight to an officer still shows.
 */
export function taskUnits(candidateGroups: readonly string[], caseNumber: string | null): string[] {
	const units = unitsOf(candidateGroups);
	const parsed = caseNumber ? parseCaseNumber(caseNumber) : undefined;
	if (parsed?.valid) {
		const unit = `${parsed.parts.region}-${parsed.parts.unit}`;
		if (!units.includes(unit)) units.push(unit);
	}
	return units;
}

/** The job's process definition key, under either name. */
export function definitionKeyOf(job: UserTaskJob): string {
	return String(job.processDefinitionKey ?? job.processKey ?? "");
}

/** Options of {@link taskFromJob}. */
export interface TaskFromJobOptions {
	/** The tenant of jobs that carry Zeebe's `<default>` tenant or none: the agency this installation serves. */
	defaultTenantId: string;
	/** The task's display name; the element id when unknown (job records carry no element name). */
	name?: string;
	now: Date;
}

/**
 * The unit a task works for: the issuing unit of its case number (`RUH-OLY-1447-…` → `RUH-OLY`), else its `unitCode`
 * variable (a report before it has a case number, a lost-property report with an `MFQ-…` number).
 */
export function taskUnitOf(caseNumber: string | null, variables: Readonly<Record<string, unknown>>): string | null {
	const parsed = caseNumber ? parseCaseNumber(caseNumber) : undefined;
	if (parsed?.valid) return `${parsed.parts.region}-${parsed.parts.unit}`;
	const unitCode = variables.unitCode;
	return typeof unitCode === "string" && /^[A-Z]{2,5}-[A-Z]{2,5}$/.test(unitCode) ? unitCode : null;
}

/**
 * Scopes the diagrams' role groups to the task's unit: `investigation-officer` → `investigation-officer:RUH-OLY`
 * (processes/README.md: diagrams name roles, the task service scopes them), so an officer sees the tasks of
 * their station's role and not every station's. Groups already scoped, unit groups and tasks without a unit stay.
 */
export function scopeCandidateGroups(groups: readonly string[], unit: string | null): string[] {
	if (!unit) return [...groups];
	return [...new Set(groups.map((group) => (/^[a-z][a-z0-9-]*$/.test(group) ? `${group}:${unit}` : group)))];
}

/** The stored shape of a user task job, as first seen. */
export function taskFromJob(job: UserTaskJob, options: TaskFromJobOptions): UserTask {
	const headers = job.customHeaders as Record<string, unknown>;
	const caseNumber =
		typeof job.variables.caseNumber === "string" && job.variables.caseNumber !== "" ? job.variables.caseNumber : null;
	const candidateGroups = scopeCandidateGroups(
		parseList(headers[userTaskHeaders.candidateGroups]),
		taskUnitOf(caseNumber, job.variables),
	);
	const assignee = headers[userTaskHeaders.assignee];
	return {
		key: String(job.key),
		tenantId: job.tenantId && job.tenantId !== "<default>" ? job.tenantId : options.defaultTenantId,
		state: "CREATED",
		name: options.name ?? job.elementId,
		elementId: job.elementId,
		elementInstanceKey: String(job.elementInstanceKey),
		processDefinitionId: job.bpmnProcessId,
		processDefinitionKey: definitionKeyOf(job),
		processDefinitionVersion: job.processDefinitionVersion,
		processInstanceKey: String(job.processInstanceKey),
		caseNumber,
		assignee: typeof assignee === "string" && assignee.trim() !== "" ? assignee.trim() : null,
		candidateGroups,
		candidateUsers: parseList(headers[userTaskHeaders.candidateUsers]),
		units: taskUnits(candidateGroups, caseNumber),
		dueDate: parseDate(headers[userTaskHeaders.dueDate]),
		followUpDate: parseDate(headers[userTaskHeaders.followUpDate]),
		priority: parsePriority(headers[userTaskHeaders.priority]),
		formKey: typeof headers[userTaskHeaders.formKey] === "string" ? (headers[userTaskHeaders.formKey] as string) : null,
		creationDate: options.now,
		completionDate: null,
		completedBy: null,
		variables: { ...job.variables },
		customHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, String(value)])),
		jobDeadline: parseDate(job.deadline) ?? (/^\d+$/.test(job.deadline) ? new Date(Number(job.deadline)) : null),
	};
}
