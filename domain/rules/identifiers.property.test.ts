import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatCaseNumber, isValidCaseNumber, parseCaseNumber } from "./case-number.rule";
import { isLuhnValid, luhnCheckDigit } from "./digits.rule";
import { addDaysInRiyadh, gregorianToHijri, hijriDayOf, hijriDayOfByIntl, hijriToGregorian } from "./hijri.rule";

const sequence = fc.integer({ min: 1, max: 999_999 });
const hijriYear = fc.integer({ min: 1400, max: 1500 });

describe("identifier properties", () => {
	it("should round-trip every case number through format and parse", () => {
		fc.assert(
			fc.property(hijriYear, sequence, (year, seq) => {
				const text = formatCaseNumber({ region: "RUH", unit: "OLY", hijriYear: year, sequence: seq });
				const parsed = parseCaseNumber(text);
				return parsed.valid && parsed.parts.hijriYear === year && parsed.parts.sequence === seq;
			}),
		);
	});

	it("should catch every single-digit error in a case number's year or sequence", () => {
		fc.assert(
			fc.property(
				hijriYear,
				sequence,
				fc.integer({ min: 0, max: 9 }),
				fc.integer({ min: 1, max: 9 }),
				(year, seq, position, delta) => {
					const text = formatCaseNumber({ region: "RUH", unit: "OLY", hijriYear: year, sequence: seq });
					const digits = `${year}${String(seq).padStart(6, "0")}`;
					const changed = String((Number(digits[position]) + delta) % 10);
					const typo = digits.slice(0, position) + changed + digits.slice(position + 1);
					const typoText = `RUH-OLY-${typo.slice(0, 4)}-${typo.slice(4)}-${text.at(-1)}`;
					expect(isValidCaseNumber(typoText)).toBe(false);
				},
			),
		);
	});

	it("should make any digit string Luhn-valid with its check digit", () => {
		fc.assert(
			fc.property(fc.stringMatching(/^\d{1,20}$/), (payload) => isLuhnValid(payload + luhnCheckDigit(payload))),
		);
	});
});

describe("Hijri conversion properties", () => {
	const instant = fc.date({
		min: new Date("1950-01-01T00:00:00Z"),
		max: new Date("2100-01-01T00:00:00Z"),
		noInvalidDate: true,
	});

	it("should agree with ICU on the Hijri day of any instant in Riyadh", () => {
		fc.assert(
			fc.property(instant, (d) => {
				expect(hijriDayOf(d)).toEqual(hijriDayOfByIntl(d));
			}),
		);
	});

	it("should convert Gregorian → Hijri → Gregorian without loss", () => {
		fc.assert(
			fc.property(instant, (d) => {
				const g = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
				expect(hijriToGregorian(gregorianToHijri(g))).toEqual(g);
			}),
		);
	});

	it("should move exactly n × 24 h when adding n days in Riyadh (no DST)", () => {
		fc.assert(
			fc.property(instant, fc.integer({ min: -400, max: 400 }), (d, n) => {
				expect(addDaysInRiyadh(d, n).getTime() - d.getTime()).toBe(n * 86_400_000);
			}),
		);
	});
});
