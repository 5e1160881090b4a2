import type { Principal, Screen } from "./api/session";
import { screensFor } from "./api/session";
import { currentLocale, digitPreference, type MessageKey, setDigits, setLocale, t } from "./i18n/i18n";
import { h } from "./ui/dom";
import { toastRegion } from "./ui/feedback";

const navLabels: Record<Screen, MessageKey> = {
	tasks: "nav.tasks",
	modeler: "nav.modeler",
	forms: "nav.forms",
	start: "nav.start",
	monitor: "nav.monitor",
	audit: "nav.audit",
};

/** The language button and the digit preference, shown on every screen including sign-in. */
export function preferences(): HTMLElement {
	const digits = h(
		"select",
		{
			id: "digits",
			class: "select select--compact",
			onchange: (event: Event) => setDigits((event.target as HTMLSelectElement).value as "arab" | "latn"),
		},
		h("option", { value: "arab", selected: digitPreference() === "arab" }, t("digits.arab")),
		h("option", { value: "latn", selected: digitPreference() === "latn" }, t("digits.latn")),
	);
	return h(
		"div",
		{ class: "prefs" },
		currentLocale() === "ar"
			? h(
					"span",
					{ class: "prefs__digits" },
					h("label", { for: "digits", class: "prefs__label" }, t("digits.label")),
					digits,
				)
			: null,
		h(
			"button",
			{
				type: "button",
				class: "btn btn--ghost",
				lang: currentLocale() === "ar" ? "en" : "ar",
				title: t("lang.switchLabel"),
				"data-testid": "switch-language",
				onclick: () => setLocale(currentLocale() === "ar" ? "en" : "ar"),
			},
			t("lang.switchTo"),
		),
	);
}

/** Parts of the shell the router fills. */
export interface ShellParts {
	root: HTMLElement;
	main: HTMLElement;
}

/**
 * The frame around every signed-in screen: top bar (name, user and roles, preferences, sign-out), the
 * navigation with only the screens the user's roles may use, and the main area.
 */
export function renderShell(principal: Principal, active: Screen | null, onSignOut: () => void): ShellParts {
	const screens = screensFor(principal);
	const main = h("main", { id: "main", class: "main", tabindex: "-1" });
	const roles = new Intl.ListFormat(currentLocale(), { type: "conjunction" }).format(
		principal.roles.map((role) => t(`role.${role}` as MessageKey)),
	);
	const root = h(
		"div",
		{ class: "shell" },
		h(
			"a",
			{
				class: "skip-link",
				href: "#main",
				onclick: (event: Event) => {
					event.preventDefault();
					main.focus();
				},
			},
			t("app.skipToContent"),
		),
		h(
			"header",
			{ class: "topbar" },
			h(
				"div",
				{ class: "brand" },
				h("span", { class: "brand__mark", "aria-hidden": "true" }, "⚖"),
				h("span", { class: "brand__name" }, t("app.name")),
			),
			h(
				"div",
				{ class: "topbar__user" },
				h("span", { class: "user__name" }, principal.displayName),
				h("span", { class: "user__roles" }, roles),
			),
			preferences(),
			h(
				"button",
				{ type: "button", class: "btn btn--ghost", "data-testid": "sign-out", onclick: onSignOut },
				t("signIn.signOut"),
			),
		),
		h(
			"div",
			{ class: "layout" },
			h(
				"nav",
				{ class: "sidenav", "aria-label": t("nav.label") },
				screens.length === 0
					? h("p", {}, t("nav.nothing"))
					: h(
							"ul",
							{},
							screens.map((screen) =>
								h(
									"li",
									{},
									h(
										"a",
										{
											href: `#/${screen}`,
											class: "sidenav__link",
											"aria-current": screen === active ? "page" : undefined,
											"data-screen": screen,
										},
										t(navLabels[screen]),
									),
								),
							),
						),
			),
			main,
		),
		toastRegion(),
	);
	return { root, main };
}
