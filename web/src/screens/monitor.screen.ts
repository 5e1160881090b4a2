import { ApiProblem } from "../api/client";
import {
	cancelInstance,
	definitionXml,
	elementStatistics,
	type Incident,
	type ProcessDefinition,
	type ProcessInstance,
	resolveIncident,
	searchDefinitions,
	searchIncidents,
	searchInstances,
} from "../api/processes.api";
import { dateElement } from "../format/dates";
import { formatNumber, t } from "../i18n/i18n";
import type { MountedScreen, ScreenContext } from "../main";
import { bdi, h, replace } from "../ui/dom";
import { describeError, errorBox, loading, notAvailable, toast } from "../ui/feedback";

function unavailableOr(error: unknown, route: string, retry?: () => void): HTMLElement {
	return error instanceof ApiProblem && error.isMissingRoute ? notAvailable(route) : errorBox(error, retry);
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

/**
 * The monitor (admins): process definitions with instance counts, and for one definition the diagram with
 * per-element overlays, its instances and incidents. Each part says "not available yet" while its API route
 * is missing.
 */
export function mountMonitor(
	container: HTMLElement,
	context: ScreenContext,
): MountedScreen & { onRoute(params: string[]): void } {
	const definitionsArea = h("section", { class: "panel", "aria-labelledby": "definitions-title" });
	const detailArea = h("div", { class: "monitor__detail" });
	let viewer: { destroy(): void } | null = null;

	async function loadDefinitions(): Promise<void> {
		replace(
			definitionsArea,
			h("h2", { id: "definitions-title", class: "panel-title" }, t("monitor.definitions")),
			loading(),
		);
		try {
			const page = await searchDefinitions({
				sort: [{ field: "processDefinitionId" }, { field: "version", order: "DESC" }],
				page: { limit: 100 },
			});
			const rows = await Promise.all(
				page.items.map(async (definition: ProcessDefinition) => {
					const key = definition.processDefinitionKey;
					const [active, incidents, completed] = await Promise.all([
						countInstances({ processDefinitionKey: key, state: "ACTIVE" }),
						countInstances({ processDefinitionKey: key, hasIncident: true }),
						countInstances({ processDefinitionKey: key, state: "COMPLETED" }),
					]);
					return h(
						"tr",
						{ "aria-current": context.params[0] === key ? "true" : undefined },
						h(
							"td",
							{},
							h(
								"a",
								{ href: `#/monitor/${encodeURIComponent(key)}` },
								definition.name ?? definition.processDefinitionId,
							),
						),
						h("td", {}, bdi(definition.processDefinitionId)),
						h("td", { class: "num" }, formatNumber(definition.version)),
						count(active),
						count(incidents, incidents ? "num--alert" : ""),
						count(completed),
					);
				}),
			);
			replace(
				definitionsArea,
				h("h2", { id: "definitions-title", class: "panel-title" }, t("monitor.definitions")),
				rows.length === 0
					? h("p", { class: "empty" }, t("monitor.noDefinitions"))
					: h(
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
										[
											t("monitor.col.name"),
											t("monitor.col.id"),
											t("monitor.col.version"),
											t("monitor.col.active"),
											t("monitor.col.incidents"),
											t("monitor.col.completed"),
										].map((label) => h("th", { scope: "col" }, label)),
									),
								),
								h("tbody", {}, rows),
							),
						),
			);
		} catch (error) {
			replace(
				definitionsArea,
				h("h2", { id: "definitions-title", class: "panel-title" }, t("monitor.definitions")),
				unavailableOr(error, "POST /v2/process-definitions/search", () => void loadDefinitions()),
			);
		}
	}

	async function showDiagram(target: HTMLElement, key: string): Promise<void> {
		try {
			const [xml, stats] = await Promise.all([definitionXml(key), elementStatistics(key).catch(() => [])]);
			const { default: Viewer } = await import("camunda-bpmn-js/lib/camunda-cloud/NavigatedViewer");
			await import("camunda-bpmn-js/dist/assets/camunda-cloud-navigated-viewer.css");
			const canvas = h("div", {
				class: "monitor__canvas",
				dir: "ltr",
				role: "img",
				"aria-label": t("monitor.diagram"),
			});
			replace(target, canvas);
			const bpmn = new Viewer({ container: canvas });
			viewer = bpmn;
			await bpmn.importXML(xml);
			(bpmn.get("canvas") as { zoom(level: string): void }).zoom("fit-viewport");
			const overlays = bpmn.get("overlays") as {
				add(id: string, overlay: { position: Record<string, number>; html: HTMLElement }): void;
			};
			for (const item of stats) {
				const badges = [
					item.active ? h("span", { class: "overlay overlay--active" }, formatNumber(item.active)) : null,
					item.incidents ? h("span", { class: "overlay overlay--incident" }, formatNumber(item.incidents)) : null,
					item.completed ? h("span", { class: "overlay overlay--completed" }, formatNumber(item.completed)) : null,
				].filter(Boolean) as HTMLElement[];
				if (badges.length)
					overlays.add(item.elementId, {
						position: { bottom: 10, left: -8 },
						html: h("div", { class: "overlays" }, badges),
					});
			}
		} catch (error) {
			replace(target, unavailableOr(error, "GET /v2/process-definitions/{key}/xml"));
		}
	}

	async function showInstances(target: HTMLElement, key: string): Promise<void> {
		try {
			const page = await searchInstances({
				filter: { processDefinitionKey: key },
				sort: [{ field: "startDate", order: "DESC" }],
				page: { limit: 50 },
			});
			replace(
				target,
				page.items.length === 0
					? h("p", { class: "empty" }, t("monitor.noInstances"))
					: h(
							"table",
							{ class: "table" },
							h(
								"thead",
								{},
								h(
									"tr",
									{},
									[t("monitor.col.key"), t("monitor.col.state"), t("monitor.col.started"), ""].map((label) =>
										h("th", { scope: "col" }, label),
									),
								),
							),
							h(
								"tbody",
								{},
								page.items.map((instance: ProcessInstance) =>
									h(
										"tr",
										{},
										h("td", {}, bdi(instance.processInstanceKey)),
										h("td", {}, bdi(instance.state, `tag ${instance.hasIncident ? "tag--alert" : ""}`)),
										h("td", {}, dateElement(instance.startDate, { withTime: true })),
										h(
											"td",
											{},
											instance.state === "ACTIVE"
												? h(
														"button",
														{
															type: "button",
															class: "btn btn--ghost btn--danger",
															onclick: async () => {
																try {
																	await cancelInstance(instance.processInstanceKey);
																	void showInstances(target, key);
																} catch (error) {
																	toast(describeError(error), "error");
																}
															},
														},
														t("monitor.cancel"),
													)
												: null,
										),
									),
								),
							),
						),
			);
		} catch (error) {
			replace(target, unavailableOr(error, "POST /v2/process-instances/search"));
		}
	}

	async function showIncidents(target: HTMLElement, key: string): Promise<void> {
		try {
			const page = await searchIncidents({
				filter: { processDefinitionKey: key, state: "ACTIVE" },
				page: { limit: 50 },
			});
			replace(
				target,
				page.items.length === 0
					? h("p", { class: "empty" }, t("monitor.noIncidents"))
					: h(
							"ul",
							{ class: "plain-list incidents" },
							page.items.map((incident: Incident) =>
								h(
									"li",
									{ class: "incident" },
									h(
										"div",
										{},
										bdi(incident.errorType, "tag tag--alert"),
										" ",
										bdi(incident.elementId ?? "", "id"),
										" ",
										dateElement(incident.creationTime, { withTime: true }),
									),
									h("p", { dir: "auto", class: "incident__message" }, incident.errorMessage ?? ""),
									h(
										"button",
										{
											type: "button",
											class: "btn btn--secondary",
											onclick: async () => {
												try {
													await resolveIncident(incident.incidentKey);
													toast(t("monitor.resolved"), "success");
													void showIncidents(target, key);
												} catch (error) {
													toast(describeError(error), "error");
												}
											},
										},
										t("monitor.resolve"),
									),
								),
							),
						),
			);
		} catch (error) {
			replace(target, unavailableOr(error, "POST /v2/incidents/search"));
		}
	}

	function showDefinition(key: string | null): void {
		viewer?.destroy();
		viewer = null;
		if (!key) {
			replace(detailArea);
			return;
		}
		const diagram = h("div", {}, loading());
		const instances = h("div", { class: "table-wrap" }, loading());
		const incidents = h("div", {}, loading());
		replace(
			detailArea,
			h(
				"section",
				{ class: "panel", "aria-label": t("monitor.diagram") },
				h("h2", { class: "panel-title" }, t("monitor.diagram"), " ", bdi(key, "id muted")),
				diagram,
			),
			h(
				"div",
				{ class: "monitor__columns" },
				h("section", { class: "panel" }, h("h2", { class: "panel-title" }, t("monitor.instances")), instances),
				h("section", { class: "panel" }, h("h2", { class: "panel-title" }, t("monitor.incidents")), incidents),
			),
		);
		void showDiagram(diagram, key);
		void showInstances(instances, key);
		void showIncidents(incidents, key);
	}

	replace(
		container,
		h("div", { class: "page-head" }, h("h1", { class: "page-title" }, t("monitor.title"))),
		definitionsArea,
		detailArea,
	);
	void loadDefinitions();
	showDefinition(context.params[0] ?? null);

	return {
		destroy() {
			viewer?.destroy();
		},
		onRoute(params) {
			showDefinition(params[0] ?? null);
		},
	};
}
