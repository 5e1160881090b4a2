import { describe, expect, it } from "vitest";
import {
	caseNumberCheckDigit,
	formatCaseNumber,
	formatChildId,
	formatReportNumber,
	isValidCaseNumber,
	parseCaseNumber,
	parseChildId,
	parseReportNumber,
	parseUnitCode,
} from "./case-number.rule";

// The case numbers of the scenarios in domain.md §5.4.
const SCENARIO_NUMBERS = [
	"RUH-OLY-1447-000153-9",
	"RUH-NSM-1447-000088-7",
	"RUH-SWD-1447-000201-6",
	"RUH-YSM-1447-000047-3",
	"RUH-MLZ-1447-000310-5",
	"RUH-TRF-1447-000912-8",
];

describe("case numbers (domain.md §2.6)", () => {
	it("should compute Luhn over HIJRI_YEAR+SEQ6: Luhn('1447000153') = 9", () => {
		expect(caseNumberCheckDigit(1447, 153)).toBe(9);
		expect(formatCaseNumber({ region: "RUH", unit: "OLY", hijriYear: 1447, sequence: 153 })).toBe(
			"RUH-OLY-1447-000153-9",
		);
	});

	it.each(SCENARIO_NUMBERS)("should parse and re-format %s", (caseNumber) => {
		const parsed = parseCaseNumber(caseNumber);
		expect(parsed.valid).toBe(true);
		if (parsed.valid) expect(formatCaseNumber(parsed.parts)).toBe(caseNumber);
	});

	it("should reject a wrong check digit and say which is expected", () => {
		const parsed = parseCaseNumber("RUH-OLY-1447-000153-4");
		expect(parsed).toMatchObject({ valid: false });
		if (!parsed.valid) expect(parsed.message).toMatch(/check digit 4 but 9 is expected/);
	});

	it("should catch a transposition of adjacent sequence digits", () => {
		expect(isValidCaseNumber("RUH-OLY-1447-000135-9")).toBe(false);
	});

	it("should accept Arabic-Indic digits, lower case and bidi marks from copy-paste", () => {
		const parsed = parseCaseNumber("\u2066ruh-oly-١٤٤٧-٠٠٠١٥٣-٩\u2069");
		expect(parsed).toMatchObject({ valid: true, caseNumber: "RUH-OLY-1447-000153-9" });
	});

	it.each(["RUH-OLY-1447-153-9", "RUH_OLY-1447-000153-9", "RUH-OLY-1447-000000-0", "RUH-OLY-1447-000153"])(
		"should reject malformed %s",
		(text) => {
			expect(isValidCaseNumber(text)).toBe(false);
		},
	);

	it("should refuse to format out-of-range parts", () => {
		expect(() => formatCaseNumber({ region: "RUH", unit: "OLY", hijriYear: 1447, sequence: 1_000_000 })).toThrow(
			/1–999999/,
		);
		expect(() => formatCaseNumber({ region: "ruh", unit: "OLY", hijriYear: 1447, sequence: 1 })).toThrow(/REGION-UNIT/);
		expect(parseUnitCode("RUH-OLY")).toEqual({ region: "RUH", unit: "OLY" });
	});
});

describe("child identifiers", () => {
	it("should format and parse evidence and custody identifiers", () => {
		expect(formatChildId("RUH-SWD-1447-000201-6", "E", 2)).toBe("RUH-SWD-1447-000201-6/E02");
		expect(formatChildId("RUH-SWD-1447-000201-6", "C", 1)).toBe("RUH-SWD-1447-000201-6/C01");
		expect(parseChildId("RUH-SWD-1447-000201-6/E03")).toEqual({
			caseNumber: "RUH-SWD-1447-000201-6",
			kind: "E",
			index: 3,
		});
		expect(() => parseChildId("RUH-SWD-1447-000201-5/E03")).toThrow(/valid case number/);
		expect(() => parseChildId("RUH-SWD-1447-000201-6/X03")).toThrow();
	});

	it("should format and parse report and lost-item numbers", () => {
		expect(formatReportNumber("BLG", 1447, 153)).toBe("BLG-1447-000153");
		expect(formatReportNumber("MFQ", 1447, 77)).toBe("MFQ-1447-000077");
		expect(parseReportNumber("MFQ-1447-000077")).toEqual({ series: "MFQ", hijriYear: 1447, sequence: 77 });
		expect(() => parseReportNumber("XYZ-1447-000077")).toThrow(/BLG-1447-000153/);
	});
});
