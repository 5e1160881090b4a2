import type { EntityManager } from "@mikro-orm/postgresql";
import { type CustodyEpisode, CustodyEpisodeSchema, DomainError } from "../../domain";

/** The custody episode `…/C01` named by `custodyId`, with its case and party; NOT_FOUND names it. */
export async function findCustodyEpisode(em: EntityManager, custodyId: string): Promise<CustodyEpisode> {
	const episode = await em.findOne(
		CustodyEpisodeSchema,
		{ custodyNumber: custodyId },
		{ populate: ["caseRecord", "caseRecord.unit", "party", "party.person"] },
	);
	if (!episode) {
		throw new DomainError("NOT_FOUND", `Custody episode ${custodyId} does not exist; it is opened by custody.open-episode`);
	}
	return episode;
}
