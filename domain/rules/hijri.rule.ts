import {
	CalendarDate,
	fromDate,
	GregorianCalendar,
	IslamicUmalquraCalendar,
	toCalendar,
	toCalendarDate,
	toZoned,
} from "@internationalized/date";

/**
 * Every date in the case system is shown and counted in Riyadh time (UTC+3, no DST). Near midnight a
 * UTC-based date would be the previous or next Hijri day (domain.md §3.2, pitfall 3).
 */
export const RIYADH_TIME_ZONE = "Asia/Riyadh";

/** Umm al-Qura tables are only valid for about 1300–1600 AH; outside it libraries go arithmetic. */
export const UMM_AL_QURA_MIN_YEAR = 1300;
/** See {@link UMM_AL_QURA_MIN_YEAR}. */
export const UMM_AL_QURA_MAX_YEAR = 1600;

const umalqura = new IslamicUmalquraCalendar();
const gregorian = new GregorianCalendar();

/** A calendar day as numbers. Month 1 is Muharram (Hijri) or January (Gregorian). */
export interface DayParts {
	year: number;
	month: number;
	day: number;
}

/** Arabic names of the Hijri months, 1 = Muharram. */
export const HIJRI_MONTHS_AR = [
	"محرم",
	"صفر",
	"ربيع الأول",
	"ربيع الآخر",
	"جمادى الأولى",
	"جمادى الآخرة",
	"رجب",
	"شعبان",
	"رمضان",
	"شوال",
	"ذو القعدة",
	"ذو الحجة",
] as const;

/**
 * The Umm al-Qura date of an instant, as the day it is in Riyadh.
 * @example hijriDayOf(new Date("2025-09-02T22:30:00+03:00")) // { year: 1447, month: 3, day: 10 }
 */
export function hijriDayOf(instant: Date): DayParts {
	const hijri = toCalendar(toCalendarDate(fromDate(instant, RIYADH_TIME_ZONE)), umalqura);
	return { year: hijri.year, month: hijri.month, day: hijri.day };
}

/** The Gregorian date of an instant, as the day it is in Riyadh. */
export function gregorianDayOf(instant: Date): DayParts {
	const day = toCalendarDate(fromDate(instant, RIYADH_TIME_ZONE));
	return { year: day.year, month: day.month, day: day.day };
}

/**
 * The Hijri year an instant falls in, in Riyadh. Case-number sequences are per Hijri year, so a case
 * registered at 00:05 on 1 Muharram (Riyadh) is in the new year even though it is still the old
 * year in UTC.
 */
export function hijriYearOf(instant: Date): number {
	return hijriDayOf(instant).year;
}

/**
 * Converts an Umm al-Qura date to the Gregorian date. Throws when the date does not exist (e.g. day 30
 * of a 29-day month) or lies outside the Umm al-Qura tables, so a typo on a form is not silently moved.
 * @example hijriToGregorian({ year: 1447, month: 3, day: 10 }) // { year: 2025, month: 9, day: 2 }
 */
export function hijriToGregorian(hijri: DayParts): DayParts {
	assertHijriInRange(hijri.year);
	const date = new CalendarDate(umalqura, hijri.year, hijri.month, hijri.day);
	if (date.month !== hijri.month || date.day !== hijri.day || date.year !== hijri.year) {
		throw new Error(
			`Hijri date ${formatIsoDay(hijri)} does not exist in the Umm al-Qura calendar; check the day and month`,
		);
	}
	const g = toCalendar(date, gregorian);
	return { year: g.year, month: g.month, day: g.day };
}

/**
 * Converts a Gregorian date to the Umm al-Qura date.
 * @example gregorianToHijri({ year: 2025, month: 9, day: 7 }) // { year: 1447, month: 3, day: 15 }
 */
export function gregorianToHijri(day: DayParts): DayParts {
	const date = new CalendarDate(gregorian, day.year, day.month, day.day);
	if (date.month !== day.month || date.day !== day.day) {
		throw new Error(`Gregorian date ${formatIsoDay(day)} does not exist; check the day and month`);
	}
	const h = toCalendar(date, umalqura);
	assertHijriInRange(h.year);
	return { year: h.year, month: h.month, day: h.day };
}

/** Adds calendar days to a Hijri date (day limits count calendar days, domain.md §1.6). */
export function addHijriDays(hijri: DayParts, days: number): DayParts {
	const date = new CalendarDate(umalqura, hijri.year, hijri.month, hijri.day).add({ days });
	return { year: date.year, month: date.month, day: date.day };
}

/**
 * Adds calendar days to an instant in Riyadh time, keeping the wall-clock time: an arrest at 23:45
 * plus 5 days is 23:45 five days later (the "exactly N×24 h" convention; the SME question on
 * end-of-day vs sunset is domain.md §1.7 Q2).
 */
export function addDaysInRiyadh(instant: Date, days: number): Date {
	if (!Number.isInteger(days)) {
		throw new Error(`addDaysInRiyadh adds whole calendar days; got ${days}. Use hours arithmetic for partial days`);
	}
	return fromDate(instant, RIYADH_TIME_ZONE).add({ days }).toDate();
}

/**
 * Age in completed years on `at` (Riyadh day) of someone born on `dateOfBirth`, given in the calendar
 * it was recorded in (Saudi IDs often carry a Hijri date of birth, domain.md §3.5). Years are counted
 * on the Gregorian calendar after conversion, as the Juveniles Law's "under 18" is applied in practice.
 * @example ageOn({ year: 1431, month: 3, day: 2 }, "HIJRI", new Date("2026-02-18T21:40:00+03:00")) // 16
 */
export function ageOn(dateOfBirth: DayParts, calendar: "HIJRI" | "GREGORIAN", at: Date): number {
	const birth = calendar === "HIJRI" ? hijriToGregorian(dateOfBirth) : dateOfBirth;
	const today = gregorianDayOf(at);
	let age = today.year - birth.year;
	if (today.month < birth.month || (today.month === birth.month && today.day < birth.day)) age -= 1;
	return age;
}

/** The instant of midnight starting a Hijri day in Riyadh (e.g. 1 Muharram, when sequences reset). */
export function startOfHijriDay(hijri: DayParts): Date {
	assertHijriInRange(hijri.year);
	return toZoned(new CalendarDate(umalqura, hijri.year, hijri.month, hijri.day), RIYADH_TIME_ZONE).toDate();
}

/** `YYYY-MM-DD` of a day (either calendar), for storage keys and logs; never for display. */
export function formatIsoDay(day: DayParts): string {
	return `${String(day.year).padStart(4, "0")}-${String(day.month).padStart(2, "0")}-${String(day.day).padStart(2, "0")}`;
}

/** Parses `YYYY-MM-DD` (Arabic-Indic digits and `/` accepted) into day parts, without calendar checks. */
export function parseIsoDay(text: string): DayParts {
	const ascii = text.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (ch) => String(ch.charCodeAt(0) & 0xf)).trim();
	const match = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(ascii);
	if (!match) throw new Error(`Date '${text}' is not in the form YYYY-MM-DD`);
	return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

/** How {@link formatDual} writes a date. */
export interface DualFormatOptions {
	/** `ar` writes Arabic month names, `en` English. @default "ar" */
	language?: "ar" | "en";
	/** Latin digits even in Arabic (a user preference in many Saudi UIs, domain.md §3.3). @default false */
	latinDigits?: boolean;
	/** Add the Riyadh time of day. @default false */
	withTime?: boolean;
}

/**
 * Formats an instant as Hijri (Umm al-Qura) then Gregorian, the order official Saudi forms use
 * (domain.md §1.6), always with `-u-ca-islamic-umalqura` and `timeZone: 'Asia/Riyadh'` because
 * `ar-SA` alone is Gregorian on current ICU. The output contains bidi marks: never string-compare it.
 * @example formatDual(new Date("2025-09-02T22:30:00+03:00")) // "١٠ ربيع الأول ١٤٤٧ هـ (٢ سبتمبر ٢٠٢٥ م)"
 */
export function formatDual(instant: Date, options: DualFormatOptions = {}): string {
	const { hijri, gregorian: greg } = formatDualParts(instant, options);
	return `${hijri} (${greg})`;
}

/** The two halves of {@link formatDual}, for layouts that show them in separate cells. */
export function formatDualParts(instant: Date, options: DualFormatOptions = {}): { hijri: string; gregorian: string } {
	const language = options.language ?? "ar";
	const base = language === "ar" ? "ar-SA" : "en-GB";
	const digits = options.latinDigits ? "-nu-latn" : "";
	const style: Intl.DateTimeFormatOptions = {
		timeZone: RIYADH_TIME_ZONE,
		dateStyle: "long",
		...(options.withTime ? { timeStyle: "short" } : {}),
	};
	const hijri = new Intl.DateTimeFormat(`${base}-u-ca-islamic-umalqura${digits}`, style).format(instant);
	// The time of day is written once, in the Hijri half.
	const gregorianText = new Intl.DateTimeFormat(`${base}-u-ca-gregory${digits}`, {
		timeZone: RIYADH_TIME_ZONE,
		dateStyle: "long",
	}).format(instant);
	return { hijri, gregorian: language === "ar" ? `${gregorianText} م` : gregorianText };
}

/**
 * Hijri day parts read back from ICU's formatter (not from `@internationalized/date`), so tests can
 * check that both implementations of Umm al-Qura agree.
 */
export function hijriDayOfByIntl(instant: Date): DayParts {
	const parts = new Intl.DateTimeFormat("en-u-ca-islamic-umalqura-nu-latn", {
		timeZone: RIYADH_TIME_ZONE,
		year: "numeric",
		month: "numeric",
		day: "numeric",
	}).formatToParts(instant);
	const value = (type: string) => Number(parts.find((part) => part.type === type)?.value);
	return { year: value("year"), month: value("month"), day: value("day") };
}

function assertHijriInRange(year: number): void {
	if (year < UMM_AL_QURA_MIN_YEAR || year > UMM_AL_QURA_MAX_YEAR) {
		throw new Error(
			`Hijri year ${year} is outside the Umm al-Qura tables (${UMM_AL_QURA_MIN_YEAR}–${UMM_AL_QURA_MAX_YEAR} AH); check the year`,
		);
	}
}
