import { EvidenceItemSchema, normaliseNameForSearch } from "../../domain";
import { complete, type JobModule } from "../runtime/job-module";
import { findCaseRef, optionalString, requireString, riyadhIso } from "./job-variables";

/**
 * `found-items.match`: matches a lost-property report against registered found items (evidence items of
 * loss type FOUND not yet returned) by serial/IMEI when given, else by the words of the description. On a
 * hit it publishes `ItemFound` correlated on the report number (message id = report + item, so a re-match
 * does not deliver the same item twice). Writes `lastMatchAt` (and `foundItemId` on a hit).
 */
export const foundItemsMatchWorker: JobModule = {
	type: "found-items.match",
	description: "Matches the lost item against found items; publishes ItemFound on a hit",
	async handle(job, { em, services }) {
		const ref = await findCaseRef(em, requireString(job, "caseNumber"));
		const description =
			optionalString(job, "itemDescription") ?? optionalString(job, "description") ?? ref.report?.summary ?? "";
		const serial = optionalString(job, "serialNumber") ?? optionalString(job, "imei");
		const candidates = await em.find(
			EvidenceItemSchema,
			{ lossType: "FOUND", status: { $nin: ["RETURNED_TO_OWNER", "DESTROYED", "CONFISCATED"] } },
			{ limit: 500, orderBy: { createdAt: "desc" } },
		);
		const words = wordsOf(description);
		const hit = candidates.find((item) => {
			const text = `${item.descriptionAr} ${item.descriptionEn ?? ""}`;
			if (serial) return text.includes(serial);
			const itemWords = wordsOf(text);
			const shared = words.filter((word) => itemWords.includes(word)).length;
			return words.length > 0 && shared >= Math.min(2, words.length);
		});
		const lastMatchAt = riyadhIso(services.now());
		if (!hit) return complete({ lastMatchAt });
		return complete({ lastMatchAt, foundItemId: hit.evidenceNumber }, [
			{
				name: "ItemFound",
				correlationKey: ref.number,
				messageId: `${ref.number}:${hit.evidenceNumber}`,
				variables: { foundItemId: hit.evidenceNumber },
			},
		]);
	},
};

function wordsOf(text: string): string[] {
	return normaliseNameForSearch(text)
		.split(/\s+/)
		.filter((word) => word.length > 2);
}
