import { ApiProblem } from "../api/client";
import { type Principal, signIn } from "../api/session";
import { t } from "../i18n/i18n";
import { preferences } from "../shell";
import { h } from "../ui/dom";
import { describeError } from "../ui/feedback";

/** The sign-in page; calls `onSignedIn` with the principal of `GET /v2/auth/me`. */
export function renderSignIn(onSignedIn: (principal: Principal) => void, notice?: string): HTMLElement {
	const error = h("p", { class: "field-error", role: "alert", id: "sign-in-error" }, notice ?? "");
	const username = h("input", {
		id: "username",
		name: "username",
		class: "input",
		autocomplete: "username",
		required: true,
		dir: "ltr",
	});
	const password = h("input", {
		id: "password",
		name: "password",
		type: "password",
		class: "input",
		autocomplete: "current-password",
		required: true,
		dir: "ltr",
	});
	const submit = h("button", { type: "submit", class: "btn btn--primary btn--block" }, t("signIn.submit"));
	const form = h(
		"form",
		{
			class: "sign-in__form",
			"aria-describedby": "sign-in-error",
			onsubmit: async (event: Event) => {
				event.preventDefault();
				submit.disabled = true;
				submit.textContent = t("signIn.submitting");
				error.textContent = "";
				try {
					onSignedIn(await signIn(username.value.trim(), password.value));
				} catch (failure) {
					error.textContent =
						failure instanceof ApiProblem && failure.code === "INVALID_CREDENTIALS"
							? t("signIn.failed")
							: failure instanceof ApiProblem && failure.code === "RATE_LIMITED"
								? t("signIn.rateLimited")
								: describeError(failure);
					submit.disabled = false;
					submit.textContent = t("signIn.submit");
					password.focus();
				}
			},
		},
		h(
			"div",
			{ class: "field" },
			h("label", { for: "username", class: "field__label" }, t("signIn.username")),
			username,
		),
		h(
			"div",
			{ class: "field" },
			h("label", { for: "password", class: "field__label" }, t("signIn.password")),
			password,
		),
		error,
		submit,
	);
	return h(
		"div",
		{ class: "sign-in" },
		h("div", { class: "sign-in__prefs" }, preferences()),
		h(
			"main",
			{ class: "sign-in__card", id: "main" },
			h(
				"div",
				{ class: "brand brand--large" },
				h("span", { class: "brand__mark", "aria-hidden": "true" }, "⚖"),
				h("span", { class: "brand__name" }, t("app.name")),
			),
			h("p", { class: "sign-in__tagline" }, t("app.tagline")),
			h("h1", { class: "sign-in__title" }, t("signIn.title")),
			h("p", { class: "sign-in__intro" }, t("signIn.intro")),
			form,
		),
	);
}
