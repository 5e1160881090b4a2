import { caseSummaryInput, getCaseFile } from "../../api/cases.api";
import { ApiProblem } from "../../api/client";
import type { Principal } from "../../api/session";
import {
	addComment,
	assignTask,
	completeTask,
	getTaskForm,
	getTaskVariables,
	listComments,
	type TaskComment,
	type UserTask,
	unassignTask,
} from "../../api/tasks.api";
import { dateElement } from "../../format/dates";
import type { FormView } from "../../forms/form-view";
import { currentLocale, t } from "../../i18n/i18n";
import { bdi, h, replace } from "../../ui/dom";
import { describeError, errorBox, loading, notAvailable, toast } from "../../ui/feedback";
import { caseSummary } from "./case-summary";
import { canReassign, reassignControl } from "./reassign";
import { deadlineBadge } from "./task-badges";

// Values typed into a task's form, kept by task key while the form is re-rendered (language switch).
const drafts = new Map<string, Record<string, unknown>>();

/** What the task list needs to know after an action on the open task. */
export interface TaskDetailEvents {
	/** The task changed (claimed, unclaimed) or left the list (completed). */
	changed(task: UserTask, gone: boolean): void;
}

/**
 * The open task: header with claim/unclaim, the Camunda Form, complete, comments; and the case panel.
 * @returns the detail element, the case panel element, and a destroy function.
 */
export function taskDetail(
	task: UserTask,
	principal: Principal,
	events: TaskDetailEvents,
): { detail: HTMLElement; side: HTMLElement; destroy(): void } {
	const detail = h("section", { class: "task-detail", "aria-labelledby": "task-detail-title" });
	const side = h("div", { class: "task-side" }, loading());
	let formView: FormView | null = null;
	let stopClock = () => {};
	let destroyed = false;
	let completed = false;
	const mine = task.assignee === principal.username;

	const formArea = h("div", { class: "task-form", "data-testid": "task-form" }, loading());
	const formMessage = h("div", { class: "form-message", role: "alert" });
	const completeButton = h(
		"button",
		{ type: "button", class: "btn btn--primary", disabled: !mine, "data-testid": "complete" },
		t("task.complete"),
	);
	const claimButton = mine
		? h(
				"button",
				{ type: "button", class: "btn btn--secondary", "data-testid": "unclaim", onclick: () => void claim(false) },
				t("tasks.unclaim"),
			)
		: h(
				"button",
				{ type: "button", class: "btn btn--primary", "data-testid": "claim", onclick: () => void claim(true) },
				t("tasks.claim"),
			);

	async function claim(take: boolean): Promise<void> {
		claimButton.disabled = true;
		try {
			if (take) await assignTask(task.userTaskKey, principal.username);
			else await unassignTask(task.userTaskKey);
			toast(take ? t("tasks.claimed") : t("tasks.unclaimed"), "success");
			events.changed({ ...task, assignee: take ? principal.username : null }, false);
		} catch (error) {
			toast(describeError(error), "error");
			claimButton.disabled = false;
		}
	}

	completeButton.addEventListener("click", async () => {
		replace(formMessage);
		const data = formView ? formView.submit() : {};
		if (!data) {
			replace(formMessage, h("p", { class: "field-error" }, t("task.fixFields")));
			return;
		}
		completeButton.disabled = true;
		completeButton.textContent = t("task.completing");
		try {
			await completeTask(task.userTaskKey, data);
			completed = true;
			drafts.delete(task.userTaskKey);
			toast(t("task.completed"), "success");
			events.changed(task, true);
		} catch (error) {
			completeButton.disabled = false;
			completeButton.textContent = t("task.complete");
			if (error instanceof ApiProblem && error.errors.length > 0 && formView) {
				const unmatched = formView.showServerErrors(error.errors);
				replace(
					formMessage,
					h("p", { class: "field-error" }, t("task.fixFields")),
					unmatched.length
						? h(
								"ul",
								{},
								unmatched.map((item) => h("li", {}, bdi(item.field), " ", item.message)),
							)
						: null,
				);
			} else replace(formMessage, errorBox(error));
		}
	});

	replace(
		detail,
		h(
			"header",
			{ class: "task-detail__head" },
			h("a", { href: "#/tasks", class: "back-link" }, t("task.back")),
			h(
				"h2",
				{ id: "task-detail-title", class: "task-detail__title" },
				task.name ?? task.elementId ?? task.userTaskKey,
			),
			h(
				"dl",
				{ class: "facts facts--inline" },
				h("dt", {}, t("task.key")),
				h("dd", {}, bdi(task.userTaskKey)),
				h("dt", {}, t("tasks.col.process")),
				h("dd", {}, task.processName ?? task.processDefinitionId ?? t("app.none")),
				h("dt", {}, t("tasks.col.created")),
				h("dd", {}, dateElement(task.creationDate, { withTime: true })),
				h("dt", {}, t("tasks.col.due")),
				h("dd", {}, dateElement(task.dueDate, { withTime: true }), deadlineBadge(task)),
				h("dt", {}, t("tasks.col.assignee")),
				h("dd", {}, task.assignee ? bdi(task.assignee, "id id--user") : t("tasks.unassigned")),
				task.candidateGroups?.length
					? [
							h("dt", {}, t("task.candidates")),
							h(
								"dd",
								{},
								task.candidateGroups.map((group) => bdi(group, "tag")),
							),
						]
					: null,
			),
			h(
				"div",
				{ class: "task-detail__actions" },
				claimButton,
				canReassign(principal)
					? reassignControl(task, (assignee) => events.changed({ ...task, assignee }, false))
					: null,
			),
		),
		h("h3", { class: "section-title" }, t("task.form")),
		formArea,
		formMessage,
		h(
			"div",
			{ class: "task-detail__submit" },
			completeButton,
			mine ? null : h("span", { class: "muted" }, t("task.claimFirst")),
		),
		comments(task),
	);

	void (async () => {
		let variables: Record<string, unknown> = {};
		try {
			variables = await getTaskVariables(task.userTaskKey);
		} catch (error) {
			if (!(error instanceof ApiProblem && error.isMissingRoute)) replace(side, errorBox(error));
		}
		if (destroyed) return;
		// The case file, when the task belongs to a case the user may read; else what the process carries.
		let caseData: Record<string, unknown> = {};
		if (task.caseNumber) {
			try {
				caseData = caseSummaryInput(await getCaseFile(task.caseNumber));
			} catch {
				// No case records (404 CASE_NOT_FOUND, 501, missing route): the variables stand in.
			}
		}
		if (destroyed) return;
		const summary = caseSummary({ caseNumber: task.caseNumber, ...variables, ...caseData });
		stopClock = summary.stop;
		replace(side, summary.element);
		try {
			const form = task.formKey ? await getTaskForm(task.userTaskKey) : null;
			if (destroyed) return;
			if (!form) {
				replace(formArea, h("p", { class: "muted" }, t("task.noForm")));
				return;
			}
			replace(formArea);
			const { renderForm } = await import("../../forms/form-view");
			formView = await renderForm(formArea, form, { ...variables, ...drafts.get(task.userTaskKey) }, currentLocale());
			if (!mine) formView.setReadOnly(true);
		} catch (error) {
			if (!destroyed) replace(formArea, h("p", { class: "field-error" }, t("task.formUnavailable")), errorBox(error));
		}
	})();

	return {
		detail,
		side,
		destroy() {
			destroyed = true;
			stopClock();
			if (formView && !completed) drafts.set(task.userTaskKey, formView.data());
			formView?.destroy();
		},
	};
}

function comments(task: UserTask): HTMLElement {
	const list = h("ol", { class: "comments__list" });
	const section = h(
		"section",
		{ class: "comments", "aria-labelledby": "comments-title" },
		h("h3", { id: "comments-title", class: "section-title" }, t("task.comments")),
	);
	const body = h("div", {}, loading());
	section.append(body);
	const render = (items: TaskComment[]) => {
		replace(
			list,
			items.length === 0
				? h("li", { class: "muted" }, t("task.noComments"))
				: items.map((item) =>
						h(
							"li",
							{ class: "comment" },
							h(
								"div",
								{ class: "comment__meta" },
								bdi(item.author, "id id--user"),
								dateElement(item.createdAt, { withTime: true }),
							),
							h("p", { class: "comment__text" }, item.body),
						),
					),
		);
	};
	const input = h("textarea", {
		id: "new-comment",
		class: "input",
		rows: 2,
		placeholder: t("task.commentPlaceholder"),
	});
	const form = h(
		"form",
		{
			class: "comments__form",
			onsubmit: async (event: Event) => {
				event.preventDefault();
				const text = input.value.trim();
				if (!text) return;
				try {
					await addComment(task.userTaskKey, text);
					input.value = "";
					render(await listComments(task.userTaskKey));
				} catch (error) {
					toast(describeError(error), "error");
				}
			},
		},
		h("label", { for: "new-comment", class: "field__label" }, t("task.commentLabel")),
		input,
		h("button", { type: "submit", class: "btn btn--secondary" }, t("task.addComment")),
	);
	listComments(task.userTaskKey).then(
		(items) => {
			render(items);
			replace(body, list, form);
		},
		(error) =>
			replace(
				body,
				error instanceof ApiProblem && error.isMissingRoute
					? notAvailable(`GET /v2/user-tasks/{key}/comments`)
					: errorBox(error),
			),
	);
	return section;
}
