import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { jobModules } from "./index";

const processes = path.resolve(import.meta.dirname, "../../processes");

/** Job types of every service task in the case processes (`zeebe:taskDefinition type="…"`). */
function jobTypesInDiagrams(): string[] {
	const types = new Set<string>();
	for (const file of readdirSync(processes).filter((name) => name.endsWith(".bpmn"))) {
		for (const match of readFileSync(path.join(processes, file), "utf8").matchAll(/zeebe:taskDefinition type="([^"=]+)"/g)) {
			if (match[1] !== "io.camunda.zeebe:userTask") types.add(match[1]!);
		}
	}
	return [...types].sort();
}

describe("job modules", () => {
	it("should cover every job type the case processes use, and no other", () => {
		const diagrams = jobTypesInDiagrams();
		expect(diagrams.length).toBeGreaterThan(0);
		expect(jobModules.map((module) => module.type).sort()).toEqual(diagrams);
	});

	it("should have one element template per module", () => {
		const templates = readdirSync(path.join(processes, ".camunda/element-templates")).map((name) => name.replace(/\.json$/, ""));
		expect(jobModules.map((module) => module.type).filter((type) => !templates.includes(type))).toEqual([]);
	});
});
