import type { ApiProblem } from "../../api/client";
import type { DeploymentResult } from "../../api/processes.api";
import { bdi, h } from "../../ui/dom";

/** Offers `content` as a file download. */
export function downloadText(name: string, content: string, type: string): void {
	const url = URL.createObjectURL(new Blob([content], { type }));
	const link = h("a", { href: url, download: name });
	document.body.append(link);
	link.click();
	link.remove();
	setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

/** The text of a file the user picked. */
export function readFile(file: File): Promise<string> {
	return file.text();
}

/** What was deployed, e.g. `case-intake v3`, as isolated identifiers. */
export function deploymentSummary(result: DeploymentResult): HTMLElement {
	const names = result.deployments.map((item) =>
		item.processDefinition
			? `${item.processDefinition.processDefinitionId} v${item.processDefinition.processDefinitionVersion}`
			: item.decisionDefinition
				? `${item.decisionDefinition.decisionDefinitionId} v${item.decisionDefinition.version}`
				: item.form
					? `${item.form.formId} v${item.form.version}`
					: "?",
	);
	return h(
		"span",
		{ class: "deployed" },
		names.map((name) => bdi(name, "tag")),
	);
}

/**
 * The problems of a rejected deployment: the `errors` list of the problem (element id and message), else
 * the lines of its detail (Zeebe puts one problem per line).
 */
export function deploymentProblems(problem: ApiProblem): HTMLElement {
	const fromBody = Array.isArray(problem.body.problems)
		? (problem.body.problems as { elementId?: string; field?: string; message: string }[])
		: [];
	const listed = problem.errors.length > 0 ? problem.errors : fromBody;
	const items =
		listed.length > 0
			? listed.map((item) => {
					const where = "elementId" in item && item.elementId ? item.elementId : (item.field ?? "");
					return h("li", {}, where ? [bdi(where), " "] : null, h("span", { dir: "auto" }, item.message));
				})
			: problem.detail
					.split("\n")
					.filter((line) => line.trim())
					.map((line) => h("li", {}, h("span", { dir: "ltr" }, line)));
	return h("ul", { class: "problems", "data-testid": "deploy-problems" }, items);
}
