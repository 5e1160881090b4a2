import { api } from "./client";

type Json = Record<string, unknown>;

/** The case file of `GET /v2/cases/{caseNumber}` (api/cases/cases.schemas.ts); entities as the domain stores them. */
export interface CaseFile {
	case: { caseNumber: string; status: string; titleAr?: string | null; titleEn?: string | null; unitCode: string };
	parties: Json[];
	offences: Json[];
	custodyEpisodes: Json[];
}

/** `GET /v2/cases/{caseNumber}` (audited by the API as a case-file read). */
export function getCaseFile(caseNumber: string): Promise<CaseFile> {
	return api<CaseFile>(`/v2/cases/${encodeURIComponent(caseNumber)}`);
}

function joined(...parts: unknown[]): string | null {
	const text = parts.filter((part) => typeof part === "string" && part.trim()).join(" ");
	return text || null;
}

/**
 * The case panel's input from a case file: parties with their Arabic and Latin names, offences with both names,
 * and the custody deadline that runs now — the 24-hour police hold until an investigator's order, then the
 * detention in force — the earliest of the open custody episodes.
 */
export function caseSummaryInput(file: CaseFile): Json {
	const parties = file.parties.map((party) => {
		const person = (typeof party.person === "object" && party.person ? party.person : {}) as Json;
		const ar = joined(person.firstNameAr, person.fatherNameAr, person.grandfatherNameAr, person.familyNameAr);
		const en = joined(
			person.firstNameLatin,
			person.fatherNameLatin,
			person.grandfatherNameLatin,
			person.familyNameLatin,
		);
		return { name: { ar, en }, role: party.role };
	});
	const offences = file.offences.map((item) => {
		const offence = (typeof item.offence === "object" && item.offence ? item.offence : {}) as Json;
		return { ar: offence.nameAr, en: offence.nameEn, code: offence.code };
	});
	const deadlines = file.custodyEpisodes
		.filter((episode) => !episode.releasedAt)
		.map((episode) => (episode.investigatorOrderAt ? episode.detentionExpiresAt : episode.policeHoldDeadline))
		.filter((value): value is string => typeof value === "string")
		.sort();
	// Empty lists are left out so that what the process carries still shows.
	return {
		caseNumber: file.case.caseNumber,
		caseTitle: { ar: file.case.titleAr, en: file.case.titleEn },
		...(parties.length > 0 ? { parties } : {}),
		...(offences.length > 0 ? { offences } : {}),
		...(deadlines[0] ? { custodyDeadline: deadlines[0] } : {}),
	};
}
