import type { MikroORM } from "@mikro-orm/core";
import type { EntityManager, PostgreSqlDriver } from "@mikro-orm/postgresql";
import { OffenceSchema, PersonRegistryEntrySchema, PersonSchema, type UNIT_KINDS, UnitSchema } from "../entities";
import { joinNameParts } from "../rules/arabic-name.rule";
import type { IdentityDocumentType } from "../rules/national-id.rule";
import { validateSaudiId } from "../rules/national-id.rule";
import { parsePhone } from "../rules/phone.rule";
import { findOrCreatePerson, type PersonInput } from "../services/person.service";
import offences from "./offences.json";
import persons from "./persons.json";
import units from "./units.json";

/** A seed person as written in persons.json (domain.md §5.3). */
export interface SeedPerson extends Omit<PersonInput, "idType" | "seedKey" | "synthetic"> {
	key: string;
	idType: IdentityDocumentType;
	idNumber: string;
	note?: string;
}

/** The seed people P01–P11, all fictional (synthetic: true). P10 carries a deliberately invalid Iqama. */
export const SEED_PERSONS = persons as SeedPerson[];
/** The six fictional units of domain.md §5.1. */
export const SEED_UNITS = units;
/** The illustrative offence catalogue of domain.md §5.2. */
export const SEED_OFFENCES = offences;

/** What {@link seedDomain} inserted (zero everywhere on a second run). */
export interface SeedResult {
	units: number;
	offences: number;
	persons: number;
	registryEntries: number;
}

/**
 * Inserts the demo units, offences and people of domain.md §5 where they are missing; running it again
 * changes nothing. Every person is `synthetic: true`: the IDs are checksum-valid and could belong to
 * real people, so they must never be shown outside test and demo environments. People with a valid
 * ID also go into the local identity registry (the simulator of the national service).
 */
export async function seedDomain(orm: MikroORM<PostgreSqlDriver>): Promise<SeedResult> {
	const em = orm.em.fork() as EntityManager;
	const result: SeedResult = { units: 0, offences: 0, persons: 0, registryEntries: 0 };
	await em.transactional(async (tx) => {
		for (const unit of SEED_UNITS) {
			if (await tx.findOne(UnitSchema, { code: unit.code })) continue;
			tx.create(UnitSchema, { ...unit, kind: unit.kind as (typeof UNIT_KINDS)[number], active: true });
			result.units += 1;
		}
		for (const offence of SEED_OFFENCES) {
			if (await tx.findOne(OffenceSchema, { code: offence.code })) continue;
			tx.create(OffenceSchema, { ...offence, note: offence.note ?? null, governingLaw: "LCP-1435" });
			result.offences += 1;
		}
		await tx.flush();
	});
	for (const seed of SEED_PERSONS) {
		if (await em.findOne(PersonSchema, { seedKey: seed.key })) continue;
		const { key, note: _note, idType, idNumber, ...names } = seed;
		const valid = validateSaudiId(idNumber).valid;
		// An invalid number is kept out of the master index: P10 exists to exercise the rejection path.
		// domain.md lists P11's mobile as +966521234567, which libphonenumber rejects (no 052 range): the
		// seed keeps the person and leaves the number out rather than store an unusable phone.
		const mobile = names.mobile && parsePhone(names.mobile).valid ? names.mobile : null;
		await findOrCreatePerson(em, {
			...names,
			mobile,
			...(valid ? { idType, idNumber } : {}),
			synthetic: true,
			seedKey: key,
		});
		result.persons += 1;
	}
	for (const seed of SEED_PERSONS) {
		if (!validateSaudiId(seed.idNumber).valid) continue;
		if (await em.findOne(PersonRegistryEntrySchema, { idNumber: seed.idNumber })) continue;
		em.create(PersonRegistryEntrySchema, {
			idNumber: seed.idNumber,
			idType: seed.idType,
			firstNameAr: seed.firstNameAr,
			fatherNameAr: seed.fatherNameAr ?? null,
			grandfatherNameAr: seed.grandfatherNameAr ?? null,
			familyNameAr: seed.familyNameAr ?? null,
			fullNameLatin: seed.firstNameLatin
				? joinNameParts({
						first: seed.firstNameLatin,
						father: seed.fatherNameLatin,
						grandfather: seed.grandfatherNameLatin,
						family: seed.familyNameLatin,
					})
				: null,
			nationality: seed.nationality ?? "SA",
			sex: seed.sex ?? null,
			dateOfBirth: seed.dateOfBirth ?? null,
			dobCalendar: seed.dobCalendar ?? null,
			status: "ACTIVE",
			synthetic: true,
		});
		result.registryEntries += 1;
	}
	await em.flush();
	return result;
}
