import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { listForms } from "../forms/form.catalog";

/** Absolute path of the `processes/` folder. */
export const PROCESSES_DIR = dirname(fileURLToPath(import.meta.url));

/** Absolute path of the Camunda Modeler element templates of the worker job types. */
export const ELEMENT_TEMPLATES_DIR = join(PROCESSES_DIR, ".camunda", "element-templates");

/** One file to deploy to the engine (or to a Zeebe cluster). */
export interface DeploymentResource {
	/** File name, used as the resource name of the deployment. */
	name: string;
	/** Absolute path. */
	path: string;
	kind: "bpmn" | "dmn" | "form";
}

/**
 * Every resource the case system deploys: the diagrams and decisions of `processes/` and the
 * forms of `forms/`. Deploy them in one deployment: the engine rejects a deployment as a whole,
 * so a diagram never goes live without the form or decision it references.
 */
export function listDeploymentResources(): DeploymentResource[] {
	const models = readdirSync(PROCESSES_DIR)
		.filter((name) => name.endsWith(".bpmn") || name.endsWith(".dmn"))
		.sort()
		.map((name) => ({
			name,
			path: join(PROCESSES_DIR, name),
			kind: name.endsWith(".bpmn") ? ("bpmn" as const) : ("dmn" as const),
		}));
	const forms = listForms().map((form) => ({ name: `${form.id}.form`, path: form.path, kind: "form" as const }));
	return [...models, ...forms];
}
