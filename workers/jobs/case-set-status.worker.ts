import { addOffence, addParty, applyProsecutionDecision, CasePartySchema, type CaseStatus, type PartyRole, DISMISSAL_REASONS, type DismissalReason, transitionCase } from "../../domain";
import { complete, type JobModule } from "../runtime/job-module";
import { suspectPerson } from "./suspect";
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
 * INDICTED and DISMISSED_BY_PP carry the PP's decision down to the charges (per accused per offence,
 * created if missing), so judgments can later be recorded per charge.
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
		const at = services.now();
		const updated = await transitionCase(em, ref.caseRecord.id, status, {
			dismissalReason: status === "DISMISSED_BY_PP" ? (dismissalReason ?? "OTHER") : undefined,
			at,
		});
		if (status === "INDICTED" || status === "DISMISSED_BY_PP") {
			// The PP's decision names the offence and the suspect: record them if the inquiry has not (a summoned
			// suspect is never arrested, so no custody episode made them a party), then decide every charge.
			const offenceCode = optionalString(job, "finalOffenceCode") ?? optionalString(job, "offenceCode");
			if (offenceCode) await addOffence(em, ref.caseRecord.id, offenceCode);
			const suspectId = optionalString(job, "suspectNationalId");
			if (suspectId) {
				const person = await suspectPerson(em, services, job, suspectId);
				const roles = { $in: ["SUSPECT", "ACCUSED"] as PartyRole[] };
				const parties = await em.count(CasePartySchema, { caseRecord: ref.caseRecord, person, role: roles });
				if (parties === 0) await addParty(em, { caseId: ref.caseRecord.id, personId: person.id, role: "SUSPECT" });
			}
			const decision =
				status === "INDICTED"
					? ({ to: "INDICTED" } as const)
					: ({ to: "DISMISSED", dismissalReason: dismissalReason ?? "OTHER" } as const);
			await applyProsecutionDecision(em, ref.caseRecord.id, decision, at);
		}
		return complete({ caseStatus: updated.status });
	},
};
