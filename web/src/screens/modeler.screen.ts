import "camunda-bpmn-js/dist/assets/camunda-cloud-modeler.css";
import Modeler from "camunda-bpmn-js/lib/camunda-cloud/Modeler";
import { ApiProblem } from "../api/client";
import {
	type DeploymentProblem,
	type DeploymentResult,
	deploy,
	lintFiles,
	searchDefinitions,
} from "../api/processes.api";
import { currentDir, t } from "../i18n/i18n";
import { bpmnTranslateModule } from "../i18n/panel-translate";
import type { MountedScreen, ScreenContext } from "../main";
import { bdi, h, replace } from "../ui/dom";
import { describeError, notAvailable, toast } from "../ui/feedback";
import { caseProcessNames, caseProcessXml } from "./modeler/case-processes";
import { elementTemplates } from "./modeler/element-templates";
import { deploymentProblems, deploymentSummary, downloadText, readFile } from "./modeler/files";
import { LintMarks } from "./modeler/lint-marks";

/** A new diagram: one executable Zeebe process with a start event. */
export function blankDiagram(id = `Process_${Math.random().toString(36).slice(2, 9)}`): string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="Definitions_${id}" targetNamespace="http://bpmn.io/schema/bpmn" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.8.0">
  <bpmn:process id="${id}" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="${id}">
      <bpmndi:BPMNShape id="StartEvent_1_di" bpmnElement="StartEvent_1">
        <dc:Bounds x="180" y="160" width="36" height="36" />
      </bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>`;
}

// The diagram survives leaving the screen (the analyst may check the monitor and come back).
let lastXml: string | null = null;
let lastName = "diagram.bpmn";

/**
 * The process modeler: camunda-bpmn-js's Zeebe Modeler with its properties panel and our element templates,
 * deploy to `POST /v2/deployments`, and the versions of the process. The canvas and panel are `dir="ltr"`
 * inside the RTL page: bpmn-js positions labels and the properties panel assumes left-to-right layout.
 */
export function mountModeler(container: HTMLElement, _context: ScreenContext): MountedScreen {
	const canvas = h("div", {
		class: "modeler__canvas",
		dir: "ltr",
		role: "application",
		"aria-label": t("modeler.canvasLabel"),
		"data-testid": "bpmn-canvas",
	});
	// The canvas stays left to right (bpmn-js label layout); the properties panel follows the page language.
	const properties = h("div", {
		class: "modeler__properties",
		dir: currentDir(),
		"aria-label": t("modeler.propertiesLabel"),
		"data-testid": "properties-panel",
	});
	const templates = elementTemplates();
	const modeler = new Modeler({
		container: canvas,
		propertiesPanel: { parent: properties },
		elementTemplates: templates,
		additionalModules: [bpmnTranslateModule],
	});
	const lintPanel = h("div", { class: "modeler__lint", "data-testid": "lint" });
	const marks = new LintMarks(modeler, lintPanel);
	let lintTimer: ReturnType<typeof setTimeout> | undefined;
	let lintRun = 0;

	/** Lints the diagram on the server as a deployment would (`POST /v2/deployments/lint`) and marks the elements. */
	async function lint(): Promise<void> {
		const run = ++lintRun;
		try {
			const problems = await lintFiles([{ name: fileName(), content: await currentXml(), type: "application/xml" }]);
			if (run === lintRun) marks.show(problems);
		} catch (error) {
			if (run !== lintRun) return;
			marks.clear();
			replace(
				lintPanel,
				error instanceof ApiProblem && error.isMissingRoute
					? notAvailable("POST /v2/deployments/lint")
					: h("p", { class: "muted" }, describeError(error)),
			);
		}
	}
	function lintSoon(): void {
		clearTimeout(lintTimer);
		lintTimer = setTimeout(() => void lint(), 600);
	}
	function fileName(): string {
		return lastName.endsWith(".bpmn") ? lastName : `${processId() ?? "process"}.bpmn`;
	}
	const result = h("div", { class: "modeler__result", role: "status" });
	const versions = h("div", { class: "modeler__versions" });
	const toolbar = h("div", { class: "toolbar" });
	const fileInput = h("input", {
		type: "file",
		accept: ".bpmn,.xml",
		class: "visually-hidden",
		id: "modeler-file",
		tabindex: "-1",
	});

	async function open(xml: string, name: string): Promise<void> {
		try {
			await modeler.importXML(xml);
			lastName = name;
			lastXml = xml;
			(modeler.get("canvas") as { zoom(level: string): void }).zoom("fit-viewport");
			void showVersions();
			void lint();
		} catch (error) {
			toast(t("modeler.importFailed", { reason: (error as Error).message }), "error");
		}
	}

	function processId(): string | null {
		const root = (
			modeler.get("canvas") as { getRootElement(): { businessObject?: { id?: string; $type?: string } } }
		).getRootElement();
		return root.businessObject?.$type === "bpmn:Process" ? (root.businessObject.id ?? null) : null;
	}

	async function currentXml(): Promise<string> {
		const { xml } = await modeler.saveXML({ format: true });
		return xml ?? "";
	}

	async function doDeploy(button: HTMLButtonElement): Promise<void> {
		button.disabled = true;
		replace(result, t("modeler.deploying"));
		try {
			const xml = await currentXml();
			const answer: DeploymentResult = await deploy([
				{
					name: fileName(),
					content: xml,
					type: "application/xml",
				},
			]);
			replace(
				result,
				h("p", { class: "notice notice--success" }, t("modeler.deployed", { names: "" }), deploymentSummary(answer)),
			);
			void showVersions();
		} catch (error) {
			if (error instanceof ApiProblem && error.isMissingRoute) replace(result, notAvailable("POST /v2/deployments"));
			else if (error instanceof ApiProblem) {
				if (Array.isArray(error.body.problems)) marks.show(error.body.problems as DeploymentProblem[]);
				replace(
					result,
					h(
						"div",
						{ class: "notice notice--error", role: "alert" },
						h("p", {}, t("modeler.rejected")),
						deploymentProblems(error),
					),
				);
			} else replace(result, h("p", { class: "notice notice--error", role: "alert" }, describeError(error)));
		} finally {
			button.disabled = false;
		}
	}

	async function showVersions(): Promise<void> {
		const id = processId();
		if (!id) {
			replace(versions);
			return;
		}
		try {
			const page = await searchDefinitions({ filter: { processDefinitionId: id }, page: { limit: 20 } });
			replace(
				versions,
				h("h2", { class: "panel-subtitle" }, t("modeler.versions")),
				page.items.length === 0
					? h("p", { class: "muted" }, t("monitor.noDefinitions"))
					: h(
							"ul",
							{ class: "plain-list" },
							page.items.map((item) =>
								h(
									"li",
									{},
									bdi(`${item.processDefinitionId} v${item.version}`),
									" ",
									bdi(item.processDefinitionKey, "id muted"),
									" ",
									h(
										"a",
										{
											class: "btn btn--ghost btn--small",
											href: `#/start/${encodeURIComponent(item.processDefinitionId)}/${item.version}`,
											"data-testid": "start-version",
										},
										t("start.action"),
									),
								),
							),
						),
			);
		} catch (error) {
			replace(
				versions,
				error instanceof ApiProblem && error.isMissingRoute
					? notAvailable("POST /v2/process-definitions/search")
					: h("p", { class: "muted" }, describeError(error)),
			);
		}
	}

	/** A select of the case processes of processes/, to open one of them. */
	function caseProcessPicker(): HTMLElement | null {
		const names = caseProcessNames();
		if (names.length === 0) return null;
		const select = h(
			"select",
			{
				id: "case-process",
				class: "select select--compact",
				onchange: async () => {
					const name = select.value;
					if (!name) return;
					await open(await caseProcessXml(name), name);
					select.value = "";
				},
			},
			h("option", { value: "" }, t("modeler.openCaseProcess")),
			names.map((name) => h("option", { value: name, dir: "ltr" }, name)),
		);
		return h(
			"span",
			{ class: "toolbar__picker" },
			h("label", { for: "case-process", class: "visually-hidden" }, t("modeler.openCaseProcess")),
			select,
		);
	}

	function renderToolbar(): void {
		const deployButton = h(
			"button",
			{ type: "button", class: "btn btn--primary", "data-testid": "deploy" },
			t("modeler.deploy"),
		);
		deployButton.addEventListener("click", () => void doDeploy(deployButton));
		replace(
			toolbar,
			h("h1", { class: "page-title" }, t("modeler.title")),
			h(
				"button",
				{ type: "button", class: "btn btn--secondary", onclick: () => void open(blankDiagram(), "diagram.bpmn") },
				t("modeler.new"),
			),
			h(
				"label",
				{
					for: "modeler-file",
					class: "btn btn--secondary",
					tabindex: "0",
					onkeydown: (event: Event) => (event as KeyboardEvent).key === "Enter" && fileInput.click(),
				},
				t("modeler.open"),
			),
			fileInput,
			caseProcessPicker(),
			h(
				"button",
				{
					type: "button",
					class: "btn btn--secondary",
					onclick: async () => downloadText(lastName, await currentXml(), "application/xml"),
				},
				t("modeler.download"),
			),
			deployButton,
			h(
				"span",
				{ class: "muted toolbar__note", "data-templates": templates.length },
				t("modeler.templates", { count: templates.length }),
			),
		);
	}

	fileInput.addEventListener("change", async () => {
		const file = fileInput.files?.[0];
		if (file) await open(await readFile(file), file.name);
		fileInput.value = "";
	});

	(modeler as unknown as { on(event: string, listener: () => void): void }).on("commandStack.changed", () => {
		void currentXml().then((xml) => (lastXml = xml));
		lintSoon();
	});

	renderToolbar();
	replace(container, toolbar, result, lintPanel, h("div", { class: "modeler" }, canvas, properties), versions);
	void open(lastXml ?? blankDiagram(), lastName);

	return {
		// No relocalize: bpmn-js reads its translations when created, so a language change mounts a new modeler
		// (the diagram is kept in lastXml).
		destroy() {
			clearTimeout(lintTimer);
			lintRun++;
			modeler.destroy();
		},
	};
}
