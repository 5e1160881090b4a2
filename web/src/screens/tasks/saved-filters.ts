import { ApiProblem, type SearchRequest } from "../../api/client";
import { deleteSavedFilter, listSavedFilters, type SavedFilter, saveFilter } from "../../api/saved-filters.api";
import type { Principal } from "../../api/session";
import { t } from "../../i18n/i18n";
import { h, replace } from "../../ui/dom";
import { describeError, toast } from "../../ui/feedback";

/** What the saved-filter bar needs from the task list. */
export interface SavedFilterHost {
	/** The filter and sort the list shows now (saved as they are). */
	current(): Pick<SearchRequest, "filter" | "sort">;
	/** Shows the tasks of a saved filter, or the views again with null. */
	apply(saved: SavedFilter | null): void;
}

/**
 * The saved filters of the task list: pick one (mine or shared with one of my groups), save the current
 * filter under a name, privately or shared with a group, delete my own. Hidden while the route is missing.
 */
export function savedFilterBar(principal: Principal, host: SavedFilterHost): HTMLElement {
	const bar = h("div", { class: "saved-filters" });
	let saved: SavedFilter[] = [];

	const picker = h("select", { id: "saved-filter", class: "select select--compact" });
	picker.addEventListener("change", () => host.apply(saved.find((item) => item.filterId === picker.value) ?? null));
	const name = h("input", { id: "saved-filter-name", class: "input", autocomplete: "off", required: true });
	const share = h(
		"select",
		{ id: "saved-filter-share", class: "select select--compact" },
		h("option", { value: "" }, t("filters.private")),
		principal.groups.map((group) => h("option", { value: group, dir: "ltr" }, group)),
	);
	const remove = h("button", { type: "button", class: "btn btn--ghost", hidden: true }, t("filters.delete"));
	remove.addEventListener("click", async () => {
		const item = saved.find((candidate) => candidate.filterId === picker.value);
		if (!item) return;
		try {
			await deleteSavedFilter(item.filterId);
			host.apply(null);
			await refresh("");
		} catch (error) {
			toast(describeError(error), "error");
		}
	});
	picker.addEventListener("change", () => {
		const item = saved.find((candidate) => candidate.filterId === picker.value);
		remove.hidden = !item || item.owner !== principal.username;
	});

	const form = h(
		"form",
		{
			class: "saved-filters__save",
			onsubmit: async (event: Event) => {
				event.preventDefault();
				if (!name.value.trim()) return;
				try {
					const current = host.current();
					const created = await saveFilter({
						name: name.value.trim(),
						filter: current.filter ?? {},
						sort: current.sort ?? [],
						sharedWithGroup: share.value || null,
					});
					name.value = "";
					toast(t("filters.saved"), "success");
					await refresh(created.filterId);
				} catch (error) {
					toast(describeError(error), "error");
				}
			},
		},
		h("label", { for: "saved-filter-name", class: "field__label" }, t("filters.name")),
		name,
		h("label", { for: "saved-filter-share", class: "field__label" }, t("filters.share")),
		share,
		h("button", { type: "submit", class: "btn btn--secondary" }, t("filters.save")),
	);

	async function refresh(selected: string): Promise<void> {
		try {
			saved = await listSavedFilters();
		} catch (error) {
			// Without the route there is nothing to offer; any other failure is worth saying.
			if (!(error instanceof ApiProblem && error.isMissingRoute))
				replace(bar, h("p", { class: "muted" }, describeError(error)));
			return;
		}
		replace(
			picker,
			h("option", { value: "" }, t("filters.none")),
			saved.map((item) =>
				h(
					"option",
					{ value: item.filterId, selected: item.filterId === selected },
					item.sharedWithGroup ? `${item.name} · ${item.sharedWithGroup}` : item.name,
				),
			),
		);
		remove.hidden = !saved.some((item) => item.filterId === selected && item.owner === principal.username);
		replace(
			bar,
			h(
				"div",
				{ class: "saved-filters__pick" },
				h("label", { for: "saved-filter", class: "field__label" }, t("filters.saved.label")),
				picker,
				remove,
			),
			form,
		);
	}

	void refresh("");
	return bar;
}
