import { describe, expect, it } from "vitest";
import { adjacentMonth, addDays, hijriMonthOf, hijriOf, todayInRiyadh } from "./hijri-calendar";

describe("Umm al-Qura calendar", () => {
	it("should convert known Gregorian days (1 Muharram 1447 = 26 June 2025, 1 Ramadan 1446 = 1 March 2025)", () => {
		expect(hijriOf("2025-06-26")).toEqual({ year: 1447, month: 1, day: 1 });
		expect(hijriOf("2025-03-01")).toEqual({ year: 1446, month: 9, day: 1 });
	});

	it("should list a month's days from its first, 29 or 30 of them, and step across years", () => {
		const ramadan = hijriMonthOf("2025-03-15");
		expect(ramadan.days[0]).toBe("2025-03-01");
		expect([29, 30]).toContain(ramadan.days.length);
		expect(hijriOf(addDays(ramadan.days.at(-1)!, 1))).toMatchObject({ month: 10, day: 1 });
		const muharram = hijriMonthOf("2025-06-30");
		const dhulHijja = adjacentMonth(muharram, -1);
		expect([dhulHijja.year, dhulHijja.month]).toEqual([1446, 12]);
		expect(adjacentMonth(dhulHijja, 1).days[0]).toBe("2025-06-26");
	});

	it("should take today's day in Riyadh, not in UTC", () => {
		// 22:30 UTC on 1 December is already 2 December in Riyadh (UTC+3).
		expect(todayInRiyadh(new Date("2026-12-01T22:30:00Z"))).toBe("2026-12-02");
	});
});
