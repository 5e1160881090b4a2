import { enqueueNotification } from "../../domain";
import { complete, type JobModule } from "../runtime/job-module";
import { findCaseRef, optionalString, requireString, riyadhIso } from "./job-variables";

/**
 * `records.update-criminal-record`: records a final conviction in the criminal record (السوابق) by
 * sending it to the records service through the outbox (channel INTERNAL, recipient `criminal-records`).
 * The person is referred to by the master-index id, never by the national ID.
 */
export const recordsUpdateCriminalRecordWorker: JobModule = {
	type: "records.update-criminal-record",
	description: "Sends the final conviction to the criminal-record service",
	async handle(job, { em, services }) {
		const ref = await findCaseRef(em, requireString(job, "caseNumber"));
		const accusedPersonId = requireString(job, "accusedPersonId");
		const recordedAt = riyadhIso(services.now());
		await enqueueNotification(em, {
			idempotencyKey: job.key,
			channel: "INTERNAL",
			recipient: "criminal-records",
			template: "criminal-record-update",
			payload: {
				caseNumber: ref.number,
				accusedPersonId,
				verdict: optionalString(job, "verdict") ?? null,
				sentenceTypes: Array.isArray(job.variables.sentenceTypes) ? job.variables.sentenceTypes : [],
				recordedAt,
			},
			caseId: ref.caseRecord?.id,
		});
		return complete({ criminalRecordUpdatedAt: recordedAt });
	},
};
