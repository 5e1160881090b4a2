import { EntitySchema, type OptionalProps } from "@mikro-orm/core";
import { IDENTITY_DOCUMENT_TYPES, type IdentityDocumentType } from "../rules/national-id.rule";
import { createdAtColumn, instant, textEnum, uuidPrimaryKey } from "./common";

/** Calendar a date of birth was recorded in: Saudi IDs often carry a Hijri date (domain.md §3.5). */
export const DOB_CALENDARS = ["HIJRI", "GREGORIAN"] as const;
/** M/F, as on the identity document. */
export const SEXES = ["M", "F"] as const;

/**
 * A person in the master index, deduplicated by ID number (domain.md §2.4). Case-specific facts (age at
 * offence, injuries) belong on the case party, not here.
 */
export interface Person {
	[OptionalProps]?: "createdAt" | "updatedAt" | "synthetic";
	id: string;
	/** The national ID / Iqama / document number the person is deduplicated on; null when unknown. */
	primaryIdNumber?: string | null;
	primaryIdType?: IdentityDocumentType | null;
	firstNameAr: string;
	fatherNameAr?: string | null;
	grandfatherNameAr?: string | null;
	familyNameAr?: string | null;
	firstNameLatin?: string | null;
	fatherNameLatin?: string | null;
	grandfatherNameLatin?: string | null;
	familyNameLatin?: string | null;
	/** Arabic and Latin full names normalised for search (normaliseNameForSearch). */
	nameSearch: string;
	/** ISO 3166-1 alpha-2. */
	nationality?: string | null;
	sex?: (typeof SEXES)[number] | null;
	/** `YYYY-MM-DD` in {@link dobCalendar}. */
	dateOfBirth?: string | null;
	dobCalendar?: (typeof DOB_CALENDARS)[number] | null;
	/** E.164. */
	mobile?: string | null;
	/** Seed and demo people: checksum-valid IDs that may belong to real people; never show outside demo. */
	synthetic: boolean;
	/** Key of a seed person (`P01`), so the seed can be re-run. */
	seedKey?: string | null;
	createdAt: Date;
	updatedAt: Date;
}

/** Schema of {@link Person}. */
export const PersonSchema = new EntitySchema<Person>({
	name: "Person",
	tableName: "person",
	properties: {
		id: uuidPrimaryKey,
		primaryIdNumber: { type: "text", nullable: true, unique: true },
		primaryIdType: textEnum(IDENTITY_DOCUMENT_TYPES, { nullable: true }),
		firstNameAr: { type: "text" },
		fatherNameAr: { type: "text", nullable: true },
		grandfatherNameAr: { type: "text", nullable: true },
		familyNameAr: { type: "text", nullable: true },
		firstNameLatin: { type: "text", nullable: true },
		fatherNameLatin: { type: "text", nullable: true },
		grandfatherNameLatin: { type: "text", nullable: true },
		familyNameLatin: { type: "text", nullable: true },
		nameSearch: { type: "text", index: true },
		nationality: { type: "text", nullable: true },
		sex: textEnum(SEXES, { nullable: true }),
		dateOfBirth: { type: "text", nullable: true },
		dobCalendar: textEnum(DOB_CALENDARS, { nullable: true }),
		mobile: { type: "text", nullable: true },
		synthetic: { type: "boolean", default: false },
		seedKey: { type: "text", nullable: true, unique: true },
		createdAt: createdAtColumn,
		updatedAt: { ...createdAtColumn, onUpdate: () => new Date() },
	},
});

/** An identity document of a person: national ID, Iqama, passport, border number or GCC ID. */
export interface IdentityDocument {
	[OptionalProps]?: "createdAt";
	id: string;
	person: Person;
	type: IdentityDocumentType;
	number: string;
	/** ISO 3166-1 alpha-2 of the issuer; SA for national ID, Iqama and border number. */
	issuingCountry: string;
	expiresOn?: string | null;
	/** When the identity service last confirmed it; null if never verified. */
	verifiedAt?: Date | null;
	createdAt: Date;
}

/** Schema of {@link IdentityDocument}. A number is unique per type and issuer. */
export const IdentityDocumentSchema = new EntitySchema<IdentityDocument>({
	name: "IdentityDocument",
	tableName: "identity_document",
	properties: {
		id: uuidPrimaryKey,
		person: { kind: "m:1", entity: () => PersonSchema, deleteRule: "cascade", index: true },
		type: textEnum(IDENTITY_DOCUMENT_TYPES),
		number: { type: "text" },
		issuingCountry: { type: "text" },
		expiresOn: { type: "text", nullable: true },
		verifiedAt: { ...instant, nullable: true },
		createdAt: createdAtColumn,
	},
	uniques: [{ properties: ["type", "number", "issuingCountry"] }],
});

/** Status an identity service reports for an ID. */
export const REGISTRY_STATUSES = ["ACTIVE", "EXPIRED", "DECEASED", "CANCELLED"] as const;

/**
 * The local stand-in for the national identity service (NIC/Yakeen via GSB, domain.md §3.1): what the
 * service would answer for an ID number. Named as the simulator it is; production plugs the real
 * service in behind the same adapter.
 */
export interface PersonRegistryEntry {
	[OptionalProps]?: "createdAt" | "synthetic" | "status";
	idNumber: string;
	idType: IdentityDocumentType;
	firstNameAr: string;
	fatherNameAr?: string | null;
	grandfatherNameAr?: string | null;
	familyNameAr?: string | null;
	fullNameLatin?: string | null;
	nationality: string;
	sex?: (typeof SEXES)[number] | null;
	dateOfBirth?: string | null;
	dobCalendar?: (typeof DOB_CALENDARS)[number] | null;
	status: (typeof REGISTRY_STATUSES)[number];
	synthetic: boolean;
	createdAt: Date;
}

/** Schema of {@link PersonRegistryEntry}. */
export const PersonRegistryEntrySchema = new EntitySchema<PersonRegistryEntry>({
	name: "PersonRegistryEntry",
	tableName: "person_registry",
	properties: {
		idNumber: { type: "text", primary: true },
		idType: textEnum(IDENTITY_DOCUMENT_TYPES),
		firstNameAr: { type: "text" },
		fatherNameAr: { type: "text", nullable: true },
		grandfatherNameAr: { type: "text", nullable: true },
		familyNameAr: { type: "text", nullable: true },
		fullNameLatin: { type: "text", nullable: true },
		nationality: { type: "text" },
		sex: textEnum(SEXES, { nullable: true }),
		dateOfBirth: { type: "text", nullable: true },
		dobCalendar: textEnum(DOB_CALENDARS, { nullable: true }),
		status: textEnum(REGISTRY_STATUSES, { default: "ACTIVE" }),
		synthetic: { type: "boolean", default: true },
		createdAt: createdAtColumn,
	},
});
