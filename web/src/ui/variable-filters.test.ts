import { describe, expect, it } from "vitest";
import { parseVariableFilters } from "./variable-filters";

describe("parseVariableFilters", () => {
	it("should read name=value pairs separated by ; or new lines, JSON values as they are and text as JSON strings", () => {
		expect(parseVariableFilters(' offenceType = THEFT ; level=2\nurgent=true;  note="a=b" ; ')).toEqual([
			{ name: "offenceType", value: '"THEFT"' },
			{ name: "level", value: "2" },
			{ name: "urgent", value: "true" },
			{ name: "note", value: '"a=b"' },
		]);
		expect(parseVariableFilters("")).toEqual([]);
	});

	it("should refuse a part without a name", () => {
		expect(() => parseVariableFilters("THEFT")).toThrow('"THEFT" is not name=value');
		expect(() => parseVariableFilters("=2")).toThrow();
	});
});
