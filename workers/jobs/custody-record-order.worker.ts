import {
	type DetentionAuthority,
	recordDetentionOrder,
	recordExtension,
	recordInvestigatorOrder,
	transitionCustody,
} from "../../domain";
import { complete, type JobModule } from "../runtime/job-module";
import { findCustodyEpisode } from "./custody-episode";
import { optionalString, requireChoice, requireHeader, requireInstant, requireString } from "./job-variables";

/** The custody orders of custody-clock (the `order` header), each written on the custody episode. */
export const CUSTODY_ORDERS = [
	"INVESTIGATOR_ORDER",
	"DETENTION_ORDER",
	"EXTENSION",
	"REFERRED_TO_COURT",
	"TRANSFERRED_TO_PRISON",
] as const;
const EXTENSION_AUTHORITIES = [
	"BRANCH_HEAD",
	"ATTORNEY_GENERAL",
	"COURT",
] as const satisfies readonly DetentionAuthority[];

/**
 * `custody.record-order`: writes an order received for a person in custody on their custody episode (the case
 * file's custody record), dated on the job's clock:
 * - INVESTIGATOR_ORDER (`orderNumber`): the investigator's written order; ends the police hold
 * - DETENTION_ORDER (`detentionOrderNumber`): the initial detention, expiring 5 days after arrest (Art. 113)
 * - EXTENSION (`newExpiry`, `authority`, `extensionOrderNumber`, `extensionReasons`): an extension, checked
 *   again against the cumulative limits of the governing law (branch head 40 days, AG periods of 30 days up
 *   to 180, then the court); a refused one fails with no retries and an incident listing every limit broken
 * - REFERRED_TO_COURT: custody passes to the court with the indictment
 * - TRANSFERRED_TO_PRISON (after the sentence's execution, `executionType`): a convict held for the court is handed
 *   to prison (PRISON_HANDOVER); nothing to record when nobody of the case is in custody (no `custodyId`), the
 *   person was released before, or the sentence is not a prison handover
 * Idempotent: an order is keyed by the job key; a referral already recorded is left as it is.
 */
export const custodyRecordOrderWorker: JobModule = {
	type: "custody.record-order",
	description: "Records a custody order (investigator, detention, extension, referral to court) on the custody episode",
	async handle(job, { em, services }) {
		const order = requireHeader(job, "order", CUSTODY_ORDERS);
		if (order === "TRANSFERRED_TO_PRISON" && optionalString(job, "custodyId") === undefined) return complete({});
		const episode = await findCustodyEpisode(em, requireString(job, "custodyId"));
		const orderedAt = services.now();
		const options = { clocks: services.clocks };
		switch (order) {
			case "INVESTIGATOR_ORDER":
				await recordInvestigatorOrder(em, episode.id, {
					orderedAt,
					orderNumber: optionalString(job, "orderNumber"),
					idempotencyKey: job.key,
				});
				break;
			case "DETENTION_ORDER":
				await recordDetentionOrder(
					em,
					episode.id,
					{ orderedAt, orderNumber: optionalString(job, "detentionOrderNumber"), idempotencyKey: job.key },
					options,
				);
				break;
			case "EXTENSION": {
				const authority = requireChoice(job, "authority", EXTENSION_AUTHORITIES);
				await recordExtension(
					em,
					episode.id,
					{
						orderedAt,
						newExpiresAt: requireInstant(job, "newExpiry"),
						authority,
						orderNumber: optionalString(job, "extensionOrderNumber"),
						reasons: optionalString(job, "extensionReasons"),
						idempotencyKey: job.key,
					},
					options,
				);
				break;
			}
			case "TRANSFERRED_TO_PRISON":
				if (
					optionalString(job, "executionType") === "PRISON_HANDOVER" &&
					episode.status === "REFERRED_TO_COURT_IN_CUSTODY"
				) {
					await transitionCustody(em, episode.id, "CONVICTED_TRANSFERRED_TO_PRISON");
				}
				break;
			case "REFERRED_TO_COURT":
				if (episode.status !== "REFERRED_TO_COURT_IN_CUSTODY") {
					await transitionCustody(em, episode.id, "REFERRED_TO_COURT_IN_CUSTODY");
				}
				break;
		}
		return complete({});
	},
};
