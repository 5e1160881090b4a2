import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { errorRegistry } from "./error-registry";

function documentedCodes(): Map<string, number> {
	const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
	const section = readme.split(/^## Error codes$/m)[1]?.split(/^## /m)[0] ?? "";
	const rows = [...section.matchAll(/^\|\s*`([A-Z_]+)`\s*\|\s*(\d{3})\s*\|/gm)];
	return new Map(rows.map((row) => [row[1]!, Number(row[2])]));
}

describe("error registry", () => {
	it("should document every code with its status in api/README.md, and nothing else", () => {
		const documented = documentedCodes();
		const registered = new Map(Object.entries(errorRegistry).map(([code, entry]) => [code, entry.status as number]));
		expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(registered));
	});

	it("should give every code a client or server error status and a title", () => {
		for (const [code, entry] of Object.entries(errorRegistry)) {
			expect(entry.status, code).toBeGreaterThanOrEqual(400);
			expect(entry.status, code).toBeLessThan(600);
			expect(entry.title.length, code).toBeGreaterThan(5);
		}
	});
});
