import { ApiProblem } from "../api/client";
import {
	cancelInstance,
	definitionXml,
	elementStatistics,
	getInstance,
	type Incident,
	type ProcessDefinition,
	type ProcessInstance,
	type ProcessInstanceDetail,
	resolveIncident,
	searchDefinitions,
	setVariables,
	searchIncidents,
	searchInstances,
} from "../api/processes.api";
import { dateElement } from "../format/dates";
import { formatNumber, type MessageKey, t } from "../i18n/i18n";
import type { MountedScreen, ScreenContext } from "../main";
import { bdi, h, replace } from "../ui/dom";
import { describeError, errorBox, loading, notAvailable, toast } from "../ui/feedback";
import { custodyBoard } from "./monitor/custody-board";
import { instanceSearch } from "./monitor/instance-search";

/** Retries given to a job incident's job when it is resolved from the monitor. */
const defaultRetries = 3;

function unavailableOr(error: unknown, route: string, retry?: () => void): HTMLElement {
	return error instanceof ApiProblem && (error.isMissingRoute || error.status === 501)
		? notAvailable(route)
		: errorBox(error, retry);
}

async function countInstances(filter: Record<string, unknown>): Promise<number | null> {
	try {
		return (await searchInstances({ filter, page: { limit: 1 } })).page.totalItems;
	} catch {
		return null;
	}
}

function count(value: number | null, className = ""): HTMLElement {
	return h("td", { class: `num ${className}` }, value === null ? t("app.none") : formatNumber(value));
}

function stateTag(state: string, alert = false): HTMLElement {
	const key = `monitor.state.${state}` as MessageKey;
	const label = t(key) === key ? state : t(key);
	return h("span", { class: `tag ${alert ? "tag--alert" : ""}` }, label);
}

function table(headers: string[], rows: HTMLElement[]): HTMLElement {
	return h(
		"div",
		{ class: "table-wrap" },
		h(
			"table",
			{ class: "table" },
			h(
				"thead",
				{},
				h(
					"tr",
					{},
					headers.map((label) => h("th", { scope: "col" }, label)),
				),
			),
			h("tbody", {}, rows),
		),
	);
}

interface DiagramViewer {
	destroy(): void;
	get(name: string): unknown;
}

/**
 * The monitor (admins): the latest version of each process with instance counts; for one definition the diagram
 * with per-element overlays, its instances and incidents; for one instance its token positions on the diagram,
 * variables and incidents (resolve with retries, cancel). Parts whose API route is missing say so.
 */
export function mountMonitor(
	container: HTMLElement,
	context: ScreenContext,
): MountedScreen & { onRoute(params: string[]): void } {
	const definitionsArea = h("section", { class: "panel", "aria-labelledby": "definitions-title" });
	const detailArea = h("div", { class: "monitor__detail" });
	let viewer: DiagramViewer | null = null;
	let selected: string | null = null;

	async function loadDefinitions(): Promise<void> {
		const title = h("h2", { id: "definitions-title", class: "panel-title" }, t("monitor.definitions"));
		replace(definitionsArea, title, loading());
		try {
			const page = await searchDefinitions({ filter: { latestOnly: true }, page: { limit: 200 } });
			const rows = await Promise.all(
				page.items.map(async (definition: ProcessDefinition) => {
					const id = definition.processDefinitionId;
					const [active, incidents, completed] = await Promise.all([
						countInstances({ processDefinitionId: id, state: "ACTIVE" }),
						countInstances({ processDefinitionId: id, state: "ACTIVE", hasIncident: true }),
						countInstances({ processDefinitionId: id, state: "COMPLETED" }),
					]);
					return h(
						"tr",
						{ "aria-current": selected === definition.processDefinitionKey ? "true" : undefined },
						h(
							"td",
							{},
							h(
								"a",
								{ href: `#/monitor/${encodeURIComponent(definition.processDefinitionKey)}` },
								bdi(definition.name ?? id),
							),
						),
						h("td", { class: "num" }, formatNumber(definition.version)),
						h("td", {}, dateElement(definition.deployedAt)),
						count(active),
						count(incidents, incidents ? "num--alert" : ""),
						count(completed),
					);
				}),
			);
			replace(
				definitionsArea,
				title,
				rows.length === 0
					? h("p", { class: "empty" }, t("monitor.noDefinitions"))
					: table(
							[
								t("monitor.col.id"),
								t("monitor.col.version"),
								t("monitor.col.deployed"),
								t("monitor.col.active"),
								t("monitor.col.incidents"),
								t("monitor.col.completed"),
							],
							rows,
						),
			);
		} catch (error) {
			replace(
				definitionsArea,
				title,
				unavailableOr(error, "POST /v2/process-definitions/search", () => void loadDefinitions()),
			);
		}
	}

	async function showDiagram(target: HTMLElement, key: string, instance: ProcessInstanceDetail | null): Promise<void> {
		try {
			const [xml, stats] = await Promise.all([
				definitionXml(key),
				instance ? Promise.resolve([]) : elementStatistics(key).catch(() => []),
			]);
			const { default: Viewer } = await import("camunda-bpmn-js/lib/camunda-cloud/NavigatedViewer");
			await import("camunda-bpmn-js/dist/assets/camunda-cloud-navigated-viewer.css");
			const canvasHost = h("div", {
				class: "monitor__canvas",
				dir: "ltr",
				role: "img",
				"aria-label": t("monitor.diagram"),
				"data-testid": "monitor-diagram",
			});
			// The heatmap shades each element by how many tokens went through it (active + completed).
			const heatToggle = stats.length
				? h(
						"label",
						{ class: "heat-toggle" },
						h("input", {
							type: "checkbox",
							"data-testid": "heatmap",
							onchange: (event: Event) =>
								canvasHost.classList.toggle("heat-on", (event.target as HTMLInputElement).checked),
						}),
						t("monitor.heatmap"),
					)
				: null;
			replace(target, heatToggle, canvasHost);
			viewer?.destroy();
			const bpmn = new Viewer({ container: canvasHost }) as unknown as DiagramViewer & {
				importXML(xml: string): Promise<unknown>;
			};
			viewer = bpmn;
			await bpmn.importXML(xml);
			const canvas = bpmn.get("canvas") as { zoom(level: string): void; addMarker(id: string, marker: string): void };
			canvas.zoom("fit-viewport");
			const overlays = bpmn.get("overlays") as {
				add(id: string, overlay: { position: Record<string, number>; html: HTMLElement }): void;
			};
			const add = (elementId: string, badges: (HTMLElement | null)[]) => {
				const shown = badges.filter(Boolean) as HTMLElement[];
				if (shown.length === 0) return;
				try {
					overlays.add(elementId, { position: { bottom: 10, left: -8 }, html: h("div", { class: "overlays" }, shown) });
				} catch {
					// An element of another version of the diagram: nothing to draw it on.
				}
			};
			const busiest = Math.max(1, ...stats.map((item) => item.active + item.completed));
			for (const item of stats) {
				const heat = Math.ceil(((item.active + item.completed) / busiest) * 4);
				if (heat > 0) {
					try {
						canvas.addMarker(item.elementId, `heat-${heat}`);
					} catch {
						// an element of another version
					}
				}
				add(item.elementId, [
					item.active ? h("span", { class: "overlay overlay--active" }, formatNumber(item.active)) : null,
					item.incidents ? h("span", { class: "overlay overlay--incident" }, formatNumber(item.incidents)) : null,
					item.completed ? h("span", { class: "overlay overlay--completed" }, formatNumber(item.completed)) : null,
				]);
			}
			if (instance) {
				// Token positions: the element instances still active, and those with an incident.
				const incidentElements = new Set(
					instance.incidents.filter((incident) => incident.state !== "RESOLVED").map((incident) => incident.elementId),
				);
				for (const element of instance.elementInstances) {
					if (element.state !== "ACTIVE" || element.type === "PROCESS") continue;
					try {
						canvas.addMarker(
							element.elementId,
							incidentElements.has(element.elementId) ? "mizan-incident" : "mizan-token",
						);
					} catch {
						// see above
					}
				}
			}
		} catch (error) {
			replace(target, unavailableOr(error, "GET /v2/process-definitions/{key}/xml"));
		}
	}

	function cancelButton(instanceKey: string, after: () => void): HTMLElement {
		return h(
			"button",
			{
				type: "button",
				class: "btn btn--ghost btn--danger",
				onclick: async () => {
					try {
						await cancelInstance(instanceKey);
						toast(t("monitor.canceled"), "success");
						after();
					} catch (error) {
						toast(describeError(error), "error");
					}
				},
			},
			t("monitor.cancel"),
		);
	}

	async function showInstances(target: HTMLElement, key: string): Promise<void> {
		try {
			const page = await searchInstances({ filter: { processDefinitionKey: key }, page: { limit: 50 } });
			replace(
				target,
				page.items.length === 0
					? h("p", { class: "empty" }, t("monitor.noInstances"))
					: table(
							[t("monitor.col.key"), t("monitor.col.state"), t("monitor.col.started"), ""],
							page.items.map((instance: ProcessInstance) =>
								h(
									"tr",
									{},
									h(
										"td",
										{},
										h(
											"a",
											{
												href: `#/monitor/${encodeURIComponent(key)}/${encodeURIComponent(instance.processInstanceKey)}`,
											},
											bdi(instance.processInstanceKey),
										),
									),
									h("td", {}, stateTag(instance.state, instance.hasIncident)),
									h("td", {}, dateElement(instance.startDate, { withTime: true })),
									h(
										"td",
										{},
										instance.state === "ACTIVE"
											? cancelButton(instance.processInstanceKey, () => void showInstances(target, key))
											: null,
									),
								),
							),
						),
			);
		} catch (error) {
			replace(target, unavailableOr(error, "POST /v2/process-instances/search"));
		}
	}

	function incidentList(incidents: Incident[], refresh: () => void): HTMLElement {
		if (incidents.length === 0) return h("p", { class: "empty" }, t("monitor.noIncidents"));
		return h(
			"ul",
			{ class: "plain-list incidents" },
			incidents.map((incident) =>
				h(
					"li",
					{ class: "incident" },
					h(
						"div",
						{ class: "incident__head" },
						bdi(incident.errorType, "tag tag--alert"),
						bdi(incident.elementId ?? "", "id"),
						dateElement(incident.creationTime, { withTime: true }),
					),
					h("p", { dir: "auto", class: "incident__message" }, incident.errorMessage ?? ""),
					incident.state === "RESOLVED"
						? null
						: h(
								"button",
								{
									type: "button",
									class: "btn btn--secondary",
									onclick: async () => {
										try {
											await resolveIncident(incident.incidentKey, incident.jobKey ? defaultRetries : undefined);
											toast(t("monitor.resolved"), "success");
											refresh();
										} catch (error) {
											toast(describeError(error), "error");
										}
									},
								},
								incident.jobKey ? t("monitor.retry", { retries: defaultRetries }) : t("monitor.resolve"),
							),
				),
			),
		);
	}

	async function showIncidents(target: HTMLElement, key: string): Promise<void> {
		try {
			const page = await searchIncidents({
				filter: { processDefinitionKey: key, state: "ACTIVE" },
				page: { limit: 50 },
			});
			replace(
				target,
				incidentList(page.items, () => void showIncidents(target, key)),
			);
		} catch (error) {
			replace(target, unavailableOr(error, "POST /v2/incidents/search"));
		}
	}

	async function showInstance(
		diagram: HTMLElement,
		target: HTMLElement,
		definitionKey: string,
		instanceKey: string,
	): Promise<void> {
		try {
			const instance = await getInstance(instanceKey);
			const refresh = () => void showInstance(diagram, target, definitionKey, instanceKey);
			void showDiagram(diagram, definitionKey, instance);
			replace(
				target,
				h(
					"section",
					{ class: "panel", "aria-labelledby": "instance-title" },
					h(
						"div",
						{ class: "page-head" },
						h("h2", { id: "instance-title", class: "panel-title" }, t("monitor.instance"), " ", bdi(instanceKey)),
						stateTag(instance.state, instance.hasIncident),
						instance.state === "ACTIVE" ? cancelButton(instanceKey, refresh) : null,
					),
					h(
						"dl",
						{ class: "facts" },
						h("dt", {}, t("monitor.col.started")),
						h("dd", {}, dateElement(instance.startDate, { withTime: true })),
						h("dt", {}, t("monitor.col.ended")),
						h("dd", {}, dateElement(instance.endDate, { withTime: true })),
					),
					h(
						"div",
						{ class: "monitor__columns" },
						h(
							"div",
							{},
							h("h3", { class: "panel-subtitle" }, t("monitor.variables")),
							variablesTable(instance, refresh),
						),
						h(
							"div",
							{},
							h("h3", { class: "panel-subtitle" }, t("monitor.incidents")),
							incidentList(instance.incidents, refresh),
						),
					),
				),
			);
		} catch (error) {
			replace(target, unavailableOr(error, "GET /v2/process-instances/{key}"));
		}
	}

	/** The instance's variables, each editable as JSON when the instance is active. */
	function variablesTable(instance: ProcessInstanceDetail, refresh: () => void): HTMLElement {
		if (instance.variables.length === 0) return h("p", { class: "empty" }, t("monitor.noVariables"));
		const editable = instance.state === "ACTIVE";
		return table(
			[t("monitor.col.variable"), t("monitor.col.value")],
			instance.variables.map((variable) => {
				const cell = h("td", {}, h("code", { dir: "ltr", class: "value" }, variable.value));
				if (editable && (!variable.scopeKey || variable.scopeKey === instance.processInstanceKey)) {
					const edit = h(
						"button",
						{ type: "button", class: "btn btn--ghost btn--small", "data-variable": variable.name },
						t("monitor.edit"),
					);
					edit.addEventListener("click", () => {
						const input = h("textarea", { class: "input value", dir: "ltr", rows: 2, "aria-label": variable.name });
						input.value = variable.value;
						const error = h("p", { class: "field-error", role: "alert" });
						const save = h("button", { type: "button", class: "btn btn--primary btn--small" }, t("app.save"));
						save.addEventListener("click", async () => {
							let value: unknown;
							try {
								value = JSON.parse(input.value);
							} catch {
								error.textContent = t("monitor.invalidJson");
								return;
							}
							try {
								await setVariables(instance.processInstanceKey, { [variable.name]: value });
								toast(t("monitor.variableSaved", { name: variable.name }), "success");
								refresh();
							} catch (failure) {
								error.textContent = describeError(failure);
							}
						});
						replace(cell, input, error, save);
						input.focus();
					});
					cell.append(" ", edit);
				}
				return h("tr", {}, h("td", {}, bdi(variable.name)), cell);
			}),
		);
	}

	function show(params: string[]): void {
		const [key = null, instanceKey = null] = params;
		viewer?.destroy();
		viewer = null;
		selected = key;
		if (!key) {
			replace(detailArea);
			return;
		}
		const diagram = h("div", {}, loading());
		replace(
			detailArea,
			h(
				"section",
				{ class: "panel", "aria-label": t("monitor.diagram") },
				h("h2", { class: "panel-title" }, t("monitor.diagram"), " ", bdi(key, "id muted")),
				diagram,
			),
		);
		if (instanceKey) {
			const instanceArea = h("div", {}, loading());
			detailArea.append(instanceArea);
			void showInstance(diagram, instanceArea, key, instanceKey);
			return;
		}
		const instances = h("div", {}, loading());
		const incidents = h("div", {}, loading());
		detailArea.append(
			h(
				"div",
				{ class: "monitor__columns" },
				h("section", { class: "panel" }, h("h2", { class: "panel-title" }, t("monitor.instances")), instances),
				h("section", { class: "panel" }, h("h2", { class: "panel-title" }, t("monitor.incidents")), incidents),
			),
		);
		void showDiagram(diagram, key, null);
		void showInstances(instances, key);
		void showIncidents(incidents, key);
	}

	replace(
		container,
		h("div", { class: "page-head" }, h("h1", { class: "page-title" }, t("monitor.title"))),
		custodyBoard(),
		definitionsArea,
		detailArea,
		instanceSearch(),
	);
	selected = context.params[0] ?? null;
	void loadDefinitions();
	show(context.params);

	return {
		destroy() {
			viewer?.destroy();
		},
		onRoute(params) {
			show(params);
		},
	};
}
