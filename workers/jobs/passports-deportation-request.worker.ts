import { allocateSequence, enqueueNotification, hijriYearOf } from "../../domain";
import { complete, type JobModule } from "../runtime/job-module";
import { optionalString, requireString } from "./job-variables";

/**
 * `passports.deportation-request`: the deportation request for a convicted non-Saudi to the Passports
 * adapter (outbox channel INTERNAL, recipient `passports`), numbered `DEP-1447-000001`. A Saudi national
 * is never deported: the request is not sent and the job completes without an id (the diagram's gateway
 * should not have come here).
 */
export const passportsDeportationRequestWorker: JobModule = {
	type: "passports.deportation-request",
	description: "Sends the deportation request for a non-Saudi to the Passports adapter",
	async handle(job, { em, services, logger }) {
		const accusedPersonId = requireString(job, "accusedPersonId");
		const nationality = optionalString(job, "nationality");
		if (nationality === "SA") {
			logger.warn("deportation requested for a Saudi national; not sent");
			return complete({ deportationRequestId: null });
		}
		const year = hijriYearOf(services.now());
		const deportationRequestId = `DEP-${year}-${String(await allocateSequence(em, "DEP", year)).padStart(6, "0")}`;
		await enqueueNotification(em, {
			idempotencyKey: job.key,
			channel: "INTERNAL",
			recipient: "passports",
			template: "deportation-request",
			payload: {
				deportationRequestId,
				accusedPersonId,
				nationality: nationality ?? null,
				caseNumber: optionalString(job, "caseNumber") ?? null,
			},
		});
		return complete({ deportationRequestId });
	},
};
