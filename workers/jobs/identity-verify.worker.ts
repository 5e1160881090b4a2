import { findOrCreatePerson } from "../../domain";
import { businessError, complete, type JobModule } from "../runtime/job-module";
import { requireString } from "./job-variables";

/**
 * `identity.verify`: checks `<subject>NationalId` (format and Luhn digit, domain.md §3.1) and looks it up
 * in the identity service (the local person registry; NIC/Yakeen plugs in through `services.identity`).
 * Found → the person is put in the master index and `<subject>PersonId`, `<subject>Verified` are written.
 * Not found or malformed → BPMN error IDENTITY_NOT_FOUND, caught by the diagram ("register unverified
 * person"). The number itself is never logged nor put in an error message.
 */
export const identityVerifyWorker: JobModule = {
	type: "identity.verify",
	description: "Verifies <subject>NationalId against the identity service; IDENTITY_NOT_FOUND when unknown",
	async handle(job, { em, services, logger }) {
		const subject = job.customHeaders.subject || "reporter";
		const idNumber = requireString(job, `${subject}NationalId`);
		const lookup = await services.identity(em).lookup(idNumber);
		if (lookup.status === "INVALID_FORMAT") {
			logger.info({ subject }, "identity number malformed");
			return businessError(
				"IDENTITY_NOT_FOUND",
				`The ${subject}'s ID number is not a valid national ID or Iqama (${lookup.message}); register the person as unverified`,
				{ [`${subject}Verified`]: false },
			);
		}
		if (lookup.status === "NOT_FOUND") {
			logger.info({ subject }, "identity not found in the registry");
			return businessError(
				"IDENTITY_NOT_FOUND",
				`The ${subject}'s ID number is valid but unknown to the identity service; register the person as unverified`,
				{ [`${subject}Verified`]: false },
			);
		}
		const entry = lookup.entry;
		const { person } = await findOrCreatePerson(em, {
			idType: entry.idType,
			idNumber: entry.idNumber,
			firstNameAr: entry.firstNameAr,
			fatherNameAr: entry.fatherNameAr,
			grandfatherNameAr: entry.grandfatherNameAr,
			familyNameAr: entry.familyNameAr,
			nationality: entry.nationality,
			sex: entry.sex,
			dateOfBirth: entry.dateOfBirth,
			dobCalendar: entry.dobCalendar,
			synthetic: entry.synthetic,
		});
		return complete({ [`${subject}PersonId`]: person.id, [`${subject}Verified`]: true });
	},
};
