import { type CaseStatus, DISMISSAL_REASONS, type DismissalReason, transitionCase } from "../../domain";
import { complete, type JobModule } from "../runtime/job-module";
import { findCaseRef, optionalString, requireHeader, requireString } from "./job-variables";

const STATUSES = [
	"UNDER_INQUIRY",
	"SUSPENDED_UNKNOWN_OFFENDER",
	"REFERRED_TO_PP",
	"RETURNED_FOR_COMPLETION",
	"DISMISSED_BY_PP",
	"INDICTED",
	"IN_TRIAL",
	"JUDGMENT_ISSUED",
	"UNDER_APPEAL",
	"FINAL_JUDGMENT",
	"IN_EXECUTION",
	"CLOSED",
] as const satisfies readonly CaseStatus[];

/**
 * `case.set-status`: moves the case along its state machine (domain.md §2.5) to the status in the header.
 * An illegal move is a DomainError, so the job fails with no retries and the incident names the move:
 * the diagram and the case disagree and someone must look, never silently.
 */
export const caseSetStatusWorker: JobModule = {
	type: "case.set-status",
	description: "Moves the case to the header's status and writes caseStatus",
	async handle(job, { em, services }) {
		const status = requireHeader(job, "status", STATUSES);
		const ref = await findCaseRef(em, requireString(job, "caseNumber"));
		if (!ref.caseRecord) return complete({ caseStatus: status });
		if (ref.caseRecord.status === status) return complete({ caseStatus: status });
		const reason = job.customHeaders.reason || optionalString(job, "dismissalReason") || optionalString(job, "reasonCode");
		const dismissalReason = DISMISSAL_REASONS.includes(reason as DismissalReason) ? (reason as DismissalReason) : undefined;
		const updated = await transitionCase(em, ref.caseRecord.id, status, {
			dismissalReason: status === "DISMISSED_BY_PP" ? (dismissalReason ?? "OTHER") : undefined,
			at: services.now(),
		});
		return complete({ caseStatus: updated.status });
	},
};
