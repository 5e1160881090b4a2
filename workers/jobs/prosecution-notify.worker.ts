import { enqueueNotification } from "../../domain";
import { complete, type JobModule } from "../runtime/job-module";
import { findCaseRef, optionalString, requireHeader, requireString, riyadhIso } from "./job-variables";

/**
 * `prosecution.notify`: the immediate (فوراً) notification of the Public Prosecution of a report, scene
 * attendance or arrest (LCP Arts 27, 31, 33). It is written to the notifications outbox (channel
 * PROSECUTION), which the GSB adapter drains; the job key is the outbox row's idempotency key, so a
 * redelivery does not notify twice. Writes `prosecutionNotifiedAt`.
 */
export const prosecutionNotifyWorker: JobModule = {
	type: "prosecution.notify",
	description: "Queues the immediate notification of the Public Prosecution in the outbox",
	async handle(job, { em, services }) {
		const event = requireHeader(job, "event", ["REPORT", "SCENE_ATTENDANCE", "ARREST"] as const);
		const ref = await findCaseRef(em, requireString(job, "caseNumber"));
		const custodyId = event === "ARREST" ? requireString(job, "custodyId") : optionalString(job, "custodyId");
		const notifiedAt = riyadhIso(services.now());
		await enqueueNotification(em, {
			idempotencyKey: job.key,
			channel: "PROSECUTION",
			recipient: `public-prosecution:${ref.unitCode.split("-")[0]}`,
			template: `prosecution-${event.toLowerCase().replace("_", "-")}`,
			payload: { event, caseNumber: ref.number, custodyId: custodyId ?? null, unitCode: ref.unitCode, notifiedAt },
			caseId: ref.caseRecord?.id,
		});
		return complete({ prosecutionNotifiedAt: notifiedAt });
	},
};
