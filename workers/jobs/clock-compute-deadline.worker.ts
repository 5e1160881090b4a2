import { addDaysInRiyadh, legalClockRules } from "../../domain";
import { complete, type JobModule } from "../runtime/job-module";
import { optionalInstant, optionalString, requireHeader, requireInstant, riyadhIso } from "./job-variables";

/**
 * Policy clocks (not statutory): where the diagrams' SLA timers and review cycles come from. Legal and
 * operations staff change them here, never in a diagram (processes/README.md, "Clocks never contain literals").
 */
export const POLICY_CLOCKS = {
	/** Review of a case suspended against an unknown offender (domain.md §4 P2). */
	suspensionReviewCycle: "R/P30D",
	/** Evidence check-in into the evidence room after seizure, hours (P4). */
	evidenceCheckInHours: 24,
	/** Periodic audit of seal and location (P4). */
	evidenceAuditCycle: "R/P90D",
	/** Follow-up while the PP has not decided (P5). */
	ppFollowUpCycle: "R/P15D",
	/** Completion of items the PP returned, days (P5). */
	completionDays: 7,
	/** Lost-property retention before closing, days, and the re-match cycle (P7). */
	lostRetentionDays: 90,
	lostRematchCycle: "R/P7D",
	/** Saher objection window, days from recording (P8, [S33]). */
	saherObjectionDays: 30,
} as const;

const CLOCKS = [
	"SUSPENSION_REVIEW",
	"EVIDENCE",
	"PP_FOLLOW_UP",
	"COMPLETION",
	"APPEAL_WINDOW",
	"LOST_RETENTION",
	"SAHER_OBJECTION",
] as const;

/**
 * `clock.compute-deadline`: one clock per header value, from the legal-clock table (appeal window) or the
 * policy table above, written as ISO-8601 instants (with offset) or cycles the diagram's timers read.
 */
export const clockComputeDeadlineWorker: JobModule = {
	type: "clock.compute-deadline",
	description: "Computes the deadline or cycle of the header's clock from the legal-clock and policy tables",
	async handle(job, { services }) {
		const clock = requireHeader(job, "clock", CLOCKS);
		const now = services.now();
		switch (clock) {
			case "SUSPENSION_REVIEW":
				return complete({ reviewCycle: POLICY_CLOCKS.suspensionReviewCycle });
			case "EVIDENCE": {
				const seizedAt = optionalInstant(job, "seizedAt") ?? now;
				return complete({
					checkInDueAt: riyadhIso(new Date(seizedAt.getTime() + POLICY_CLOCKS.evidenceCheckInHours * 3_600_000)),
					auditCycle: POLICY_CLOCKS.evidenceAuditCycle,
				});
			}
			case "PP_FOLLOW_UP":
				return complete({ ppFollowUpCycle: POLICY_CLOCKS.ppFollowUpCycle });
			case "COMPLETION":
				return complete({ completionDueAt: riyadhIso(addDaysInRiyadh(now, POLICY_CLOCKS.completionDays)) });
			case "APPEAL_WINDOW": {
				const receivedAt = requireInstant(job, "judgmentCopyReceivedAt");
				const rules = legalClockRules(optionalString(job, "governingLaw") ?? "LCP-1435", services.clocks);
				const appealPath = job.variables.appealPath as { objectionDays?: unknown } | undefined;
				const days = typeof appealPath?.objectionDays === "number" ? appealPath.objectionDays : rules.appealWindowDays;
				return complete({ objectionDeadline: riyadhIso(addDaysInRiyadh(receivedAt, days)) });
			}
			case "LOST_RETENTION": {
				const reportedAt = optionalInstant(job, "reportedAt") ?? now;
				return complete({
					retentionEndsAt: riyadhIso(addDaysInRiyadh(reportedAt, POLICY_CLOCKS.lostRetentionDays)),
					rematchCycle: POLICY_CLOCKS.lostRematchCycle,
				});
			}
			case "SAHER_OBJECTION": {
				const recordedAt = requireInstant(job, "violationRecordedAt");
				return complete({
					objectionDeadline: riyadhIso(addDaysInRiyadh(recordedAt, POLICY_CLOCKS.saherObjectionDays)),
				});
			}
		}
	},
};
