import type { Principal } from "../../api/session";
import { assignTask, type UserTask } from "../../api/tasks.api";
import { searchUsers } from "../../api/users.api";
import { t } from "../../i18n/i18n";
import { h, replace } from "../../ui/dom";
import { describeError, toast } from "../../ui/feedback";

/** True when the user may assign tasks to others (`task:manage` in api/auth/permissions.ts). */
export function canReassign(principal: Principal): boolean {
	return principal.roles.includes("supervisor") || principal.roles.includes("admin");
}

/**
 * The supervisor's "assign to" control: the active users of the tenant (those of the task's candidate groups
 * first), and `POST /v2/user-tasks/{key}/assignment` with `allowOverride` to take the task from its assignee.
 */
export function reassignControl(task: UserTask, onAssigned: (assignee: string) => void): HTMLElement {
	const select = h("select", { id: "reassign-to", class: "select select--compact" });
	const button = h(
		"button",
		{ type: "button", class: "btn btn--secondary", "data-testid": "reassign" },
		t("task.reassign"),
	);
	const wrapper = h(
		"div",
		{ class: "reassign" },
		h("label", { for: "reassign-to", class: "field__label" }, t("task.reassignTo")),
		select,
		button,
	);
	button.addEventListener("click", async () => {
		if (!select.value) return;
		button.disabled = true;
		try {
			await assignTask(task.userTaskKey, select.value, true);
			toast(t("task.reassigned", { name: select.selectedOptions[0]?.textContent ?? select.value }), "success");
			onAssigned(select.value);
		} catch (error) {
			toast(describeError(error), "error");
			button.disabled = false;
		}
	});
	searchUsers().then(
		(users) => {
			const groups = new Set(task.candidateGroups ?? []);
			const active = users.filter((user) => !user.disabled && user.username !== task.assignee);
			const inGroups = active.filter((user) => user.groups.some((group) => groups.has(group)));
			const others = active.filter((user) => !inGroups.includes(user));
			replace(
				select,
				[...inGroups, ...others].map((user) =>
					h("option", { value: user.username }, `${user.displayName} (${user.username})`),
				),
			);
		},
		(error) => replace(wrapper, h("p", { class: "muted" }, describeError(error))),
	);
	return wrapper;
}
