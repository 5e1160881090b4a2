import { nextCronTime, parseCron } from "./cron-schedule";

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
		// Like java.time: the day is clamped to the target month's length (Jan 31 + P1M = Feb 28).
		const day = date.getUTCDate();
		date.setUTCDate(1);
		date.setUTCMonth(date.getUTCMonth() + sign * (duration.years * 12 + duration.months));
		const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
		date.setUTCDate(Math.min(day, lastDay));
	}
	const fixed =
		((duration.weeks * 7 + duration.days) * 86_400 + duration.hours * 3600 + duration.minutes * 60 + duration.seconds) *
		1000;
	return date.getTime() + sign * Math.round(fixed);
}

/** Offset (ms) of an IANA zone at an instant, from the runtime's time-zone data (no clock involved). */
function zoneOffset(zone: string, instant: number): number | null {
	let parts: Intl.DateTimeFormatPart[];
	try {
		parts = new Intl.DateTimeFormat("en-US", {
			timeZone: zone,
			hourCycle: "h23",
			year: "numeric",
			month: "2-digit",
			day: "2-digit",
			hour: "2-digit",
			minute: "2-digit",
			second: "2-digit",
		}).formatToParts(new Date(instant));
	} catch {
		return null;
	}
	const field = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
	const wall = Date.UTC(
		field("year"),
		field("month") - 1,
		field("day"),
		field("hour"),
		field("minute"),
		field("second"),
	);
	return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * Parses an ISO date-time: with an offset or `Z`; with a zone id (`[Asia/Riyadh]`, or FEEL's
 * `@Asia/Riyadh`) resolved through the time-zone data; without either it is UTC (§6). Null when invalid.
 */
export function parseIsoDateTime(text: string): number | null {
	const trimmed = text.trim();
	const zoned = /^(.*?)(?:@([A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*)|\[([^\]]+)\])$/.exec(trimmed);
	const local = zoned ? zoned[1] : trimmed;
	const zone = zoned ? (zoned[2] ?? zoned[3]) : undefined;
	if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(local)) return null;
	const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/.test(local);
	if (hasOffset || !zone) {
		const value = Date.parse(hasOffset ? local : `${local}Z`);
		return Number.isNaN(value) ? null : value;
	}
	const wall = Date.parse(`${local}Z`);
	if (Number.isNaN(wall)) return null;
	const first = zoneOffset(zone, wall);
	if (first === null) return null;
	const second = zoneOffset(zone, wall - first);
	return wall - (second ?? first);
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
		// Anything that is not an ISO repeating interval is a Spring cron expression (§6), repeating forever.
		const cron = parseCron(text);
		if (typeof cron === "string") return cron;
		const dueDate = nextCronTime(cron, now);
		if (dueDate === null) return `the cron expression '${text}' never fires`;
		return { dueDate, repetitions: -1, interval: `cron:${text}` };
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
	if (interval.startsWith("cron:")) {
		const cron = parseCron(interval.slice(5));
		return typeof cron === "string" ? dueDate : (nextCronTime(cron, dueDate) ?? dueDate);
	}
	const duration = parseIsoDuration(interval);
	return duration ? addDuration(dueDate, duration) : dueDate;
}
