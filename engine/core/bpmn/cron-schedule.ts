/**
 * Spring-5.3 style cron expressions (six fields: second minute hour day-of-month month day-of-week),
 * which Zeebe accepts as timer cycles (zeebe-behaviour.md §6). Evaluated in UTC. Supported: `*`, `?`,
 * numbers, ranges, lists, steps and month/day names; not supported: `L`, `W`, `#`.
 */

const monthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const dayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

export interface CronSchedule {
	seconds: Set<number>;
	minutes: Set<number>;
	hours: Set<number>;
	daysOfMonth: Set<number> | null;
	months: Set<number>;
	daysOfWeek: Set<number> | null;
}

function parseField(text: string, min: number, max: number, names?: string[], nameOffset = 0): Set<number> | string {
	const values = new Set<number>();
	const value = (token: string): number => {
		const upper = token.toUpperCase();
		const named = names?.indexOf(upper) ?? -1;
		return named >= 0 ? named + nameOffset : Number(token);
	};
	for (const part of text.split(",")) {
		const [rangeText, stepText] = part.split("/");
		const step = stepText === undefined ? 1 : Number(stepText);
		let from: number;
		let to: number;
		if (rangeText === "*" || rangeText === "?") {
			from = min;
			to = max;
		} else if (rangeText.includes("-")) {
			const [a, b] = rangeText.split("-");
			from = value(a);
			to = value(b);
		} else {
			from = value(rangeText);
			to = stepText === undefined ? from : max;
		}
		if (![from, to, step].every(Number.isInteger) || step <= 0 || from < min || to > max || from > to) {
			return `'${part}' is not a valid cron field value between ${min} and ${max}`;
		}
		for (let v = from; v <= to; v += step) values.add(v);
	}
	return values;
}

/** Parses a six-field cron expression, or returns what is wrong with it. */
export function parseCron(expression: string): CronSchedule | string {
	const fields = expression.trim().split(/\s+/);
	if (fields.length !== 6)
		return `the cron expression '${expression}' must have six fields (second minute hour day month weekday)`;
	const wildcard = (text: string) => text === "*" || text === "?";
	const seconds = parseField(fields[0], 0, 59);
	const minutes = parseField(fields[1], 0, 59);
	const hours = parseField(fields[2], 0, 23);
	const daysOfMonth = wildcard(fields[3]) ? null : parseField(fields[3], 1, 31);
	const months = parseField(fields[4], 1, 12, monthNames, 1);
	const daysOfWeekRaw = wildcard(fields[5]) ? null : parseField(fields[5], 0, 7, dayNames, 0);
	for (const field of [seconds, minutes, hours, daysOfMonth, months, daysOfWeekRaw]) {
		if (typeof field === "string") return `the cron expression '${expression}': ${field}`;
	}
	let daysOfWeek = daysOfWeekRaw as Set<number> | null;
	if (daysOfWeek?.has(7)) daysOfWeek = new Set([...daysOfWeek].map((day) => day % 7));
	return {
		seconds: seconds as Set<number>,
		minutes: minutes as Set<number>,
		hours: hours as Set<number>,
		daysOfMonth: daysOfMonth as Set<number> | null,
		months: months as Set<number>,
		daysOfWeek,
	};
}

/** The first instant strictly after `after` that matches, or null within ~5 years. */
export function nextCronTime(schedule: CronSchedule, after: number): number | null {
	const date = new Date(Math.floor(after / 1000) * 1000 + 1000);
	const limit = after + 5 * 366 * 86_400_000;
	while (date.getTime() <= limit) {
		if (!schedule.months.has(date.getUTCMonth() + 1)) {
			date.setUTCMonth(date.getUTCMonth() + 1, 1);
			date.setUTCHours(0, 0, 0, 0);
			continue;
		}
		const dayMatches =
			(schedule.daysOfMonth === null || schedule.daysOfMonth.has(date.getUTCDate())) &&
			(schedule.daysOfWeek === null || schedule.daysOfWeek.has(date.getUTCDay()));
		if (!dayMatches) {
			date.setUTCDate(date.getUTCDate() + 1);
			date.setUTCHours(0, 0, 0, 0);
			continue;
		}
		if (!schedule.hours.has(date.getUTCHours())) {
			date.setUTCHours(date.getUTCHours() + 1, 0, 0, 0);
			continue;
		}
		if (!schedule.minutes.has(date.getUTCMinutes())) {
			date.setUTCMinutes(date.getUTCMinutes() + 1, 0, 0);
			continue;
		}
		if (!schedule.seconds.has(date.getUTCSeconds())) {
			date.setUTCSeconds(date.getUTCSeconds() + 1, 0);
			continue;
		}
		return date.getTime();
	}
	return null;
}
