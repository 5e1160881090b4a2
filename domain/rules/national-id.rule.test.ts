import { describe, expect, it } from "vitest";
import { isLuhnValid, luhnCheckDigit, toAsciiDigits } from "./digits.rule";
import { isValidSaudiId, saudiIdType, validateIdentityDocument, validateSaudiId } from "./national-id.rule";

describe("Saudi national ID / Iqama (domain.md §3.1 vectors)", () => {
	it.each(["1000000008", "1000000107", "1000000115", "1000000123", "1000000164", "2000000204", "2000000212"])(
		"should accept %s",
		(id) => {
			expect(isValidSaudiId(id)).toBe(true);
		},
	);

	it.each([
		["1000000000", "BAD_CHECK_DIGIT"],
		["100000000", "NOT_TEN_DIGITS"],
		["3000000001", "BAD_PREFIX"],
		["2000000221", "BAD_CHECK_DIGIT"],
		["10000001O7", "NOT_TEN_DIGITS"],
		["", "NOT_TEN_DIGITS"],
	])("should reject %s as %s", (id, problem) => {
		const result = validateSaudiId(id);
		expect(result.valid).toBe(false);
		if (!result.valid) {
			expect(result.problem).toBe(problem);
			expect(result.message).toContain(result.idNumber);
		}
	});

	it("should accept Arabic-Indic and Extended Arabic-Indic digits and surrounding spaces", () => {
		expect(toAsciiDigits("١٠٠٠٠٠٠١٠٧")).toBe("1000000107");
		expect(toAsciiDigits("۲۰۰۰۰۰۰۲۰۴")).toBe("2000000204");
		expect(validateSaudiId(" ١٠٠٠٠٠٠١٠٧ ")).toEqual({ valid: true, idNumber: "1000000107", type: "NATIONAL_ID" });
		expect(validateSaudiId("۲۰۰۰۰۰۰۲۰۴")).toEqual({ valid: true, idNumber: "2000000204", type: "IQAMA" });
	});

	it("should type prefix 1 as national ID and prefix 2 as Iqama, and refuse to type an invalid number", () => {
		expect(saudiIdType("1000000115")).toBe("NATIONAL_ID");
		expect(saudiIdType("2000000212")).toBe("IQAMA");
		expect(() => saudiIdType("1000000000")).toThrow(/check digit/);
	});

	it("should detect every single-digit typo in a valid ID", () => {
		const id = "1000000107";
		for (let position = 0; position < 10; position++) {
			for (let digit = 0; digit <= 9; digit++) {
				if (String(digit) === id[position]) continue;
				const typo = id.slice(0, position) + digit + id.slice(position + 1);
				expect(isValidSaudiId(typo), typo).toBe(false);
			}
		}
	});

	it("should compute Luhn check digits that make the number valid", () => {
		expect(luhnCheckDigit("1447000153")).toBe(9);
		expect(luhnCheckDigit("100000010")).toBe(7);
		expect(isLuhnValid("1000000107")).toBe(true);
		expect(isLuhnValid("1000000108")).toBe(false);
		expect(() => luhnCheckDigit("14a7")).toThrow(/ASCII digits/);
	});
});

describe("identity documents", () => {
	it("should keep passports, border numbers and GCC IDs out of the 1/2 rule", () => {
		expect(validateIdentityDocument("PASSPORT", "ab 123456")).toEqual({ valid: true, number: "AB123456" });
		expect(validateIdentityDocument("BORDER_NUMBER", "3000000001")).toEqual({ valid: true, number: "3000000001" });
		expect(validateIdentityDocument("GCC_ID", "784-1985")).toMatchObject({ valid: false });
	});

	it("should reject a national ID filed as an Iqama, naming the right type", () => {
		const result = validateIdentityDocument("IQAMA", "1000000107");
		expect(result.valid).toBe(false);
		if (!result.valid) expect(result.message).toMatch(/choose document type NATIONAL_ID/);
		expect(validateIdentityDocument("IQAMA", "٢٠٠٠٠٠٠٢٠٤")).toEqual({ valid: true, number: "2000000204" });
	});
});
