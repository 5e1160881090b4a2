import { type DetentionAuthority, releaseFromCustody } from "../../domain";
import { complete, type JobModule } from "../runtime/job-module";
import { findCustodyEpisode } from "./custody-episode";
import { optionalString, requireHeader, requireString, riyadhIso } from "./job-variables";

/** Who releases, per header reason: the police at the 24 h limit, otherwise on the PP's order or the law. */
const AUTHORITY: Record<string, DetentionAuthority> = {
	POLICE_RELEASE: "INVESTIGATOR",
	POLICE_HOLD_EXPIRED: "INVESTIGATOR",
	DETENTION_EXPIRED: "BRANCH_HEAD",
	PP_ORDER: "BRANCH_HEAD",
};

/**
 * `custody.release`: closes the custody episode (RELEASED) with the header's reason and the release
 * conditions (undertaking or guarantee), once per job key. Writes `releasedAt`.
 */
export const custodyReleaseWorker: JobModule = {
	type: "custody.release",
	description: "Releases the arrestee and closes the custody episode; writes releasedAt",
	async handle(job, { em, services }) {
		const reason = requireHeader(job, "reason", ["POLICE_RELEASE", "POLICE_HOLD_EXPIRED", "DETENTION_EXPIRED", "PP_ORDER"] as const);
		const episode = await findCustodyEpisode(em, requireString(job, "custodyId"));
		if (episode.status === "RELEASED" && episode.releasedAt) {
			return complete({ releasedAt: riyadhIso(episode.releasedAt) });
		}
		const releasedAt = services.now();
		await releaseFromCustody(em, episode.id, {
			orderedAt: releasedAt,
			authority: AUTHORITY[reason] ?? "INVESTIGATOR",
			reasons: reason,
			conditions: optionalString(job, "releaseConditions"),
			idempotencyKey: job.key,
		});
		return complete({ releasedAt: riyadhIso(releasedAt), releaseReason: reason });
	},
};
