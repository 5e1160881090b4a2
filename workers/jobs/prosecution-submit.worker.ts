import { allocateSequence, enqueueNotification, hijriYearOf } from "../../domain";
import { complete, type JobModule } from "../runtime/job-module";
import { findCaseRef, requireString, riyadhIso } from "./job-variables";

/**
 * `prosecution.submit`: submits the referral file (the generated referral letter) to the Public
 * Prosecution through the outbox (channel PROSECUTION, drained by the GSB adapter or the development
 * simulator). The PP reference is allocated here from its own yearly series (`PP-1447-000001`); the
 * PP's own case number arrives later with `PPDecision`.
 */
export const prosecutionSubmitWorker: JobModule = {
	type: "prosecution.submit",
	description: "Submits the referral to the Public Prosecution; writes ppReferenceNumber, referralSubmittedAt",
	async handle(job, { em, services }) {
		const ref = await findCaseRef(em, requireString(job, "caseNumber"));
		const documentId = requireString(job, "generatedDocumentId");
		const now = services.now();
		const year = hijriYearOf(now);
		const sequence = await allocateSequence(em, "PP-REFERRAL", year);
		const ppReferenceNumber = `PP-${year}-${String(sequence).padStart(6, "0")}`;
		const referralSubmittedAt = riyadhIso(now);
		await enqueueNotification(em, {
			idempotencyKey: job.key,
			channel: "PROSECUTION",
			recipient: `public-prosecution:${ref.unitCode.split("-")[0]}`,
			template: "prosecution-referral",
			payload: { caseNumber: ref.number, ppReferenceNumber, documentId, referralSubmittedAt },
			caseId: ref.caseRecord?.id,
		});
		return complete({ ppReferenceNumber, referralSubmittedAt });
	},
};
