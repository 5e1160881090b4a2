import { CLASSIFICATIONS, type Classification, registerCase, registerReport } from "../../domain";
import { complete, type JobModule } from "../runtime/job-module";
import { optionalInstant, optionalString, requireHeader, requireString } from "./job-variables";

/**
 * `case.assign-number`: registers the case (series CASE) and gives it the next number of its unit and
 * Hijri year with its Luhn check digit, `RUH-OLY-1447-000153-9` (domain.md §2.6); series MFQ registers a
 * lost-property report `MFQ-1447-000012`. The sequence is the domain's per-(unit, Hijri year) row, so a
 * rolled-back job gives its number back and the job key makes a redelivery return the same number.
 */
export const caseAssignNumberWorker: JobModule = {
	type: "case.assign-number",
	description: "Registers the case and writes caseNumber (per unit and Hijri year, Luhn check digit)",
	async handle(job, { em, services, logger }) {
		const series = requireHeader(job, "series", ["CASE", "MFQ"] as const);
		const unitCode = requireString(job, "unitCode");
		const openedAt = optionalInstant(job, "reportedAt") ?? services.now();
		if (series === "MFQ") {
			const report = await registerReport(em, {
				unitCode,
				kind: "LOST_PROPERTY",
				channel: "STATION",
				receivedAt: openedAt,
				summary: optionalString(job, "itemDescription") ?? optionalString(job, "description") ?? "بلاغ فقدان",
				idempotencyKey: job.key,
			});
			logger.info({ caseNumber: report.reportNumber }, "lost-property report number assigned");
			return complete({ caseNumber: report.reportNumber });
		}
		// The report-classification DMN writes triage.classificationLevel (SECRET for juveniles, sexual offences …).
		const triage = job.variables.triage as { classificationLevel?: unknown; classification?: unknown } | undefined;
		const fromTriage = triage?.classificationLevel ?? triage?.classification;
		const given = optionalString(job, "classification") ?? (typeof fromTriage === "string" ? fromTriage : undefined);
		const classification = CLASSIFICATIONS.includes(given as Classification) ? (given as Classification) : undefined;
		const caseRecord = await registerCase(em, { unitCode, openedAt, classification, idempotencyKey: job.key });
		logger.info({ caseNumber: caseRecord.caseNumber }, "case number assigned");
		return complete({ caseNumber: caseRecord.caseNumber, caseStatus: caseRecord.status });
	},
};
