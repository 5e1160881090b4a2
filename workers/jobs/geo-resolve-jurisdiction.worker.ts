import { UnitSchema } from "../../domain";
import { businessError, complete, type JobModule } from "../runtime/job-module";
import { requireString } from "./job-variables";

/**
 * `geo.resolve-jurisdiction`: the competent station for the report's district (Art. 27: the report goes
 * to the station of the place). The district comes from `location.district` (or `location` as text) and
 * is matched against the units' districts in Arabic or English. Another station competent → BPMN error
 * JURISDICTION_OTHER_STATION with `competentUnitCode`; unknown district → the receiving unit keeps it.
 */
export const geoResolveJurisdictionWorker: JobModule = {
	type: "geo.resolve-jurisdiction",
	description: "Resolves the competent station from the district; JURISDICTION_OTHER_STATION when another is",
	async handle(job, { em }) {
		const unitCode = requireString(job, "unitCode");
		const district = districtOf(job.variables.location);
		if (!district) return complete({ jurisdictionUnitCode: unitCode });
		const units = await em.find(UnitSchema, { active: true, kind: "POLICE_STATION" });
		const normalised = district.trim().toLowerCase();
		const competent = units.find(
			(unit) => unit.districtAr?.trim() === district.trim() || unit.districtEn?.trim().toLowerCase() === normalised,
		);
		if (!competent || competent.code === unitCode) return complete({ jurisdictionUnitCode: unitCode });
		return businessError(
			"JURISDICTION_OTHER_STATION",
			`The district '${district}' belongs to ${competent.code}, not ${unitCode}; transfer the report`,
			{ competentUnitCode: competent.code, jurisdictionUnitCode: competent.code },
		);
	},
};

function districtOf(location: unknown): string | undefined {
	if (typeof location === "string" && location.trim() !== "") return location;
	if (location && typeof location === "object") {
		const value = (location as Record<string, unknown>).district ?? (location as Record<string, unknown>).districtAr;
		if (typeof value === "string" && value.trim() !== "") return value;
	}
	return undefined;
}
