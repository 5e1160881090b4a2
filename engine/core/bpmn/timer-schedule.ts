/**
 * Timer definitions (zeebe-behaviour.md §6): ISO-8601 dates, durations and repeating intervals
 * (`R[n]/[start/]duration`). Pure date arithmetic on epoch milliseconds in UTC.
 */

export interface IsoDuration {
	years: number;
	months: number;
	weeks: number;
	days: number;
	hours: number;
	minutes: number;
	seconds: number;
	negative: boolean;
}

const durationPattern =
	/^(-)?P(?:(\d+(?:[.,]\d+)?)Y)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

/** Parses an ISO-8601 duration such as `PT15M`, `P1DT2H`, `P2W`; null when it is not one. */
export function parseIsoDuration(text: string): IsoDuration | null {
	const match = durationPattern.exec(text.trim());
	if (!match || text.trim() === "P" || text.trim().endsWith("T")) return null;
	const number = (value: string | undefined) => (value ? Number.parseFloat(value.replace(",", ".")) : 0);
	return {
		negative: match[1] === "-",
		years: number(match[2]),
		months: number(match[3]),
		weeks: number(match[4]),
		days: number(match[5]),
		hours: number(match[6]),
		minutes: number(match[7]),
		seconds: number(match[8]),
	};
}

/** Adds a duration to an instant (calendar months/years in UTC). */
export function addDuration(epochMs: number, duration: IsoDuration): number {
	const sign = duration.negative ? -1 : 1;
	const date = new Date(epochMs);
	if (duration.years || duration.months) {
		date.setUTCMonth(date.getUTCMonth() + sign * (duration.years * 12 + duration.months));
	}
	const fixed =
		((duration.weeks * 7 + duration.days) * 86_400 + duration.hours * 3600 + duration.minutes * 60 + duration.seconds) *
		1000;
	return date.getTime() + sign * Math.round(fixed);
}

/** Parses an ISO date-time (offset or `Z`; none = UTC; a `[Zone/Id]` suffix is ignored); null when invalid. */
export function parseIsoDateTime(text: string): number | null {
	const trimmed = text.trim().replace(/\[[^\]]+\]$/, "");
	if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(trimmed)) return null;
	const withZone = /(Z|[+-]\d{2}:?\d{2})$/.test(trimmed) ? trimmed : `${trimmed}Z`;
	const value = Date.parse(withZone);
	return Number.isNaN(value) ? null : value;
}

/** When a timer is due, how often it repeats (-1 = forever) and its interval (for cycles). */
export interface TimerSchedule {
	dueDate: number;
	repetitions: number;
	/** ISO duration of a cycle's interval; absent for dates and durations. */
	interval?: string;
}

export type TimerKind = "date" | "duration" | "cycle";

/** Turns an evaluated timer value into its schedule, or a message saying what is wrong with it. */
export function timerSchedule(kind: TimerKind, value: unknown, now: number): TimerSchedule | string {
	if (typeof value !== "string" || value.trim() === "") {
		return `Expected the timer ${kind} to be an ISO-8601 ${kind === "date" ? "date-time" : kind === "duration" ? "duration" : "repeating interval"}, but was '${JSON.stringify(value)}'`;
	}
	const text = value.trim();
	if (kind === "date") {
		const dueDate = parseIsoDateTime(text);
		return dueDate === null
			? `Invalid date-time format '${text}'; expected e.g. 2026-01-31T09:00:00Z`
			: { dueDate, repetitions: 1 };
	}
	if (kind === "duration") {
		const duration = parseIsoDuration(text);
		return duration === null
			? `Invalid duration format '${text}'; expected e.g. PT15M or P1D`
			: { dueDate: addDuration(now, duration), repetitions: 1 };
	}
	if (!text.startsWith("R")) {
		return `the timer cycle '${text}' is not an ISO-8601 repeating interval (R[n]/[start/]duration); cron expressions are not supported yet by this engine`;
	}
	const parts = text.split("/");
	const count = parts[0].slice(1);
	const repetitions = count === "" ? -1 : Number.parseInt(count, 10);
	if (Number.isNaN(repetitions) || repetitions === 0 || parts.length < 2 || parts.length > 3) {
		return `Invalid repeating interval '${text}'; expected e.g. R3/PT10M or R/2026-01-01T08:00:00Z/P1D`;
	}
	const intervalText = parts[parts.length - 1];
	const interval = parseIsoDuration(intervalText);
	if (interval === null) return `Invalid interval '${intervalText}' in timer cycle '${text}'`;
	const start = parts.length === 3 ? parseIsoDateTime(parts[1]) : null;
	if (parts.length === 3 && start === null) return `Invalid start date '${parts[1]}' in timer cycle '${text}'`;
	return { dueDate: start ?? addDuration(now, interval), repetitions, interval: intervalText };
}

/** The next occurrence of a cycle after one fired at `dueDate` (no drift: counted from the due date). */
export function nextOccurrence(dueDate: number, interval: string): number {
	const duration = parseIsoDuration(interval);
	return duration ? addDuration(dueDate, duration) : dueDate;
}
