import { describe, expect, it } from "vitest";
import { addDuration, nextOccurrence, parseIsoDateTime, parseIsoDuration, timerSchedule } from "./timer-schedule";

const now = Date.UTC(2026, 0, 31, 12, 0, 0);

describe("timer schedules (§6)", () => {
	it.each([
		["2026-02-01T09:00:00Z", Date.UTC(2026, 1, 1, 9)],
		["2026-02-01T09:00:00+03:00", Date.UTC(2026, 1, 1, 6)],
		["2026-02-01T09:00:00", Date.UTC(2026, 1, 1, 9)],
		["2026-02-01T09:00:00@Asia/Riyadh", Date.UTC(2026, 1, 1, 6)],
		["2026-02-01T09:00:00[Asia/Riyadh]", Date.UTC(2026, 1, 1, 6)],
		["2026-07-01T09:00:00@Europe/Berlin", Date.UTC(2026, 6, 1, 7)],
	])("should read the date-time %s", (text, expected) => {
		expect(parseIsoDateTime(text)).toBe(expected);
	});

	it("should add durations with calendar months", () => {
		expect(addDuration(now, parseIsoDuration("P1M")!)).toBe(Date.UTC(2026, 1, 28, 12));
		expect(addDuration(now, parseIsoDuration("PT1H30M")!)).toBe(now + 90 * 60_000);
		expect(addDuration(now, parseIsoDuration("P2W")!)).toBe(now + 14 * 86_400_000);
		expect(parseIsoDuration("soon")).toBeNull();
	});

	it("should schedule repeating intervals from the due date, without drift", () => {
		expect(timerSchedule("cycle", "R3/PT10M", now)).toEqual({
			dueDate: now + 600_000,
			repetitions: 3,
			interval: "PT10M",
		});
		expect(timerSchedule("cycle", "R/2026-02-01T00:00:00Z/P1D", now)).toEqual({
			dueDate: Date.UTC(2026, 1, 1),
			repetitions: -1,
			interval: "P1D",
		});
		expect(nextOccurrence(Date.UTC(2026, 1, 1), "P1D")).toBe(Date.UTC(2026, 1, 2));
		// Saturday 2026-01-31 12:00 UTC → next weekday 09:00 is Monday 2026-02-02.
		expect(timerSchedule("cycle", "0 0 9 * * MON-FRI", now)).toEqual({
			dueDate: Date.UTC(2026, 1, 2, 9),
			repetitions: -1,
			interval: "cron:0 0 9 * * MON-FRI",
		});
		expect(nextOccurrence(Date.UTC(2026, 1, 2, 9), "cron:0 0 9 * * MON-FRI")).toBe(Date.UTC(2026, 1, 3, 9));
		expect(nextOccurrence(Date.UTC(2026, 1, 2, 9), "cron:0 */15 * * * *")).toBe(Date.UTC(2026, 1, 2, 9, 15));
		expect(typeof timerSchedule("cycle", "0 0 25 * * *", now)).toBe("string");
		expect(typeof timerSchedule("date", null, now)).toBe("string");
	});
});
