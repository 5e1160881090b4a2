import "@bpmn-io/form-js/dist/assets/form-js.css";
import "@bpmn-io/form-js/dist/assets/form-js-editor.css";
import { FormEditor } from "@bpmn-io/form-js";
import { ApiProblem } from "../api/client";
import { deploy } from "../api/processes.api";
import { currentDir, t } from "../i18n/i18n";
import { translatePanels } from "../i18n/panel-translate";
import type { MountedScreen, ScreenContext } from "../main";
import { h, replace } from "../ui/dom";
import { describeError, notAvailable, toast } from "../ui/feedback";
import { deploymentProblems, deploymentSummary, downloadText, readFile } from "./modeler/files";

/** A new form: Arabic labels first (the forms of `forms/` follow the same rule). */
function blankForm(): Record<string, unknown> {
	return {
		type: "default",
		id: `Form_${Math.random().toString(36).slice(2, 9)}`,
		schemaVersion: 19,
		components: [],
		properties: { language: "ar" },
	};
}

let lastSchema: Record<string, unknown> | null = null;

/**
 * The form editor (`@bpmn-io/form-js` editor) with open, download and deploy. In Arabic the editor lays out right
 * to left (palette at the inline start, properties at the end, the form itself RTL as officers see it) and its
 * palette and properties panel speak Arabic ({@link translatePanels}: form-js has no translation service).
 */
export async function mountFormEditor(container: HTMLElement, _context: ScreenContext): Promise<MountedScreen> {
	const editorHost = h("div", {
		class: "form-editor",
		dir: currentDir(),
		"data-panels-dir": currentDir(),
		"data-testid": "form-editor",
	});
	const result = h("div", { class: "modeler__result", role: "status" });
	const toolbar = h("div", { class: "toolbar" });
	const fileInput = h("input", {
		type: "file",
		accept: ".form,.json",
		class: "visually-hidden",
		id: "form-file",
		tabindex: "-1",
	});
	const editor = new FormEditor({ container: editorHost });
	await editor.importSchema(lastSchema ?? blankForm());
	const stopTranslating = translatePanels([editorHost]);

	function schema(): Record<string, unknown> {
		return editor.saveSchema() as Record<string, unknown>;
	}

	async function doDeploy(button: HTMLButtonElement): Promise<void> {
		button.disabled = true;
		try {
			const current = schema();
			const answer = await deploy([
				{
					name: `${String(current.id ?? "form")}.form`,
					content: JSON.stringify(current, null, 2),
					type: "application/json",
				},
			]);
			replace(
				result,
				h("p", { class: "notice notice--success" }, t("modeler.deployed", { names: "" }), deploymentSummary(answer)),
			);
		} catch (error) {
			if (error instanceof ApiProblem && error.isMissingRoute) replace(result, notAvailable("POST /v2/deployments"));
			else if (error instanceof ApiProblem)
				replace(
					result,
					h(
						"div",
						{ class: "notice notice--error", role: "alert" },
						h("p", {}, t("modeler.rejected")),
						deploymentProblems(error),
					),
				);
			else replace(result, h("p", { class: "notice notice--error", role: "alert" }, describeError(error)));
		} finally {
			button.disabled = false;
		}
	}

	function renderToolbar(): void {
		const deployButton = h("button", { type: "button", class: "btn btn--primary" }, t("forms.deploy"));
		deployButton.addEventListener("click", () => void doDeploy(deployButton));
		replace(
			toolbar,
			h("h1", { class: "page-title" }, t("forms.title")),
			h(
				"button",
				{ type: "button", class: "btn btn--secondary", onclick: () => void editor.importSchema(blankForm()) },
				t("forms.new"),
			),
			h(
				"label",
				{
					for: "form-file",
					class: "btn btn--secondary",
					tabindex: "0",
					onkeydown: (event: Event) => (event as KeyboardEvent).key === "Enter" && fileInput.click(),
				},
				t("modeler.open"),
			),
			fileInput,
			h(
				"button",
				{
					type: "button",
					class: "btn btn--secondary",
					onclick: () =>
						downloadText(
							`${String(schema().id ?? "form")}.form`,
							JSON.stringify(schema(), null, 2),
							"application/json",
						),
				},
				t("modeler.download"),
			),
			deployButton,
		);
	}

	fileInput.addEventListener("change", async () => {
		const file = fileInput.files?.[0];
		fileInput.value = "";
		if (!file) return;
		try {
			await editor.importSchema(JSON.parse(await readFile(file)));
		} catch (error) {
			toast(t("modeler.importFailed", { reason: (error as Error).message }), "error");
		}
	});

	renderToolbar();
	replace(container, toolbar, result, editorHost);
	return {
		// No relocalize: the panels' texts are put in when the editor is created, so a language change mounts a new
		// editor (the schema is kept in lastSchema).
		destroy() {
			stopTranslating();
			lastSchema = schema();
			editor.destroy();
		},
	};
}
