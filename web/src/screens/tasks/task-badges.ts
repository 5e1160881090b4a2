import type { UserTask } from "../../api/tasks.api";
import { t } from "../../i18n/i18n";
import { h } from "../../ui/dom";

/** A task due within this window is "near its deadline". */
export const nearDeadlineMs = 24 * 3_600_000;

/** Where a task stands against its due date. */
export function deadlineState(
	task: Pick<UserTask, "dueDate">,
	now: Date = new Date(),
): "overdue" | "near" | "ok" | "none" {
	if (!task.dueDate) return "none";
	const due = new Date(task.dueDate).getTime();
	if (Number.isNaN(due)) return "none";
	if (due < now.getTime()) return "overdue";
	return due - now.getTime() <= nearDeadlineMs ? "near" : "ok";
}

/** The overdue / near-deadline badge of a task, or null. Colour is never the only signal: the badge has text. */
export function deadlineBadge(task: Pick<UserTask, "dueDate">): HTMLElement | null {
	const state = deadlineState(task);
	if (state === "overdue")
		return h("span", { class: "badge badge--overdue", "data-badge": "overdue" }, t("tasks.overdue"));
	if (state === "near") return h("span", { class: "badge badge--near", "data-badge": "near" }, t("tasks.nearDeadline"));
	return null;
}
