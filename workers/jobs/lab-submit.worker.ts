import { allocateSequence, enqueueNotification, hijriYearOf } from "../../domain";
import { complete, type JobModule } from "../runtime/job-module";
import { findCaseRef, optionalString, requireString } from "./job-variables";

/** How long before a missing lab result is chased (policy, domain.md §4 P2: boundary timer P14D). */
export const LAB_FOLLOW_UP = "P14D";

/**
 * `lab.submit`: sends the forensic lab request through the outbox (channel INTERNAL, recipient the
 * forensic lab of the region) with a request number `LAB-1447-000001`; the result comes back as the
 * message `LabResultReceived` correlated on `labRequestId`. Writes `labRequestId` and `labFollowUp`.
 */
export const labSubmitWorker: JobModule = {
	type: "lab.submit",
	description: "Submits the forensic lab request; writes labRequestId and labFollowUp",
	async handle(job, { em, services }) {
		const ref = await findCaseRef(em, requireString(job, "caseNumber"));
		const year = hijriYearOf(services.now());
		const labRequestId = `LAB-${year}-${String(await allocateSequence(em, "LAB", year)).padStart(6, "0")}`;
		await enqueueNotification(em, {
			idempotencyKey: job.key,
			channel: "INTERNAL",
			recipient: `forensic-lab:${ref.unitCode.split("-")[0]}`,
			template: "lab-request",
			payload: { caseNumber: ref.number, labRequestId, notes: optionalString(job, "labRequestNotes") ?? null },
			caseId: ref.caseRecord?.id,
		});
		return complete({ labRequestId, labFollowUp: LAB_FOLLOW_UP });
	},
};
