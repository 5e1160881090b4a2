import { ApiProblem, NetworkError } from "../api/client";
import { t } from "../i18n/i18n";
import { h } from "./dom";

let region: HTMLElement | null = null;

/** The live region toasts are written to; created once by the shell. */
export function toastRegion(): HTMLElement {
	region ??= h("div", { class: "toasts", role: "status", "aria-live": "polite" });
	return region;
}

/** Shows a short message that disappears after a few seconds (also read by screen readers). */
export function toast(message: string, kind: "success" | "error" | "info" = "info"): void {
	const item = h("div", { class: `toast toast--${kind}` }, message);
	toastRegion().append(item);
	setTimeout(() => item.remove(), kind === "error" ? 8_000 : 4_000);
}

/** A translated sentence for an error from the API client. */
export function describeError(error: unknown): string {
	if (error instanceof NetworkError) return t("error.network");
	if (error instanceof ApiProblem) {
		if (error.status === 403) return t("error.forbidden");
		if (error.code === "USER_TASK_ALREADY_ASSIGNED") return t("error.conflictAssigned");
		if (error.code === "USER_TASK_NOT_ACTIVE" || error.code === "USER_TASK_JOB_GONE") return t("error.notActive");
		if (error.code === "USER_TASK_NOT_ASSIGNED_TO_YOU") return t("task.claimFirst");
		return t("error.generic", { detail: error.detail });
	}
	return t("error.generic", { detail: error instanceof Error ? error.message : String(error) });
}

/** An inline error box with the message and a retry button. */
export function errorBox(error: unknown, retry?: () => void): HTMLElement {
	return h(
		"div",
		{ class: "notice notice--error", role: "alert" },
		h("p", {}, describeError(error)),
		retry ? h("button", { type: "button", class: "btn btn--secondary", onclick: () => retry() }, t("app.retry")) : null,
	);
}

/**
 * The honest placeholder of a screen whose API route does not exist yet: says "not available yet" and names
 * the route, rather than showing an empty list that looks like real data.
 */
export function notAvailable(route: string): HTMLElement {
	return h(
		"div",
		{ class: "notice notice--unavailable", "data-testid": "not-available" },
		h("p", { class: "notice__title" }, t("app.notAvailableYet")),
		h("p", {}, t("app.notAvailableDetail"), " ", h("bdi", { dir: "ltr", class: "id" }, route)),
	);
}

/** A loading line. */
export function loading(): HTMLElement {
	return h("p", { class: "loading", role: "status" }, t("app.loading"));
}
