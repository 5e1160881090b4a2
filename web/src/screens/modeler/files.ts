import type { ApiProblem } from "../../api/client";
import type { DeploymentProblem, DeploymentResult } from "../../api/processes.api";
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

/** The `{id, version}` a deployment item names, whichever naming (engine gRPC or Camunda REST) it uses. */
function deployedName(item: Record<string, Record<string, unknown> | undefined>): string {
	const entry =
		item.process ??
		item.processDefinition ??
		item.decision ??
		item.decisionDefinition ??
		item.decisionRequirements ??
		item.form;
	if (!entry) return "?";
	const id =
		entry.bpmnProcessId ??
		entry.processDefinitionId ??
		entry.dmnDecisionId ??
		entry.decisionDefinitionId ??
		entry.dmnDecisionRequirementsId ??
		entry.formId ??
		entry.resourceName ??
		"?";
	const version = entry.version ?? entry.processDefinitionVersion;
	return version === undefined ? String(id) : `${String(id)} v${String(version)}`;
}

/** What was deployed, e.g. `case-intake v3`, as isolated identifiers. */
export function deploymentSummary(result: DeploymentResult): HTMLElement {
	return h(
		"span",
		{ class: "deployed" },
		result.deployments.map((item) => bdi(deployedName(item), "tag")),
	);
}

/**
 * The problems of a rejected deployment: `problems` of DEPLOYMENT_INVALID (file, element, rule, message),
 * else the problem's field `errors`, else the lines of its detail.
 */
export function deploymentProblems(problem: ApiProblem): HTMLElement {
	const listed: DeploymentProblem[] = Array.isArray(problem.body.problems)
		? (problem.body.problems as DeploymentProblem[])
		: problem.errors.map((error) => ({ elementId: error.field, message: error.message }));
	const items =
		listed.length > 0
			? listed.map((item) =>
					h(
						"li",
						{},
						item.file ? [bdi(item.file, "id"), " "] : null,
						item.elementId ? [bdi(item.elementId, "tag"), " "] : null,
						h("span", { dir: "auto" }, item.message),
						item.rule ? [" ", bdi(`(${item.rule})`, "id muted")] : null,
					),
				)
			: problem.detail
					.split("\n")
					.filter((line) => line.trim())
					.map((line) => h("li", {}, h("span", { dir: "ltr" }, line)));
	return h("ul", { class: "problems", "data-testid": "deploy-problems" }, items);
}
