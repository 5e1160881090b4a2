import { describe, expect, it } from "vitest";
import {
	addDaysInRiyadh,
	addHijriDays,
	ageOn,
	formatDual,
	formatDualParts,
	gregorianDayOf,
	gregorianToHijri,
	hijriDayOf,
	hijriDayOfByIntl,
	hijriToGregorian,
	hijriYearOf,
	parseIsoDay,
	startOfHijriDay,
} from "./hijri.rule";

const arrest = new Date("2025-09-02T22:30:00+03:00");

describe("Hijri (Umm al-Qura, Asia/Riyadh) helpers", () => {
	it("should give 1447-03-10 for 2025-09-02 22:30 Riyadh, in both implementations", () => {
		expect(hijriDayOf(arrest)).toEqual({ year: 1447, month: 3, day: 10 });
		expect(hijriDayOfByIntl(arrest)).toEqual({ year: 1447, month: 3, day: 10 });
	});

	it("should count the day in Riyadh, not UTC: 00:30 Riyadh is already the next day", () => {
		const justAfterMidnight = new Date("2025-09-02T21:30:00Z"); // 00:30 on 3 Sep in Riyadh
		expect(gregorianDayOf(justAfterMidnight)).toEqual({ year: 2025, month: 9, day: 3 });
		expect(hijriDayOf(justAfterMidnight)).toEqual({ year: 1447, month: 3, day: 11 });
	});

	it.each([
		// domain.md §1.6 verified detention arithmetic: arrest 1447-03-10 (2025-09-02)
		[5, { year: 1447, month: 3, day: 15 }, { year: 2025, month: 9, day: 7 }],
		[40, { year: 1447, month: 4, day: 20 }, { year: 2025, month: 10, day: 12 }],
		[180, { year: 1447, month: 9, day: 12 }, { year: 2026, month: 3, day: 1 }],
	])("should put arrest + %i days on %o Hijri = %o Gregorian", (days, hijri, gregorian) => {
		expect(addHijriDays({ year: 1447, month: 3, day: 10 }, days)).toEqual(hijri);
		expect(hijriToGregorian(hijri)).toEqual(gregorian);
		expect(gregorianToHijri(gregorian)).toEqual(hijri);
		expect(hijriDayOf(addDaysInRiyadh(arrest, days))).toEqual(hijri);
	});

	it("should agree with ICU for every day of a year", () => {
		let instant = new Date("2025-06-26T12:00:00+03:00");
		for (let i = 0; i < 366; i++) {
			expect(hijriDayOf(instant)).toEqual(hijriDayOfByIntl(instant));
			instant = addDaysInRiyadh(instant, 1);
		}
	});

	it("should convert the scenario dates of domain.md §5.4", () => {
		expect(hijriToGregorian({ year: 1447, month: 5, day: 1 })).toEqual({ year: 2025, month: 10, day: 23 });
		expect(hijriToGregorian({ year: 1447, month: 7, day: 3 })).toEqual({ year: 2025, month: 12, day: 23 });
		expect(hijriToGregorian({ year: 1447, month: 9, day: 1 })).toEqual({ year: 2026, month: 2, day: 18 });
		expect(gregorianToHijri({ year: 2025, month: 12, day: 3 })).toEqual({ year: 1447, month: 6, day: 12 });
	});

	it("should start the Hijri year at midnight of 1 Muharram in Riyadh", () => {
		const newYear = startOfHijriDay({ year: 1448, month: 1, day: 1 });
		expect(hijriYearOf(newYear)).toBe(1448);
		expect(hijriYearOf(new Date(newYear.getTime() - 1))).toBe(1447);
		// In UTC that instant is still the evening before.
		expect(newYear.getUTCHours()).toBe(21);
	});

	it("should reject dates that do not exist or are outside the Umm al-Qura tables", () => {
		expect(() => hijriToGregorian({ year: 1447, month: 13, day: 1 })).toThrow(/does not exist/);
		expect(() => hijriToGregorian({ year: 1200, month: 1, day: 1 })).toThrow(/outside the Umm al-Qura tables/);
		expect(() => gregorianToHijri({ year: 2025, month: 2, day: 30 })).toThrow(/does not exist/);
	});

	it("should format Hijri first, then Gregorian, in Arabic or English", () => {
		const ar = formatDual(arrest);
		expect(ar).toContain("ربيع الأول");
		expect(ar).toContain("١٤٤٧");
		expect(ar).toContain("سبتمبر");
		expect(ar.indexOf("١٤٤٧")).toBeLessThan(ar.indexOf("سبتمبر"));
		const en = formatDualParts(arrest, { language: "en" });
		expect(en.hijri).toMatch(/10 Rabiʻ I 1447 AH/);
		expect(en.gregorian).toMatch(/2 September 2025/);
		expect(formatDual(arrest, { latinDigits: true })).toContain("1447");
	});

	it("should compute ages from Hijri and Gregorian dates of birth", () => {
		// P08 (juvenile, 16) at the time of scenario C6 / C5.
		expect(ageOn({ year: 1431, month: 3, day: 2 }, "HIJRI", new Date("2026-02-18T21:40:00+03:00"))).toBe(16);
		// P04, born 1988-04-12: 37 the day before the birthday, 38 on it.
		expect(ageOn({ year: 1988, month: 4, day: 12 }, "GREGORIAN", new Date("2026-04-11T12:00:00+03:00"))).toBe(37);
		expect(ageOn({ year: 1988, month: 4, day: 12 }, "GREGORIAN", new Date("2026-04-12T00:10:00+03:00"))).toBe(38);
	});

	it("should refuse partial days in calendar-day arithmetic", () => {
		expect(() => addDaysInRiyadh(arrest, 0.5)).toThrow(/whole calendar days/);
	});

	it("should parse ISO days with Arabic-Indic digits", () => {
		expect(parseIsoDay("١٤٤٧-٠٣-١٠")).toEqual({ year: 1447, month: 3, day: 10 });
		expect(() => parseIsoDay("10/03/1447")).toThrow(/YYYY-MM-DD/);
	});
});
