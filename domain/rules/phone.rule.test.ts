import { describe, expect, it } from "vitest";
import { parsePhone, toE164 } from "./phone.rule";

describe("phone numbers (domain.md §3.4 vectors)", () => {
	it.each([
		["0501234567", "+966501234567", "MOBILE", "050 123 4567", true],
		["+966 55 123 4567", "+966551234567", "MOBILE", "055 123 4567", true],
		["0112345678", "+966112345678", "FIXED_LINE", "011 234 5678", false],
		["920012345", "+966920012345", "SHARED_COST", "9200 12345", false],
		["8001234567", "+9668001234567", "TOLL_FREE", "800 123 4567", false],
		["٠٥٠١٢٣٤٥٦٧", "+966501234567", "MOBILE", "050 123 4567", true],
	])("should parse %s as %s (%s, %s)", (input, e164, type, national, smsCapable) => {
		expect(parsePhone(input)).toEqual({ valid: true, e164, type, national, smsCapable });
	});

	it.each(["0601234567", "911", "999", "hello"])("should reject %s", (input) => {
		expect(parsePhone(input).valid).toBe(false);
	});

	it("should throw with a hint from toE164 for invalid input", () => {
		expect(toE164("0501234567")).toBe("+966501234567");
		expect(() => toE164("0601234567")).toThrow(/05XXXXXXXX/);
	});
});
