import { ApiProblem } from "../../api/client";
import {
	type BatchItem,
	batchCancel,
	batchResolve,
	exportInstancesCsv,
	type InstanceFilter,
	searchInstances,
} from "../../api/processes.api";
import { dateElement, formatHijri } from "../../format/dates";
import { formatNumber, type MessageKey, t } from "../../i18n/i18n";
import { bdi, h, replace } from "../../ui/dom";
import { describeError, errorBox, loading, notAvailable } from "../../ui/feedback";
import { parseVariableFilters } from "../../ui/variable-filters";
import { downloadText } from "../modeler/files";
import { checkVariableFilters } from "../tasks/variable-filter-field";

const batchRetries = 3;

/** The instance filter of the search form's values. Dates are whole Riyadh days. */
export function instanceFilterOf(values: {
	processDefinitionId: string;
	state: string;
	caseNumber: string;
	hasIncident: boolean;
	startedFrom: string;
	startedTo: string;
	/** `name=value; …` (see parseVariableFilters). */
	variables?: string;
}): InstanceFilter {
	const filter: InstanceFilter = {};
	if (values.processDefinitionId.trim()) filter.processDefinitionId = values.processDefinitionId.trim();
	if (values.state) filter.state = values.state as InstanceFilter["state"];
	if (values.caseNumber.trim()) filter.caseNumber = values.caseNumber.trim();
	if (values.hasIncident) filter.hasIncident = true;
	const variables = parseVariableFilters(values.variables ?? "");
	if (variables.length > 0) filter.variables = variables;
	if (values.startedFrom || values.startedTo) {
		filter.startDate = {
			...(values.startedFrom ? { from: new Date(`${values.startedFrom}T00:00:00+03:00`).toISOString() } : {}),
			...(values.startedTo ? { to: new Date(`${values.startedTo}T23:59:59+03:00`).toISOString() } : {}),
		};
	}
	return filter;
}

function batchResults(items: BatchItem[]): HTMLElement {
	const failed = items.filter((item) => item.status === "FAILED");
	return h(
		"div",
		{
			class: `notice ${failed.length ? "notice--error" : "notice--success"}`,
			role: "status",
			"data-testid": "batch-results",
		},
		h("p", {}, t("monitor.batchDone", { done: items.length - failed.length, failed: failed.length })),
		failed.length
			? h(
					"ul",
					{ class: "problems" },
					failed.map((item) =>
						h(
							"li",
							{},
							bdi(item.processInstanceKey ?? item.incidentKey ?? ""),
							" ",
							h("span", { dir: "auto" }, item.detail ?? ""),
						),
					),
				)
			: null,
	);
}

/**
 * Instance search across processes (process, state, case number, incident, start dates), CSV export of the
 * matches, and batch operations with one result per instance: cancel every active match, retry every incident
 * of a process.
 */
export function instanceSearch(): HTMLElement {
	const field = (id: string, label: string, input: HTMLElement) =>
		h("div", { class: "field field--inline" }, h("label", { for: id, class: "field__label" }, label), input);
	const definition = h("input", { id: "search-process", class: "input", dir: "ltr", autocomplete: "off" });
	const state = h(
		"select",
		{ id: "search-state", class: "select" },
		h("option", { value: "" }, t("monitor.anyState")),
		(["ACTIVE", "COMPLETED", "TERMINATED"] as const).map((value) =>
			h("option", { value }, t(`monitor.state.${value}` as MessageKey)),
		),
	);
	const caseNumber = h("input", { id: "search-case", class: "input", dir: "ltr", autocomplete: "off" });
	const hasIncident = h("input", { id: "search-incident", type: "checkbox" });
	const variables = h("input", {
		id: "search-variables",
		class: "input",
		dir: "ltr",
		autocomplete: "off",
		placeholder: "offenceType=THEFT; level=2",
		title: t("filter.variablesHint"),
	});
	checkVariableFilters(variables);
	const startedFrom = h("input", { id: "search-from", class: "input", type: "date" });
	const startedTo = h("input", { id: "search-to", class: "input", type: "date" });
	const echo = h("output", { class: "filter-echo", for: "search-from search-to" });
	const showEcho = () => {
		const parts = [startedFrom.value, startedTo.value].map((value) =>
			value ? formatHijri(`${value}T12:00:00+03:00`) : "…",
		);
		echo.textContent = startedFrom.value || startedTo.value ? parts.join(" — ") : "";
	};
	startedFrom.addEventListener("input", showEcho);
	startedTo.addEventListener("input", showEcho);
	const results = h("div", { class: "table-wrap" });
	const outcome = h("div", {});

	const current = () =>
		instanceFilterOf({
			processDefinitionId: definition.value,
			state: state.value,
			caseNumber: caseNumber.value,
			hasIncident: hasIncident.checked,
			startedFrom: startedFrom.value,
			startedTo: startedTo.value,
			variables: variables.value,
		});

	/** Runs the search; `keepOutcome` leaves a batch's results on screen. */
	async function run(keepOutcome = false): Promise<void> {
		replace(results, loading());
		if (!keepOutcome) replace(outcome);
		try {
			const page = await searchInstances({ filter: current(), page: { limit: 100 } });
			replace(
				results,
				h("p", { class: "task-list__count" }, t("monitor.found", { count: page.page.totalItems })),
				page.items.length === 0
					? h("p", { class: "empty" }, t("monitor.noInstances"))
					: h(
							"table",
							{ class: "table", "data-testid": "instance-results" },
							h(
								"thead",
								{},
								h(
									"tr",
									{},
									[t("monitor.col.key"), t("monitor.col.id"), t("monitor.col.state"), t("monitor.col.started")].map(
										(label) => h("th", { scope: "col" }, label),
									),
								),
							),
							h(
								"tbody",
								{},
								page.items.map((instance) =>
									h(
										"tr",
										{},
										h(
											"td",
											{},
											h(
												"a",
												{
													href: `#/monitor/${encodeURIComponent(instance.processDefinitionKey ?? "")}/${encodeURIComponent(instance.processInstanceKey)}`,
												},
												bdi(instance.processInstanceKey),
											),
										),
										h(
											"td",
											{},
											bdi(
												`${instance.processDefinitionId ?? ""} v${formatNumber(instance.processDefinitionVersion ?? 0)}`,
											),
										),
										h(
											"td",
											{},
											h(
												"span",
												{ class: `tag ${instance.hasIncident ? "tag--alert" : ""}` },
												t(`monitor.state.${instance.state}` as MessageKey),
											),
										),
										h("td", {}, dateElement(instance.startDate, { withTime: true })),
									),
								),
							),
						),
			);
		} catch (error) {
			replace(
				results,
				error instanceof ApiProblem && (error.isMissingRoute || error.status === 501)
					? notAvailable("POST /v2/process-instances/search")
					: errorBox(error, () => void run()),
			);
		}
	}

	async function guarded(action: () => Promise<void>): Promise<void> {
		try {
			await action();
		} catch (error) {
			replace(outcome, h("p", { class: "notice notice--error", role: "alert" }, describeError(error)));
		}
	}

	const exportButton = h(
		"button",
		{ type: "button", class: "btn btn--secondary", "data-testid": "export-csv" },
		t("monitor.exportCsv"),
	);
	exportButton.addEventListener("click", () =>
		guarded(async () => downloadText("process-instances.csv", await exportInstancesCsv(current()), "text/csv")),
	);

	// Batch cancel asks for a second click that names what it will do.
	const cancelAll = h(
		"button",
		{ type: "button", class: "btn btn--ghost btn--danger", "data-testid": "batch-cancel" },
		t("monitor.batchCancel"),
	);
	let armed = false;
	cancelAll.addEventListener("click", () =>
		guarded(async () => {
			if (!armed) {
				armed = true;
				cancelAll.textContent = t("monitor.batchCancelConfirm");
				return;
			}
			armed = false;
			cancelAll.textContent = t("monitor.batchCancel");
			replace(outcome, batchResults(await batchCancel({ ...current(), state: "ACTIVE" })));
			await run(true);
		}),
	);
	const retryAll = h(
		"button",
		{ type: "button", class: "btn btn--ghost", "data-testid": "batch-retry" },
		t("monitor.batchRetry", { retries: batchRetries }),
	);
	retryAll.addEventListener("click", () =>
		guarded(async () => {
			if (!definition.value.trim()) {
				replace(outcome, h("p", { class: "notice notice--error", role: "alert" }, t("monitor.batchRetryNeedsProcess")));
				definition.focus();
				return;
			}
			replace(outcome, batchResults(await batchResolve(definition.value.trim(), batchRetries)));
			await run(true);
		}),
	);

	return h(
		"section",
		{ class: "panel", "aria-labelledby": "instance-search-title" },
		h("h2", { id: "instance-search-title", class: "panel-title" }, t("monitor.search")),
		h(
			"form",
			{
				class: "filters",
				onsubmit: (event: Event) => {
					event.preventDefault();
					void run();
				},
			},
			field("search-process", t("monitor.col.id"), definition),
			field("search-state", t("monitor.col.state"), state),
			field("search-case", t("tasks.filter.caseNumber"), caseNumber),
			field("search-from", t("monitor.startedFrom"), startedFrom),
			field("search-to", t("monitor.startedTo"), startedTo),
			field("search-variables", t("filter.variables"), variables),
			h(
				"div",
				{ class: "field field--inline field--check" },
				hasIncident,
				h("label", { for: "search-incident" }, t("monitor.hasIncident")),
			),
			h(
				"div",
				{ class: "filters__actions" },
				h("button", { type: "submit", class: "btn btn--primary" }, t("monitor.searchButton")),
			),
			echo,
		),
		h("div", { class: "toolbar" }, exportButton, retryAll, cancelAll),
		outcome,
		results,
	);
}
