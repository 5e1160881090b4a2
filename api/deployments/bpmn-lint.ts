import { createRequire } from "node:module";
import zeebe from "zeebe-bpmn-moddle/resources/zeebe.json";

const require = createRequire(import.meta.url);

/** One problem found in an uploaded file. */
export interface DeploymentProblem {
	file: string;
	/** The BPMN element at fault, when known. */
	elementId: string | null;
	rule: string;
	category: "error" | "warn";
	message: string;
}

interface LintReport {
	id?: string;
	message: string;
	category: string;
}
interface Linter {
	lint(definitions: unknown): Promise<Record<string, LintReport[]>>;
}
interface Moddle {
	fromXML(xml: string): Promise<{ rootElement: unknown; warnings: Array<{ message: string }> }>;
}

// bpmnlint and its camunda-compat plug-in are CommonJS; the NodeResolver resolves `bpmnlint:recommended` and
// `plugin:camunda-compat/…` like the bpmnlint CLI. Same rule set as processes/.bpmnlintrc: job-based user tasks
// are how Mizan runs user tasks, so the "use zeebe:UserTask" rule is off. Missing labels and diagram
// interchange (DI) do not change how a process runs, and tools deploy generated diagrams without DI, so those
// two rules warn here instead of blocking the deployment.
const { Linter: LinterClass } = require("bpmnlint") as { Linter: new (options: unknown) => Linter };
const NodeResolver = require("bpmnlint/lib/resolver/node-resolver") as new (options: unknown) => unknown;
const config = {
	extends: ["bpmnlint:recommended", "plugin:camunda-compat/camunda-cloud-8-6"],
	rules: { "camunda-compat/zeebe-user-task": "off", "label-required": "warn", "no-bpmndi": "warn" },
};
const BPMN_MODDLE = "bpmn-moddle";

/** Lints one BPMN file with bpmnlint (recommended + camunda-compat 8.6); unreadable XML is one error. */
export async function lintBpmn(file: string, xml: string): Promise<DeploymentProblem[]> {
	const { BpmnModdle } = (await import(BPMN_MODDLE)) as { BpmnModdle: new (packages: object) => Moddle };
	let parsed: Awaited<ReturnType<Moddle["fromXML"]>>;
	try {
		parsed = await new BpmnModdle({ zeebe }).fromXML(xml);
	} catch (error) {
		return [
			{
				file,
				elementId: null,
				rule: "xml",
				category: "error",
				message: `The file is not readable BPMN XML: ${(error as Error).message}`,
			},
		];
	}
	// A fresh linter per file: some rules keep state between calls.
	const linter = new LinterClass({ config, resolver: new NodeResolver({ require }) });
	const results = await linter.lint(parsed.rootElement);
	const problems: DeploymentProblem[] = [];
	for (const [rule, reports] of Object.entries(results)) {
		for (const report of reports) {
			problems.push({
				file,
				elementId: report.id ?? null,
				rule,
				category: report.category === "error" ? "error" : "warn",
				message: report.message,
			});
		}
	}
	return problems;
}
