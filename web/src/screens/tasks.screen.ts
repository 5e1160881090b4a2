import { ApiProblem, type SearchRequest } from "../api/client";
import { hijriPicker } from "../forms/hijri-picker";
import { type EventStreamState, subscribeEvents } from "../api/events";
import { getTask, searchTasks, type UserTask } from "../api/tasks.api";
import { dateElement, formatHijri } from "../format/dates";
import { t } from "../i18n/i18n";
import type { MountedScreen, ScreenContext } from "../main";
import { bdi, h, replace } from "../ui/dom";
import { errorBox, loading, notAvailable } from "../ui/feedback";
import type { SavedFilter } from "../api/saved-filters.api";
import { savedFilterBar } from "./tasks/saved-filters";
import { parseVariableFilters } from "../ui/variable-filters";
import { checkVariableFilters } from "./tasks/variable-filter-field";
import { deadlineBadge, deadlineState } from "./tasks/task-badges";
import { taskDetail } from "./tasks/task-detail";

type View = "mine" | "groups" | "all";

interface Filters {
	process: string;
	caseNumber: string;
	dueBefore: string;
	priority: string;
	/** `name=value; …` (see parseVariableFilters). */
	variables: string;
}

const pollSeconds = 30;
const pageSize = 50;

// Kept across re-mounts (language switch, returning from another screen) so the officer's view stays put.
let view: View = "mine";
let filters: Filters = { process: "", caseNumber: "", dueBefore: "", priority: "", variables: "" };

/** The search body of a view and its filters (`POST /v2/user-tasks/search`, api/tasks/user-tasks.schemas.ts). */
export function taskSearchRequest(
	currentView: View,
	currentFilters: Filters,
	username: string,
	groups: string[],
	after?: string,
): SearchRequest {
	const filter: Record<string, unknown> = { state: "CREATED" };
	if (currentView === "mine") filter.assignee = username;
	if (currentView === "groups") filter.candidateGroups = groups;
	if (currentFilters.process) filter.processDefinitionId = currentFilters.process.trim();
	if (currentFilters.caseNumber) filter.caseNumber = currentFilters.caseNumber.trim();
	// The chosen day ends at midnight in Riyadh.
	if (currentFilters.dueBefore)
		filter.dueDate = { to: new Date(`${currentFilters.dueBefore}T23:59:59+03:00`).toISOString() };
	if (currentFilters.priority) filter.priority = { gte: Number(currentFilters.priority) };
	// The form refuses a malformed condition before it gets here (checkVariableFilters).
	const variables = parseVariableFilters(currentFilters.variables ?? "");
	if (variables.length > 0) filter.variables = variables;
	return {
		filter,
		sort: [
			{ field: "dueDate", order: "ASC" },
			{ field: "creationDate", order: "DESC" },
		],
		page: { limit: pageSize, ...(after ? { after } : {}) },
	};
}

/** The task list (with filters, claim, live updates), the open task and its case panel. */
export function mountTasks(
	container: HTMLElement,
	context: ScreenContext,
): MountedScreen & { onRoute(params: string[]): void } {
	const { principal } = context;
	let items: UserTask[] = [];
	let total = 0;
	let endCursor: string | null = null;
	let selectedKey: string | null = context.params[0] ?? null;
	let openDetail: { destroy(): void } | null = null;
	let liveState: EventStreamState = "connecting";
	let pollTimer: ReturnType<typeof setInterval> | undefined;
	let activeSaved: SavedFilter | null = null;

	const listArea = h("div", { class: "task-list__items" });
	const countLine = h("p", { class: "task-list__count", role: "status" });
	const liveLine = h("p", { class: "live" });
	const detailArea = h("div", { class: "tasks__detail" });
	const sideArea = h("div", { class: "tasks__side" });

	function viewButton(name: View, label: string): HTMLElement {
		return h(
			"button",
			{
				type: "button",
				class: "segmented__item",
				"aria-pressed": String(view === name),
				"data-view": name,
				onclick: () => {
					view = name;
					for (const button of container.querySelectorAll<HTMLElement>(".segmented__item"))
						button.setAttribute("aria-pressed", String(button.dataset.view === view));
					leaveSaved();
				},
			},
			label,
		);
	}

	/** Back from a saved filter to the views and filters of the form. */
	function leaveSaved(): void {
		activeSaved = null;
		const picker = container.querySelector<HTMLSelectElement>("#saved-filter");
		if (picker?.value) {
			// The bar's change handler updates its own buttons and loads the list through apply(null).
			picker.value = "";
			picker.dispatchEvent(new Event("change"));
		} else void load();
	}

	function filterField(id: keyof Filters, label: string, input: HTMLInputElement): HTMLElement {
		input.id = `filter-${id}`;
		input.value = filters[id];
		input.addEventListener("change", () => {
			if (input.checkValidity()) filters = { ...filters, [id]: input.value };
		});
		// A Gregorian date picker echoes the Hijri date, so officers can check the day they meant.
		const echo = input.type === "date" ? h("output", { for: input.id, class: "filter-echo" }) : null;
		const showEcho = () => {
			if (echo) echo.textContent = input.value ? formatHijri(`${input.value}T12:00:00+03:00`) : "";
		};
		input.addEventListener("input", showEcho);
		showEcho();
		// The day can be picked in the Umm al-Qura calendar too; the field keeps the Gregorian ISO day the API wants.
		const picker =
			input.type === "date"
				? hijriPicker({
						label,
						selected: () => input.value || null,
						onPick: (day) => {
							input.value = day;
							input.dispatchEvent(new Event("input"));
							input.dispatchEvent(new Event("change"));
						},
					})
				: null;
		return h(
			"div",
			{ class: "field field--inline" },
			h("label", { for: input.id, class: "field__label" }, label),
			input,
			echo,
			picker,
		);
	}

	const filterForm = h(
		"form",
		{
			class: "filters",
			"aria-label": t("tasks.filters"),
			onsubmit: (event: Event) => {
				event.preventDefault();
				leaveSaved();
			},
		},
		filterField("process", t("tasks.filter.process"), h("input", { class: "input", dir: "ltr", autocomplete: "off" })),
		filterField(
			"caseNumber",
			t("tasks.filter.caseNumber"),
			h("input", { class: "input", dir: "ltr", autocomplete: "off", placeholder: "RUH-OLY-1447-000153-9" }),
		),
		filterField("dueBefore", t("tasks.filter.dueBefore"), h("input", { class: "input", type: "date" })),
		filterField(
			"priority",
			t("tasks.filter.priority"),
			h("input", { class: "input input--short", type: "number", min: 0, max: 100, inputmode: "numeric" }),
		),
		filterField(
			"variables",
			t("filter.variables"),
			checkVariableFilters(
				h("input", {
					class: "input",
					dir: "ltr",
					autocomplete: "off",
					placeholder: "offenceType=THEFT",
					title: t("filter.variablesHint"),
				}),
			),
		),
		h(
			"div",
			{ class: "filters__actions" },
			h("button", { type: "submit", class: "btn btn--secondary" }, t("tasks.filter.apply")),
			h(
				"button",
				{
					type: "button",
					class: "btn btn--ghost",
					onclick: () => {
						filters = { process: "", caseNumber: "", dueBefore: "", priority: "", variables: "" };
						for (const input of filterForm.querySelectorAll("input")) input.value = "";
						leaveSaved();
					},
				},
				t("tasks.filter.clear"),
			),
		),
	);

	replace(
		container,
		h(
			"div",
			{ class: "page-head" },
			h("h1", { class: "page-title" }, t("tasks.title")),
			h(
				"div",
				{ class: "segmented", role: "group", "aria-label": t("tasks.viewLabel") },
				viewButton("mine", t("tasks.mine")),
				viewButton("groups", t("tasks.groups")),
				viewButton("all", t("tasks.all")),
			),
			liveLine,
		),
		filterForm,
		savedFilterBar(principal, {
			current: () => taskSearchRequest(view, filters, principal.username, principal.groups),
			apply(saved) {
				activeSaved = saved;
				void load();
			},
		}),
		h(
			"div",
			{ class: "tasks__body" },
			h("section", { class: "task-list", "aria-label": t("tasks.title") }, countLine, listArea),
			detailArea,
			sideArea,
		),
	);

	function card(task: UserTask): HTMLElement {
		const name = task.name ?? task.elementId ?? task.userTaskKey;
		const state = deadlineState(task);
		return h(
			"li",
			{},
			h(
				"article",
				{
					class: `task-card task-card--${state}`,
					"aria-current": task.userTaskKey === selectedKey ? "true" : undefined,
					"data-task-key": task.userTaskKey,
				},
				h(
					"div",
					{ class: "task-card__top" },
					h(
						"a",
						{
							class: "task-card__name",
							href: `#/tasks/${encodeURIComponent(task.userTaskKey)}`,
							"aria-label": t("tasks.open", { name }),
						},
						name,
					),
					deadlineBadge(task),
				),
				task.caseNumber ? h("p", { class: "task-card__case" }, bdi(task.caseNumber)) : null,
				h("p", { class: "task-card__process muted" }, task.processName ?? task.processDefinitionId ?? ""),
				h(
					"dl",
					{ class: "task-card__dates" },
					h("dt", {}, t("tasks.col.due")),
					h("dd", {}, dateElement(task.dueDate)),
					h("dt", {}, t("tasks.col.assignee")),
					h("dd", {}, task.assignee ? bdi(task.assignee, "id id--user") : t("tasks.unassigned")),
				),
			),
		);
	}

	function renderList(): void {
		countLine.textContent = t("tasks.count", { count: total });
		const more = endCursor
			? h(
					"button",
					{ type: "button", class: "btn btn--ghost btn--block", onclick: () => void load(endCursor ?? undefined) },
					t("tasks.loadMore"),
				)
			: null;
		replace(
			listArea,
			items.length === 0
				? h("p", { class: "empty" }, t("tasks.empty"))
				: h("ul", { class: "task-list__ul" }, items.map(card)),
			more,
		);
	}

	async function load(after?: string): Promise<void> {
		if (!after) replace(listArea, loading());
		try {
			const request = activeSaved
				? {
						filter: activeSaved.filter,
						sort: activeSaved.sort.length > 0 ? activeSaved.sort : taskSearchRequest(view, filters, "", []).sort,
						page: { limit: pageSize, ...(after ? { after } : {}) },
					}
				: taskSearchRequest(view, filters, principal.username, principal.groups, after);
			const page = await searchTasks(request);
			items = after ? [...items, ...page.items] : page.items;
			total = page.page.totalItems;
			endCursor = page.page.endCursor;
			renderList();
		} catch (error) {
			countLine.textContent = "";
			replace(
				listArea,
				error instanceof ApiProblem && error.isMissingRoute
					? notAvailable("POST /v2/user-tasks/search")
					: errorBox(error, () => void load()),
			);
		}
	}

	async function openTask(key: string | null): Promise<void> {
		openDetail?.destroy();
		openDetail = null;
		selectedKey = key;
		container.querySelectorAll<HTMLElement>(".task-card").forEach((element) => {
			if (element.dataset.taskKey === key) element.setAttribute("aria-current", "true");
			else element.removeAttribute("aria-current");
		});
		if (!key) {
			replace(detailArea, h("p", { class: "empty empty--detail" }, t("tasks.selectPrompt")));
			replace(sideArea);
			return;
		}
		replace(detailArea, loading());
		try {
			const task = items.find((item) => item.userTaskKey === key) ?? (await getTask(key));
			if (selectedKey !== key) return;
			const opened = taskDetail(task, principal, {
				changed(updated, gone) {
					if (gone) {
						items = items.filter((item) => item.userTaskKey !== updated.userTaskKey);
						total = Math.max(0, total - 1);
						renderList();
						context.navigate("#/tasks");
					} else {
						items = items.map((item) => (item.userTaskKey === updated.userTaskKey ? updated : item));
						renderList();
						void openTask(updated.userTaskKey);
					}
				},
			});
			openDetail = opened;
			replace(detailArea, opened.detail);
			replace(sideArea, opened.side);
		} catch (error) {
			replace(detailArea, errorBox(error));
		}
	}

	function renderLive(): void {
		if (liveState === "live")
			replace(liveLine, h("span", { class: "live__dot", "aria-hidden": "true" }), t("tasks.live"));
		else if (liveState === "unavailable")
			replace(liveLine, h("span", { class: "muted" }, t("tasks.liveOff", { seconds: pollSeconds })));
		else replace(liveLine);
	}

	const unsubscribe = subscribeEvents(
		(event) => {
			// `resync`: the stream came back after a drop, so changes may have been missed.
			if (
				event.type.startsWith("user-task") ||
				event.type.startsWith("userTask") ||
				event.type === "message" ||
				event.type === "resync"
			)
				void load();
		},
		(state) => {
			liveState = state;
			renderLive();
			if (state === "unavailable" && !pollTimer) pollTimer = setInterval(() => void load(), pollSeconds * 1000);
		},
	);

	void load().then(() => openTask(selectedKey));

	return {
		destroy() {
			unsubscribe();
			clearInterval(pollTimer);
			openDetail?.destroy();
		},
		onRoute(params) {
			void openTask(params[0] ?? null);
		},
	};
}
