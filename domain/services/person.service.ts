import { UniqueConstraintViolationException } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import {
	type IdentityDocument,
	IdentityDocumentSchema,
	type Person,
	type PersonRegistryEntry,
	PersonRegistryEntrySchema,
	PersonSchema,
} from "../entities";
import { DomainError } from "../errors";
import { joinNameParts, normaliseNameForSearch } from "../rules/arabic-name.rule";
import { type IdentityDocumentType, validateIdentityDocument, validateSaudiId } from "../rules/national-id.rule";
import { toE164 } from "../rules/phone.rule";

/** What is needed to put a person in the master index. */
export interface PersonInput {
	idType?: IdentityDocumentType;
	idNumber?: string;
	issuingCountry?: string;
	firstNameAr: string;
	fatherNameAr?: string | null;
	grandfatherNameAr?: string | null;
	familyNameAr?: string | null;
	firstNameLatin?: string | null;
	fatherNameLatin?: string | null;
	grandfatherNameLatin?: string | null;
	familyNameLatin?: string | null;
	nationality?: string | null;
	sex?: "M" | "F" | null;
	dateOfBirth?: string | null;
	dobCalendar?: "HIJRI" | "GREGORIAN" | null;
	mobile?: string | null;
	synthetic?: boolean;
	seedKey?: string | null;
}

/**
 * Finds the person with this ID number or creates them (the master index is deduplicated by ID number,
 * domain.md §2.4). The number is validated for its document type first; an existing person is returned
 * unchanged. Safe under concurrent calls for the same number.
 */
export async function findOrCreatePerson(
	em: EntityManager,
	input: PersonInput,
): Promise<{ person: Person; created: boolean }> {
	let idNumber: string | null = null;
	if (input.idNumber !== undefined) {
		if (!input.idType) throw new DomainError("INVALID_ARGUMENT", "An ID number needs its document type (idType)");
		const check = validateIdentityDocument(input.idType, input.idNumber);
		if (!check.valid) throw new DomainError("INVALID_ARGUMENT", check.message);
		idNumber = check.number;
		const existing = await findPersonByIdNumber(em, idNumber);
		if (existing) return { person: existing, created: false };
	}
	const mobile = input.mobile ? toE164(input.mobile) : null;
	const create = async (tx: EntityManager) => {
		const person = tx.create(PersonSchema, {
			primaryIdNumber: idNumber,
			primaryIdType: idNumber ? input.idType : null,
			firstNameAr: input.firstNameAr,
			fatherNameAr: input.fatherNameAr ?? null,
			grandfatherNameAr: input.grandfatherNameAr ?? null,
			familyNameAr: input.familyNameAr ?? null,
			firstNameLatin: input.firstNameLatin ?? null,
			fatherNameLatin: input.fatherNameLatin ?? null,
			grandfatherNameLatin: input.grandfatherNameLatin ?? null,
			familyNameLatin: input.familyNameLatin ?? null,
			nameSearch: searchKeyOf(input),
			nationality: input.nationality ?? null,
			sex: input.sex ?? null,
			dateOfBirth: input.dateOfBirth ?? null,
			dobCalendar: input.dobCalendar ?? null,
			mobile,
			synthetic: input.synthetic ?? false,
			seedKey: input.seedKey ?? null,
		});
		if (idNumber && input.idType) {
			tx.create(IdentityDocumentSchema, {
				person,
				type: input.idType,
				number: idNumber,
				issuingCountry: input.issuingCountry ?? defaultIssuer(input.idType, input.nationality),
			});
		}
		await tx.flush();
		return person;
	};
	try {
		return { person: await em.transactional(create), created: true };
	} catch (error) {
		// Another request created the same person between our lookup and insert: return theirs.
		if (error instanceof UniqueConstraintViolationException && idNumber) {
			// A fresh context: the failed insert's entities must not linger in the caller's identity map.
			const existing = await findPersonByIdNumber(em.fork(), idNumber);
			if (existing) return { person: existing, created: false };
		}
		throw error;
	}
}

/** The person whose primary ID, or any identity document, has this number (Arabic-Indic digits accepted). */
export async function findPersonByIdNumber(em: EntityManager, rawIdNumber: string): Promise<Person | null> {
	const number = rawIdNumber
		.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (ch) => String(ch.charCodeAt(0) & 0xf))
		.trim()
		.toUpperCase();
	const byPrimary = await em.findOne(PersonSchema, { primaryIdNumber: number });
	if (byPrimary) return byPrimary;
	const document = await em.findOne(IdentityDocumentSchema, { number }, { populate: ["person"] });
	return document?.person ?? null;
}

/** Adds another identity document (e.g. a passport) to a person; refuses a number already on someone. */
export async function addIdentityDocument(
	em: EntityManager,
	person: Person,
	type: IdentityDocumentType,
	rawNumber: string,
	issuingCountry?: string,
): Promise<IdentityDocument> {
	const check = validateIdentityDocument(type, rawNumber);
	if (!check.valid) throw new DomainError("INVALID_ARGUMENT", check.message);
	const issuer = issuingCountry ?? defaultIssuer(type, person.nationality);
	const existing = await em.findOne(IdentityDocumentSchema, { type, number: check.number, issuingCountry: issuer });
	if (existing) {
		if (existing.person.id === person.id) return existing;
		throw new DomainError(
			"ALREADY_EXISTS",
			`${type} ${check.number} (${issuer}) already belongs to another person; merge the records instead`,
		);
	}
	const document = em.create(IdentityDocumentSchema, { person, type, number: check.number, issuingCountry: issuer });
	await em.flush();
	return document;
}

/**
 * People whose Arabic or Latin name contains every word of the query, after normalisation (alef/hamza,
 * ta marbuta … folded), so «فهد القحطاني» finds «فهد عبدالله محمد القحطاني».
 */
export async function searchPersonsByName(em: EntityManager, query: string, limit = 50): Promise<Person[]> {
	const words = normaliseNameForSearch(query)
		.split(" ")
		.filter((word) => word.length > 0);
	if (words.join("").length < 2) throw new DomainError("INVALID_ARGUMENT", "A name search needs at least two letters");
	const escapeLike = (word: string) => word.replace(/[\\%_]/g, (ch) => `\\${ch}`);
	return em.find(
		PersonSchema,
		{ $and: words.map((word) => ({ nameSearch: { $like: `%${escapeLike(word)}%` } })) },
		{ limit, orderBy: { nameSearch: "asc" } },
	);
}

/** What an identity service says about an ID number. */
export type IdentityLookup =
	| { status: "INVALID_FORMAT"; message: string }
	| { status: "NOT_FOUND" }
	| { status: "FOUND"; entry: PersonRegistryEntry };

/**
 * The national identity service as the workers see it. Production plugs NIC/Yakeen (via GSB) in here;
 * {@link LocalPersonRegistry} is the development simulator over the `person_registry` table.
 */
export interface IdentityService {
	lookup(idNumber: string): Promise<IdentityLookup>;
}

/** The local simulator of the identity service, backed by `person_registry` (synthetic people only). */
export class LocalPersonRegistry implements IdentityService {
	constructor(private readonly em: EntityManager) {}

	/** Checks format and check digit first, then looks the number up. */
	async lookup(idNumber: string): Promise<IdentityLookup> {
		const check = validateSaudiId(idNumber);
		if (!check.valid) return { status: "INVALID_FORMAT", message: check.message };
		const entry = await this.em.fork().findOne(PersonRegistryEntrySchema, { idNumber: check.idNumber });
		return entry ? { status: "FOUND", entry } : { status: "NOT_FOUND" };
	}
}

function searchKeyOf(input: PersonInput): string {
	const arabic = joinNameParts({
		first: input.firstNameAr,
		father: input.fatherNameAr,
		grandfather: input.grandfatherNameAr,
		family: input.familyNameAr,
	});
	const latin = input.firstNameLatin
		? joinNameParts({
				first: input.firstNameLatin,
				father: input.fatherNameLatin,
				grandfather: input.grandfatherNameLatin,
				family: input.familyNameLatin,
			})
		: "";
	return normaliseNameForSearch(`${arabic} | ${latin}`);
}

function defaultIssuer(type: IdentityDocumentType, nationality?: string | null): string {
	if (type === "NATIONAL_ID" || type === "IQAMA" || type === "BORDER_NUMBER") return "SA";
	return nationality ?? "XX";
}
