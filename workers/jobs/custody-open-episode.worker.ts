import { addParty, openCustodyEpisode } from "../../domain";
import { complete, type JobModule } from "../runtime/job-module";
import { suspectPerson } from "./suspect";
import { findCaseRef, optionalString, requireInstant, requireString, riyadhIso } from "./job-variables";

/**
 * `custody.open-episode` (message throw event): adds the suspect to the case, opens the custody episode
 * `{caseNumber}/C{nn}` with its statutory clocks and, once that is committed, publishes `PersonArrested`
 * with message id = custodyId, which starts one custody-clock instance. A redelivery replays the stored
 * outcome and republishes with the same id, which Zeebe drops, so no second clock starts.
 */
export const custodyOpenEpisodeWorker: JobModule = {
	type: "custody.open-episode",
	description: "Opens the custody episode and publishes PersonArrested (message id = custodyId)",
	async handle(job, { em, services }) {
		const ref = await findCaseRef(em, requireString(job, "caseNumber"));
		if (!ref.caseRecord) throw new Error(`${ref.number} is a report, not a case; custody needs a case`);
		const idNumber = requireString(job, "suspectNationalId");
		const arrestedAt = requireInstant(job, "arrestedAt");
		const governingLaw = optionalString(job, "governingLaw") ?? "LCP-1435";
		const person = await suspectPerson(em, services, job, idNumber);
		const party = await addParty(em, {
			caseId: ref.caseRecord.id,
			personId: person.id,
			role: "SUSPECT",
			offenceAt: arrestedAt,
		});
		const episode = await openCustodyEpisode(
			em,
			{
				caseId: ref.caseRecord.id,
				partyId: party.id,
				arrestedAt,
				inFlagrante: job.variables.inFlagrante === true,
				governingLaw,
				idempotencyKey: job.key,
			},
			{ clocks: services.clocks },
		);
		const custodyId = episode.custodyNumber;
		return complete({ custodyId }, [
			{
				name: "PersonArrested",
				correlationKey: custodyId,
				messageId: custodyId,
				variables: {
					custodyId,
					caseNumber: ref.number,
					arrestedAt: riyadhIso(arrestedAt),
					inFlagrante: episode.inFlagrante,
					isJuvenile: party.isJuvenile,
					nationality: person.nationality ?? null,
					governingLaw: episode.governingLaw,
				},
			},
		]);
	},
};
