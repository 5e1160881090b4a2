import { detentionOrdersOf } from "../../domain";
import { businessError, complete, type JobModule } from "../runtime/job-module";
import { findCustodyEpisode } from "./custody-episode";
import { requireString } from "./job-variables";

/**
 * `custody.book`: books the arrestee into a facility of the arresting unit. A juvenile goes to an
 * observation home, never a police cell (domain.md §1.5). During the 24 h police hold the station's own
 * cells need no order; a detention house or prison admits only on a signed detention order, otherwise
 * the BPMN error FACILITY_REFUSED_NO_ORDER sends a task to the detention officer.
 */
export const custodyBookWorker: JobModule = {
	type: "custody.book",
	description: "Books the arrestee into a facility; FACILITY_REFUSED_NO_ORDER without a required order",
	async handle(job, { em }) {
		const episode = await findCustodyEpisode(em, requireString(job, "custodyId"));
		const juvenile = job.variables.isJuvenile === true || episode.party.isJuvenile;
		const facilityType = juvenile ? "JUVENILE_OBSERVATION_HOME" : (episode.facilityType ?? "POLICE_STATION");
		const needsOrder = facilityType === "DETENTION_HOUSE" || facilityType === "PRISON";
		if (needsOrder && (await detentionOrdersOf(em, episode.id)).length === 0) {
			return businessError(
				"FACILITY_REFUSED_NO_ORDER",
				`The ${facilityType} refuses ${episode.custodyNumber} without a signed detention order; obtain the order or hold at the station`,
			);
		}
		episode.facilityType = facilityType;
		await em.flush();
		return complete({ facilityCode: `${episode.caseRecord.unit.code}/${facilityType}` });
	},
};
