import { describe, expect, it } from "vitest";
import { joinNameParts, normaliseNameForSearch } from "./arabic-name.rule";

describe("Arabic name normalisation for search (domain.md §3.3)", () => {
	it.each([
		["أحمد", "احمد"],
		["إبراهيم", "ابراهيم"],
		["آل سعود", "ال سعود"],
		["فاطمة", "فاطمه"],
		["مصطفى", "مصطفي"],
		["محـــمد", "محمد"],
		["مُحَمَّد", "محمد"],
		["مؤمن", "مومن"],
		["هانئ", "هاني"],
		["  نورة   سعد  ", "نوره سعد"],
		["عبد الله", "عبدالله"],
		["فهد عبد الرحمن", "فهد عبدالرحمن"],
		["Al-Qahtani", "alqahtani"],
		["Noura Saad", "noura saad"],
		["Abd Allah", "abdallah"],
	])("should normalise %s to %s", (input, expected) => {
		expect(normaliseNameForSearch(input)).toBe(expected);
	});

	it("should make common spelling variants meet", () => {
		expect(normaliseNameForSearch("يوسف إبراهيم الغامدي")).toBe(normaliseNameForSearch("يوسف ابراهيم الغامدى"));
		expect(normaliseNameForSearch("ريم عبدالرحمن الزهراني")).toBe(normaliseNameForSearch("ريم عبد الرَّحمن الزهرانى"));
		expect(normaliseNameForSearch("نورة")).not.toBe(normaliseNameForSearch("نور"));
	});

	it("should join name parts in order, skipping missing ones", () => {
		expect(joinNameParts({ first: "فهد", father: "عبدالله", grandfather: "محمد", family: "القحطاني" })).toBe(
			"فهد عبدالله محمد القحطاني",
		);
		expect(joinNameParts({ first: "محمد", father: null, family: "إقبال" })).toBe("محمد إقبال");
	});
});
