import type { EntityManager } from "@mikro-orm/postgresql";
import { type CaseRecord, CaseRecordSchema, DomainError, type Report, ReportSchema } from "../../domain";
import type { JobInput } from "../runtime/job-module";

/**
 * A required string variable; missing → a final failure naming the variable (the diagram must map it),
 * since retrying cannot make it appear.
 */
export function requireString(job: JobInput, name: string): string {
	const value = job.variables[name];
	if (typeof value !== "string" || value.trim() === "") {
		throw new DomainError(
			"INVALID_ARGUMENT",
			`Job ${job.type} at '${job.elementId}' needs the string variable '${name}', got ${value === undefined ? "nothing" : JSON.stringify(typeof value)}; set it before this task or map it in its input mappings`,
		);
	}
	return value.trim();
}

/** An optional string variable. */
export function optionalString(job: JobInput, name: string): string | undefined {
	const value = job.variables[name];
	return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/** A required ISO-8601 instant variable. */
export function requireInstant(job: JobInput, name: string): Date {
	const text = requireString(job, name);
	const instant = new Date(text);
	if (Number.isNaN(instant.getTime())) {
		throw new DomainError(
			"INVALID_ARGUMENT",
			`Variable '${name}' of job ${job.type} must be an ISO-8601 instant with offset (e.g. 2025-09-02T22:30:00+03:00), got '${text}'`,
		);
	}
	return instant;
}

/** An optional ISO-8601 instant variable. */
export function optionalInstant(job: JobInput, name: string): Date | undefined {
	return optionalString(job, name) === undefined ? undefined : requireInstant(job, name);
}

/** A required variable whose value must be one of `allowed`; missing or another value fails naming them. */
export function requireChoice<T extends string>(job: JobInput, name: string, allowed: readonly T[]): T {
	const value = optionalChoice(job, name, allowed);
	if (value === undefined) {
		throw new DomainError(
			"INVALID_ARGUMENT",
			`Job ${job.type} at '${job.elementId}' needs '${name}' set to one of ${allowed.join(", ")}, got ${JSON.stringify(job.variables[name] ?? null)}`,
		);
	}
	return value;
}

/** An optional variable that, when given, must be one of `allowed`. */
export function optionalChoice<T extends string>(job: JobInput, name: string, allowed: readonly T[]): T | undefined {
	const value = optionalString(job, name);
	if (value === undefined) return undefined;
	if (!allowed.includes(value as T)) {
		throw new DomainError(
			"INVALID_ARGUMENT",
			`Job ${job.type} at '${job.elementId}': '${name}' must be one of ${allowed.join(", ")}, got '${value}'`,
		);
	}
	return value as T;
}

/** A header whose value must be one of `allowed` (the element template's drop-down). */
export function requireHeader<T extends string>(job: JobInput, name: string, allowed: readonly T[]): T {
	const value = job.customHeaders[name];
	if (!allowed.includes(value as T)) {
		throw new DomainError(
			"INVALID_ARGUMENT",
			`Task '${job.elementId}' (${job.type}) needs the header '${name}' set to one of ${allowed.join(", ")}, got '${value ?? ""}'; pick it in the element template`,
		);
	}
	return value as T;
}

/**
 * Formats an instant as ISO-8601 in Riyadh time (UTC+3, no DST), the form BPMN timers and forms read:
 * `2025-09-02T22:30:00+03:00`.
 */
export function riyadhIso(instant: Date): string {
	const shifted = new Date(instant.getTime() + 3 * 3_600_000);
	return `${shifted.toISOString().slice(0, 19)}+03:00`;
}

/** The case or lost-property report a number names (`RUH-OLY-1447-000153-9` or `MFQ-1447-000012`). */
export interface CaseRef {
	number: string;
	caseRecord?: CaseRecord;
	report?: Report;
	unitCode: string;
	classification: string;
}

/** Looks up the case (or the MFQ/BLG report) with this number; NOT_FOUND names the number. */
export async function findCaseRef(em: EntityManager, number: string): Promise<CaseRef> {
	if (/^(MFQ|BLG)-/.test(number)) {
		const report = await em.findOne(ReportSchema, { reportNumber: number }, { populate: ["unit"] });
		if (!report) throw new DomainError("NOT_FOUND", `Report ${number} does not exist; check the number`);
		return { number, report, unitCode: report.unit.code, classification: report.classification };
	}
	const caseRecord = await em.findOne(CaseRecordSchema, { caseNumber: number }, { populate: ["unit"] });
	if (!caseRecord) {
		throw new DomainError("NOT_FOUND", `Case ${number} does not exist; check the number and its check digit`);
	}
	return { number, caseRecord, unitCode: caseRecord.unit.code, classification: caseRecord.classification };
}
