import { luhnCheckDigit, toAsciiDigits } from "./digits.rule";

/** The parts of a case number `{REGION}-{UNIT}-{HIJRI_YEAR}-{SEQ6}-{CHECK}` (domain.md §2.6). */
export interface CaseNumberParts {
	/** Region code, three letters, e.g. `RUH`. */
	region: string;
	/** Issuing unit within the region, e.g. `OLY`. */
	unit: string;
	/** Hijri (Umm al-Qura) year of registration, Riyadh time. */
	hijriYear: number;
	/** Sequence within (unit, Hijri year), from 1. */
	sequence: number;
}

const CASE_NUMBER = /^([A-Z]{2,4})-([A-Z0-9]{2,4})-(\d{4})-(\d{6})-(\d)$/;
const UNIT_CODE = /^([A-Z]{2,4})-([A-Z0-9]{2,4})$/;
/** Largest sequence that fits SEQ6. */
export const MAX_CASE_SEQUENCE = 999_999;

/** Splits a unit code such as `RUH-OLY` into region and unit; throws when it is not of that form. */
export function parseUnitCode(unitCode: string): { region: string; unit: string } {
	const match = UNIT_CODE.exec(unitCode);
	if (!match) {
		throw new Error(`Unit code '${unitCode}' must be REGION-UNIT in capitals, e.g. 'RUH-OLY'`);
	}
	return { region: match[1]!, unit: match[2]! };
}

/** The Luhn check digit of a case number: over the 10 digits HIJRI_YEAR+SEQ6 (Luhn('1447000153') = 9). */
export function caseNumberCheckDigit(hijriYear: number, sequence: number): number {
	return luhnCheckDigit(`${hijriYear}${String(sequence).padStart(6, "0")}`);
}

/**
 * Formats a case number.
 * @example formatCaseNumber({ region: "RUH", unit: "OLY", hijriYear: 1447, sequence: 153 }) // "RUH-OLY-1447-000153-9"
 */
export function formatCaseNumber(parts: CaseNumberParts): string {
	parseUnitCode(`${parts.region}-${parts.unit}`);
	if (!Number.isInteger(parts.hijriYear) || parts.hijriYear < 1000 || parts.hijriYear > 9999) {
		throw new Error(`Case number year ${parts.hijriYear} must be a four-digit Hijri year`);
	}
	if (!Number.isInteger(parts.sequence) || parts.sequence < 1 || parts.sequence > MAX_CASE_SEQUENCE) {
		throw new Error(
			`Case sequence ${parts.sequence} must be 1–${MAX_CASE_SEQUENCE}; a unit that runs out in one year needs a wider SEQ field`,
		);
	}
	const seq = String(parts.sequence).padStart(6, "0");
	return `${parts.region}-${parts.unit}-${parts.hijriYear}-${seq}-${caseNumberCheckDigit(parts.hijriYear, parts.sequence)}`;
}

/** The outcome of {@link parseCaseNumber}. */
export type CaseNumberParse =
	| { valid: true; caseNumber: string; parts: CaseNumberParts }
	| { valid: false; caseNumber: string; message: string };

/**
 * Parses and checks a case number typed by a person: Arabic-Indic digits, lower case, spaces and
 * bidi marks are tolerated; the check digit must match.
 */
export function parseCaseNumber(raw: string): CaseNumberParse {
	const caseNumber = normaliseIdentifier(raw);
	const match = CASE_NUMBER.exec(caseNumber);
	if (!match) {
		return {
			valid: false,
			caseNumber,
			message: `Case number '${caseNumber}' must look like RUH-OLY-1447-000153-9 (region, unit, Hijri year, 6-digit sequence, check digit)`,
		};
	}
	const parts: CaseNumberParts = {
		region: match[1]!,
		unit: match[2]!,
		hijriYear: Number(match[3]),
		sequence: Number(match[4]),
	};
	const expected = caseNumberCheckDigit(parts.hijriYear, parts.sequence);
	if (Number(match[5]) !== expected) {
		return {
			valid: false,
			caseNumber,
			message: `Case number '${caseNumber}' has check digit ${match[5]} but ${expected} is expected; a digit was probably mistyped`,
		};
	}
	if (parts.sequence < 1) {
		return {
			valid: false,
			caseNumber,
			message: `Case number '${caseNumber}' has sequence 000000; sequences start at 1`,
		};
	}
	return { valid: true, caseNumber, parts };
}

/** Whether `raw` is a well-formed case number with a correct check digit. */
export function isValidCaseNumber(raw: string): boolean {
	return parseCaseNumber(raw).valid;
}

/** Kinds of identifier that hang under a case number: `E` evidence item, `C` custody episode. */
export type ChildKind = "E" | "C";

/**
 * Identifier of an evidence item (`…/E03`) or custody episode (`…/C01`) of a case.
 * @example formatChildId("RUH-SWD-1447-000201-6", "E", 2) // "RUH-SWD-1447-000201-6/E02"
 */
export function formatChildId(caseNumber: string, kind: ChildKind, index: number): string {
	if (!Number.isInteger(index) || index < 1 || index > 99) {
		throw new Error(`Child index ${index} of ${caseNumber} must be 1–99`);
	}
	return `${caseNumber}/${kind}${String(index).padStart(2, "0")}`;
}

/** Splits `…/E03` or `…/C01` into the case number, kind and index; throws on anything else. */
export function parseChildId(raw: string): { caseNumber: string; kind: ChildKind; index: number } {
	const text = normaliseIdentifier(raw);
	const match = /^(.+)\/([EC])(\d{2})$/.exec(text);
	const parsed = match ? parseCaseNumber(match[1]!) : undefined;
	if (!match || !parsed?.valid || Number(match[3]) < 1) {
		throw new Error(
			`Identifier '${text}' must be a valid case number followed by /E01–/E99 (evidence) or /C01–/C99 (custody)`,
		);
	}
	return { caseNumber: parsed.caseNumber, kind: match[2] as ChildKind, index: Number(match[3]) };
}

/** Prefixes of national report series: `BLG` (بلاغ, report), `MFQ` (مفقودات, lost-item report). */
export type ReportSeries = "BLG" | "MFQ";

/**
 * Report number `BLG-1447-000153` or lost-item report number `MFQ-1447-000077` (domain.md §2.6, §5.4 C7).
 * These are issued from one sequence per (series, Hijri year) and carry no check digit, as in the
 * design; they are receipts for citizens rather than keys typed into other agencies' systems.
 */
export function formatReportNumber(series: ReportSeries, hijriYear: number, sequence: number): string {
	if (!Number.isInteger(sequence) || sequence < 1 || sequence > MAX_CASE_SEQUENCE) {
		throw new Error(`Report sequence ${sequence} must be 1–${MAX_CASE_SEQUENCE}`);
	}
	return `${series}-${hijriYear}-${String(sequence).padStart(6, "0")}`;
}

/** Parses a report number; throws when it is not `BLG-YYYY-NNNNNN` or `MFQ-YYYY-NNNNNN`. */
export function parseReportNumber(raw: string): { series: ReportSeries; hijriYear: number; sequence: number } {
	const text = normaliseIdentifier(raw);
	const match = /^(BLG|MFQ)-(\d{4})-(\d{6})$/.exec(text);
	if (!match || Number(match[3]) < 1) {
		throw new Error(`Report number '${text}' must look like BLG-1447-000153 or MFQ-1447-000077`);
	}
	return { series: match[1] as ReportSeries, hijriYear: Number(match[2]), sequence: Number(match[3]) };
}

/** Upper case, ASCII digits, no spaces or bidi marks (U+200E/200F, isolates U+2066–2069). */
function normaliseIdentifier(raw: string): string {
	return toAsciiDigits(raw)
		.replace(/[\s\u200e\u200f\u2066-\u2069]/g, "")
		.toUpperCase();
}
