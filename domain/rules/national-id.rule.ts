import { isLuhnValid, toAsciiDigits } from "./digits.rule";

/** Kinds of identity document a person may present (domain.md §2.4, §3.1). */
export const IDENTITY_DOCUMENT_TYPES = ["NATIONAL_ID", "IQAMA", "PASSPORT", "BORDER_NUMBER", "GCC_ID"] as const;
/** One of {@link IDENTITY_DOCUMENT_TYPES}. */
export type IdentityDocumentType = (typeof IDENTITY_DOCUMENT_TYPES)[number];

/** Bilingual labels of the document types, for forms and lists. */
export const IDENTITY_DOCUMENT_LABELS: Record<IdentityDocumentType, { ar: string; en: string }> = {
	NATIONAL_ID: { ar: "الهوية الوطنية", en: "National ID" },
	IQAMA: { ar: "هوية مقيم (إقامة)", en: "Iqama (resident ID)" },
	PASSPORT: { ar: "جواز سفر", en: "Passport" },
	BORDER_NUMBER: { ar: "رقم الحدود", en: "Border number" },
	GCC_ID: { ar: "هوية مواطني دول مجلس التعاون", en: "GCC national ID" },
};

/** Why a Saudi ID / Iqama number was rejected. */
export type SaudiIdProblem = "NOT_TEN_DIGITS" | "BAD_PREFIX" | "BAD_CHECK_DIGIT";

/** The outcome of {@link validateSaudiId}. */
export type SaudiIdValidation =
	| { valid: true; idNumber: string; type: "NATIONAL_ID" | "IQAMA" }
	| { valid: false; idNumber: string; problem: SaudiIdProblem; message: string };

/**
 * Validates a Saudi national ID or Iqama number: 10 digits, first digit 1 (citizen) or 2 (resident),
 * Luhn check over all ten digits (domain.md §3.1). Arabic-Indic digits and surrounding spaces are
 * accepted. It says nothing about whether the person exists: that is the identity service's job.
 */
export function validateSaudiId(raw: string): SaudiIdValidation {
	const idNumber = toAsciiDigits(raw).trim();
	if (!/^\d{10}$/.test(idNumber)) {
		return {
			valid: false,
			idNumber,
			problem: "NOT_TEN_DIGITS",
			message: `ID number '${idNumber}' must have exactly 10 digits; it has ${idNumber.replace(/\D/g, "").length}`,
		};
	}
	if (idNumber[0] !== "1" && idNumber[0] !== "2") {
		return {
			valid: false,
			idNumber,
			problem: "BAD_PREFIX",
			message: `ID number '${idNumber}' must start with 1 (national ID) or 2 (Iqama); for passports, border numbers and GCC IDs choose that document type`,
		};
	}
	if (!isLuhnValid(idNumber)) {
		return {
			valid: false,
			idNumber,
			problem: "BAD_CHECK_DIGIT",
			message: `ID number '${idNumber}' has a wrong check digit; re-read the number from the card`,
		};
	}
	return { valid: true, idNumber, type: idNumber[0] === "1" ? "NATIONAL_ID" : "IQAMA" };
}

/** Whether `raw` is a valid Saudi national ID or Iqama number (see {@link validateSaudiId}). */
export function isValidSaudiId(raw: string): boolean {
	return validateSaudiId(raw).valid;
}

/**
 * The document type of a valid Saudi ID number: NATIONAL_ID for prefix 1, IQAMA for prefix 2.
 * Throws for anything else, so a caller never files a passport number as an Iqama.
 */
export function saudiIdType(raw: string): "NATIONAL_ID" | "IQAMA" {
	const result = validateSaudiId(raw);
	if (!result.valid) throw new Error(result.message);
	return result.type;
}

/**
 * Normalises and checks a document number for its type. National ID and Iqama get the full check
 * (and the prefix must match the type); the other types are only checked for a sane shape, because
 * their numbering rules were not verified (domain.md §3.1).
 */
export function validateIdentityDocument(
	type: IdentityDocumentType,
	raw: string,
): { valid: true; number: string } | { valid: false; number: string; message: string } {
	if (type === "NATIONAL_ID" || type === "IQAMA") {
		const result = validateSaudiId(raw);
		if (!result.valid) return { valid: false, number: result.idNumber, message: result.message };
		if (result.type !== type) {
			return {
				valid: false,
				number: result.idNumber,
				message: `Number '${result.idNumber}' is a valid ${result.type}, not a ${type}; choose document type ${result.type}`,
			};
		}
		return { valid: true, number: result.idNumber };
	}
	const number = toAsciiDigits(raw).trim().toUpperCase().replace(/\s+/g, "");
	if (!/^[A-Z0-9]{5,20}$/.test(number)) {
		return {
			valid: false,
			number,
			message: `${IDENTITY_DOCUMENT_LABELS[type].en} number '${number}' must be 5–20 letters or digits`,
		};
	}
	return { valid: true, number };
}
