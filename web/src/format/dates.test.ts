import { describe, expect, it } from "vitest";
import { formatGregorian, formatHijri, remaining } from "./dates";

describe("dates", () => {
	it("should show the Umm al-Qura date of the Riyadh day, not the UTC day, near midnight", () => {
		// 21:30 UTC on 28 Nov 2026 is 00:30 on 29 Nov in Riyadh.
		const lateUtc = "2026-11-28T21:30:00Z";
		expect(formatHijri(lateUtc)).toBe("١٩ جمادى الآخرة ١٤٤٨ هـ");
		expect(formatGregorian(lateUtc)).toBe("٢٩ نوفمبر ٢٠٢٦ م");
	});

	it("should answer hours and minutes left and say when a deadline has passed", () => {
		const now = new Date("2026-11-28T10:00:00Z");
		expect(remaining(new Date("2026-11-28T12:30:00Z"), now)).toEqual({ past: false, hours: 2, minutes: 30 });
		expect(remaining(new Date("2026-11-28T09:15:00Z"), now)).toEqual({ past: true, hours: 0, minutes: 45 });
	});
});
