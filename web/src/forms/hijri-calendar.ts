/**
 * The Umm al-Qura calendar as the browser's `Intl` knows it (ICU's `islamic-umalqura`), without a table of our
 * own: a Hijri month is the run of Gregorian days whose Umm al-Qura month is the same. Days are calendar days
 * (no time of day), handled as UTC noon so no time zone can move them.
 */

const DAY_MS = 86_400_000;
const partsFormat = new Intl.DateTimeFormat("en-u-ca-islamic-umalqura-nu-latn", {
	timeZone: "UTC",
	day: "numeric",
	month: "numeric",
	year: "numeric",
});

/** The Umm al-Qura year, month (1–12) and day of a Gregorian calendar day (`YYYY-MM-DD`). */
export function hijriOf(isoDay: string): { year: number; month: number; day: number } {
	const parts = partsFormat.formatToParts(utcNoon(isoDay));
	const value = (type: string) => Number(parts.find((part) => part.type === type)?.value);
	return { year: value("year"), month: value("month"), day: value("day") };
}

function utcNoon(isoDay: string): Date {
	return new Date(`${isoDay}T12:00:00Z`);
}

function isoOf(date: Date): string {
	return date.toISOString().slice(0, 10);
}

/** The Gregorian day `days` after `isoDay`. */
export function addDays(isoDay: string, days: number): string {
	return isoOf(new Date(utcNoon(isoDay).getTime() + days * DAY_MS));
}

/** A Hijri month: its Gregorian days in order (the first is the 1st of the month). */
export interface HijriMonth {
	year: number;
	month: number;
	days: string[];
}

/** The Umm al-Qura month holding the Gregorian day `isoDay`. */
export function hijriMonthOf(isoDay: string): HijriMonth {
	const { year, month, day } = hijriOf(isoDay);
	const first = addDays(isoDay, 1 - day);
	const days = [first];
	for (let next = addDays(first, 1); hijriOf(next).month === month; next = addDays(next, 1)) days.push(next);
	return { year, month, days };
}

/** The month before (`-1`) or after (`1`) `month`. */
export function adjacentMonth(month: HijriMonth, step: -1 | 1): HijriMonth {
	return hijriMonthOf(step < 0 ? addDays(month.days[0]!, -1) : addDays(month.days[month.days.length - 1]!, 1));
}

/** Today's Gregorian day in Riyadh (the platform's day, wherever the browser is). */
export function todayInRiyadh(now: Date = new Date()): string {
	return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Riyadh" }).format(now);
}
