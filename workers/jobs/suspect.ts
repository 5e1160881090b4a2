import type { EntityManager } from "@mikro-orm/postgresql";
import { findOrCreatePerson, findPersonByIdNumber, type Person, saudiIdType } from "../../domain";
import type { JobInput, JobServices } from "../runtime/job-module";
import { optionalString } from "./job-variables";

/**
 * The person with this national ID or Iqama in the master index; someone not there yet is added with what
 * the identity service knows (or the `suspectNameAr` variable), so a suspect can be a party of the case.
 */
export async function suspectPerson(
	em: EntityManager,
	services: JobServices,
	job: JobInput,
	idNumber: string,
): Promise<Person> {
	const known = await findPersonByIdNumber(em, idNumber);
	if (known) return known;
	const lookup = await services.identity(em).lookup(idNumber);
	const entry = lookup.status === "FOUND" ? lookup.entry : undefined;
	const { person } = await findOrCreatePerson(em, {
		idType: saudiIdType(idNumber),
		idNumber,
		firstNameAr: entry?.firstNameAr ?? optionalString(job, "suspectNameAr") ?? "غير معروف",
		fatherNameAr: entry?.fatherNameAr,
		grandfatherNameAr: entry?.grandfatherNameAr,
		familyNameAr: entry?.familyNameAr,
		nationality: entry?.nationality,
		sex: entry?.sex,
		dateOfBirth: entry?.dateOfBirth,
		dobCalendar: entry?.dobCalendar,
	});
	return person;
}
