import { intlLocale, t } from "../i18n/i18n";

/**
 * Every date is shown in Asia/Riyadh. Without an explicit zone a browser elsewhere (or a UTC server) would
 * show the previous or next Hijri day near midnight.
 */
export const displayTimeZone = "Asia/Riyadh";

function toDate(value: string | Date): Date | null {
	const date = value instanceof Date ? value : new Date(value);
	return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * The Hijri (Umm al-Qura) date, e.g. `١٨ جمادى الآخرة ١٤٤٨ هـ` / `Jumada II 18, 1448 AH`. The calendar is
 * always named: modern ICU no longer makes `ar-SA` default to Hijri.
 */
export function formatHijri(value: string | Date): string {
	const date = toDate(value);
	if (!date) return t("app.none");
	return new Intl.DateTimeFormat(intlLocale("islamic-umalqura"), {
		timeZone: displayTimeZone,
		day: "numeric",
		month: "long",
		year: "numeric",
	}).format(date);
}

/** The Gregorian date with its era mark (م / CE), e.g. `٢٨ نوفمبر ٢٠٢٦ م`. */
export function formatGregorian(value: string | Date): string {
	const date = toDate(value);
	if (!date) return t("app.none");
	const text = new Intl.DateTimeFormat(intlLocale("gregory"), {
		timeZone: displayTimeZone,
		day: "numeric",
		month: "long",
		year: "numeric",
	}).format(date);
	return `${text} ${t("date.gregorianSuffix")}`;
}

/** The time of day in Riyadh, e.g. `٤:٠٠ م`. */
export function formatTime(value: string | Date): string {
	const date = toDate(value);
	if (!date) return "";
	return new Intl.DateTimeFormat(intlLocale("gregory"), {
		timeZone: displayTimeZone,
		hour: "numeric",
		minute: "2-digit",
	}).format(date);
}

/**
 * A `<time>` element showing the Hijri date first (the convention of official Saudi forms), then the
 * Gregorian date, and the time when `withTime`.
 */
export function dateElement(value: string | null | undefined, options: { withTime?: boolean } = {}): HTMLElement {
	if (!value || !toDate(value)) {
		const none = document.createElement("span");
		none.className = "date date--none";
		none.textContent = t("app.none");
		return none;
	}
	const time = document.createElement("time");
	time.className = "date";
	time.dateTime = new Date(value).toISOString();
	const hijri = document.createElement("span");
	hijri.className = "date__hijri";
	hijri.textContent = formatHijri(value);
	const gregorian = document.createElement("span");
	gregorian.className = "date__gregorian";
	gregorian.textContent = options.withTime
		? t("date.withTime", { date: formatGregorian(value), time: formatTime(value) })
		: formatGregorian(value);
	time.append(hijri, gregorian);
	return time;
}

/** Hours and minutes between now and `until` (negative when past). */
export function remaining(until: Date, now: Date = new Date()): { past: boolean; hours: number; minutes: number } {
	const ms = until.getTime() - now.getTime();
	const abs = Math.abs(ms);
	return { past: ms < 0, hours: Math.floor(abs / 3_600_000), minutes: Math.floor((abs % 3_600_000) / 60_000) };
}
