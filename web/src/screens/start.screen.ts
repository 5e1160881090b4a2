import { ApiProblem } from "../api/client";
import {
	definitionXml,
	type ProcessDefinition,
	type StartedInstance,
	searchDefinitions,
	startInstance,
} from "../api/processes.api";
import { type FormView, renderForm } from "../forms/form-view";
import { currentLocale, formatNumber, t } from "../i18n/i18n";
import type { MountedScreen, ScreenContext } from "../main";
import { bdi, h, replace } from "../ui/dom";
import { describeError, notAvailable } from "../ui/feedback";

// The forms of forms/, by id, for start events linking one (`zeebe:formDefinition formId`); fetched on use.
const bundledForms = import.meta.glob<string>("../../../forms/*.form", { query: "?raw", import: "default" });

const BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL";
const ZEEBE = "http://camunda.org/schema/zeebe/1.0";

/**
 * The start form of a process, if it has one: its none start event's linked form (`zeebe:formDefinition
 * formId`, looked up among the forms of forms/) or embedded one (`zeebe:formDefinition formKey` /
 * `zeebe:userTaskForm` of the process).
 */
export async function startFormOf(xml: string, processId: string): Promise<Record<string, unknown> | null> {
	const doc = new DOMParser().parseFromString(xml, "application/xml");
	const process = [...doc.getElementsByTagNameNS(BPMN, "process")].find(
		(node) => node.getAttribute("id") === processId,
	);
	if (!process) return null;
	const start = [...process.children].find(
		(node) =>
			node.localName === "startEvent" &&
			node.namespaceURI === BPMN &&
			![...node.children].some((child) => child.localName.endsWith("EventDefinition")),
	);
	const definition = start?.getElementsByTagNameNS(ZEEBE, "formDefinition")[0];
	if (!definition) return null;
	const formId = definition.getAttribute("formId");
	if (formId) {
		const entry = Object.entries(bundledForms).find(([path]) => path.endsWith(`/${formId}.form`));
		return entry ? (JSON.parse(await entry[1]()) as Record<string, unknown>) : null;
	}
	const formKey = definition.getAttribute("formKey") ?? "";
	const embeddedId = formKey.replace(/^camunda-forms:bpmn:/, "");
	const embedded = [...process.getElementsByTagNameNS(ZEEBE, "userTaskForm")].find(
		(node) => node.getAttribute("id") === embeddedId,
	);
	return embedded?.textContent ? (JSON.parse(embedded.textContent) as Record<string, unknown>) : null;
}

/**
 * Starts a process instance (`POST /v2/process-instances`): the process and version, the case number (kept as
 * the `caseNumber` variable, the instance's business key), the start form when the process has one, and
 * further variables as JSON. Route: `#/start/<processDefinitionId>/<version>` (both optional).
 */
export function mountStart(container: HTMLElement, context: ScreenContext): MountedScreen {
	let definitions: ProcessDefinition[] = [];
	let formView: FormView | null = null;
	let typed: Record<string, unknown> = {};
	const [wantedId, wantedVersion] = context.params;
	const formHost = h("div", { class: "start__form", "data-testid": "start-form" });
	const result = h("div", { class: "start__result", role: "status" });
	const processSelect = h("select", { id: "start-process", class: "select", required: true });
	const versionSelect = h("select", { id: "start-version", class: "select" });
	const caseNumber = h("input", {
		id: "start-case-number",
		class: "input",
		dir: "ltr",
		autocomplete: "off",
		"aria-describedby": "start-case-number-hint",
	});
	const variables = h("textarea", {
		id: "start-variables",
		class: "input input--code",
		dir: "ltr",
		rows: 4,
		"aria-describedby": "start-variables-hint",
	});
	const submit = h("button", { type: "submit", class: "btn btn--primary", "data-testid": "start-submit" });

	function chosen(): ProcessDefinition | undefined {
		const version = versionSelect.value ? Number(versionSelect.value) : undefined;
		const ofId = definitions.filter((item) => item.processDefinitionId === processSelect.value);
		return version === undefined
			? ofId.reduce<ProcessDefinition | undefined>(
					(latest, item) => (!latest || item.version > latest.version ? item : latest),
					undefined,
				)
			: ofId.find((item) => item.version === version);
	}

	async function showStartForm(): Promise<void> {
		formView?.destroy();
		formView = null;
		replace(formHost);
		const definition = chosen();
		if (!definition) return;
		try {
			const schema = await startFormOf(
				await definitionXml(definition.processDefinitionKey),
				definition.processDefinitionId,
			);
			if (!schema || chosen() !== definition) return;
			const host = h("div", { class: "start__form-body" });
			replace(formHost, h("h2", { class: "panel-subtitle" }, t("start.form")), host);
			formView = await renderForm(host, schema, typed, currentLocale());
		} catch (error) {
			replace(formHost, h("p", { class: "muted" }, describeError(error)));
		}
	}

	function fillVersions(): void {
		const ofId = definitions
			.filter((item) => item.processDefinitionId === processSelect.value)
			.sort((a, b) => b.version - a.version);
		replace(
			versionSelect,
			h("option", { value: "" }, t("start.latest")),
			ofId.map((item) => h("option", { value: item.version }, formatNumber(item.version))),
		);
		if (
			wantedVersion &&
			processSelect.value === wantedId &&
			ofId.some((item) => String(item.version) === wantedVersion)
		)
			versionSelect.value = wantedVersion;
	}

	async function doStart(event: Event): Promise<void> {
		event.preventDefault();
		const definition = chosen();
		if (!definition) return;
		replace(result);
		let extra: Record<string, unknown> = {};
		const text = variables.value.trim();
		if (text) {
			try {
				const parsed = JSON.parse(text) as unknown;
				if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("{…}");
				extra = parsed as Record<string, unknown>;
				variables.removeAttribute("aria-invalid");
			} catch (error) {
				variables.setAttribute("aria-invalid", "true");
				replace(
					result,
					h(
						"p",
						{ class: "notice notice--error", role: "alert" },
						t("start.invalidJson", { reason: (error as Error).message }),
					),
				);
				return;
			}
		}
		const formData = formView ? formView.submit() : {};
		if (formData === null) return; // the form shows its own field errors
		submit.disabled = true;
		try {
			const started: StartedInstance = await startInstance({
				processDefinitionId: definition.processDefinitionId,
				...(versionSelect.value ? { version: Number(versionSelect.value) } : {}),
				...(caseNumber.value.trim() ? { caseNumber: caseNumber.value.trim() } : {}),
				variables: { ...extra, ...formData },
			});
			const monitor = context.principal.roles.includes("admin")
				? h(
						"a",
						{
							class: "btn btn--secondary btn--small",
							href: `#/monitor/${started.processDefinitionKey}/${started.processInstanceKey}`,
						},
						t("start.openInMonitor"),
					)
				: null;
			replace(
				result,
				h(
					"p",
					{ class: "notice notice--success", "data-instance-key": started.processInstanceKey },
					t("start.started"),
					" ",
					bdi(`${started.processDefinitionId} v${started.processDefinitionVersion}`, "tag"),
					" ",
					t("start.instance"),
					" ",
					bdi(started.processInstanceKey, "id"),
					" ",
					monitor,
				),
			);
		} catch (error) {
			replace(
				result,
				error instanceof ApiProblem && error.isMissingRoute
					? notAvailable("POST /v2/process-instances")
					: h("p", { class: "notice notice--error", role: "alert" }, describeError(error)),
			);
		} finally {
			submit.disabled = false;
		}
	}

	const form = h("form", { class: "start card", novalidate: true });
	form.addEventListener("submit", (event) => void doStart(event));
	processSelect.addEventListener("change", () => {
		typed = {};
		fillVersions();
		void showStartForm();
	});
	versionSelect.addEventListener("change", () => {
		typed = formView?.data() ?? {};
		void showStartForm();
	});

	function render(): void {
		submit.textContent = t("start.submit");
		replace(
			form,
			h(
				"div",
				{ class: "start__fields" },
				h(
					"div",
					{ class: "field" },
					h("label", { for: "start-process", class: "field__label" }, t("start.process")),
					processSelect,
				),
				h(
					"div",
					{ class: "field" },
					h("label", { for: "start-version", class: "field__label" }, t("start.version")),
					versionSelect,
				),
				h(
					"div",
					{ class: "field" },
					h("label", { for: "start-case-number", class: "field__label" }, t("start.caseNumber")),
					caseNumber,
					h("p", { id: "start-case-number-hint", class: "field__hint muted" }, t("start.caseNumberHint")),
				),
			),
			formHost,
			h(
				"div",
				{ class: "field" },
				h("label", { for: "start-variables", class: "field__label" }, t("start.variables")),
				variables,
				h("p", { id: "start-variables-hint", class: "field__hint muted" }, t("start.variablesHint")),
			),
			h("div", { class: "form-actions" }, submit),
		);
	}

	async function load(): Promise<void> {
		try {
			const page = await searchDefinitions({ page: { limit: 200 } });
			definitions = page.items;
			const ids = [...new Set(definitions.map((item) => item.processDefinitionId))].sort();
			if (ids.length === 0) {
				replace(result, h("p", { class: "muted" }, t("start.noDefinitions")));
				return;
			}
			replace(
				processSelect,
				ids.map((id) => {
					const named = definitions.find((item) => item.processDefinitionId === id && item.name);
					return h("option", { value: id }, named?.name ? `${named.name} (${id})` : id);
				}),
			);
			if (wantedId && ids.includes(wantedId)) processSelect.value = wantedId;
			fillVersions();
			await showStartForm();
		} catch (error) {
			replace(
				result,
				error instanceof ApiProblem && error.isMissingRoute
					? notAvailable("POST /v2/process-definitions/search")
					: h("p", { class: "notice notice--error", role: "alert" }, describeError(error)),
			);
		}
	}

	render();
	replace(container, h("h1", { class: "page-title" }, t("start.title")), form, result);
	void load();

	return {
		destroy() {
			formView?.destroy();
		},
	};
}
