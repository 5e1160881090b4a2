import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseBpmn } from "./moddle.parser";
import { listDeploymentResources, PROCESSES_DIR } from "./resource.catalog";

const require = createRequire(import.meta.url);

/** One report of bpmnlint, as returned by `Linter#lint` (grouped by rule name). */
interface LintReport {
	id?: string;
	message: string;
	category: string;
}
interface BpmnLinter {
	lint(definitions: unknown): Promise<Record<string, LintReport[]>>;
}

// bpmnlint and its camunda-compat plug-in are CommonJS; the NodeResolver finds
// `bpmnlint:recommended` and `plugin:camunda-compat/...` the way the bpmnlint CLI does.
const { Linter } = require("bpmnlint") as { Linter: new (options: unknown) => BpmnLinter };
const NodeResolver = require("bpmnlint/lib/resolver/node-resolver") as new (options: unknown) => unknown;
const lintConfig = JSON.parse(readFileSync(join(PROCESSES_DIR, ".bpmnlintrc"), "utf8")) as Record<string, unknown>;

/**
 * Lints one diagram with the project's `.bpmnlintrc` and returns one line per problem:
 * `file element rule (category): message`. A fresh Linter per diagram, because some
 * bpmnlint rules (e.g. no-duplicate-sequence-flows) keep state across calls.
 */
async function lintDiagram(file: string, xml: string): Promise<string[]> {
	const definitions = await parseBpmn(xml);
	const linter = new Linter({ config: lintConfig, resolver: new NodeResolver({ require }) });
	const results = await linter.lint(definitions.rootElement);
	const problems: string[] = [];
	for (const [rule, reports] of Object.entries(results)) {
		for (const report of reports) {
			problems.push(`${file} ${report.id ?? "-"} ${rule} (${report.category}): ${report.message}`);
		}
	}
	return problems;
}

const diagrams = listDeploymentResources().filter((r) => r.kind === "bpmn");

describe("bpmnlint (recommended + camunda-compat 8.6)", () => {
	it("finds the nine case processes", () => {
		expect(diagrams.map((d) => d.name).sort()).toEqual([
			"case-lifecycle.bpmn",
			"criminal-inquiry.bpmn",
			"custody-clock.bpmn",
			"evidence-custody.bpmn",
			"lost-property.bpmn",
			"prosecution-referral.bpmn",
			"report-intake.bpmn",
			"traffic-case.bpmn",
			"trial-tracking.bpmn",
		]);
	});

	it("extends the recommended and the Camunda 8.6 rule sets", () => {
		expect(lintConfig.extends).toEqual(["bpmnlint:recommended", "plugin:camunda-compat/camunda-cloud-8-6"]);
	});

	it.each(diagrams.map((d) => [d.name, d.path]))("%s has no lint problem (errors and warnings)", async (name, path) => {
		const problems = await lintDiagram(name, readFileSync(path, "utf8"));
		expect(problems, problems.join("\n")).toEqual([]);
	});

	it("reports a service task without a job type (the rule set is really active)", async () => {
		const original = readFileSync(join(PROCESSES_DIR, "prosecution-referral.bpmn"), "utf8");
		const broken = original.replace('<zeebe:taskDefinition type="prosecution.submit" retries="3" />', "");
		expect(broken).not.toBe(original);
		const problems = await lintDiagram("broken.bpmn", broken);
		expect(problems.some((p) => p.includes("Task_Submit") && p.includes("camunda-compat/implementation"))).toBe(true);
	});

	it("reports overlapping shapes", async () => {
		const original = readFileSync(join(PROCESSES_DIR, "lost-property.bpmn"), "utf8");
		const broken = original.replace(
			/(<bpmndi:BPMNShape id="Task_Certificate_di" bpmnElement="Task_Certificate">\s*<dc:Bounds )x="\d+"/,
			'$1x="700"',
		);
		expect(broken).not.toBe(original);
		const problems = await lintDiagram("broken.bpmn", broken);
		expect(problems.some((p) => p.includes("no-overlapping-elements"))).toBe(true);
	});
});
