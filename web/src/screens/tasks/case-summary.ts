import { dateElement, remaining } from "../../format/dates";
import { currentLocale, type MessageKey, t } from "../../i18n/i18n";
import { bdi, h, replace } from "../../ui/dom";

type Json = Record<string, unknown>;

/** The police hold without a written order (24 h from arrest, domain.md §1.5) when no deadline is given. */
const defaultHoldMs = 24 * 3_600_000;
/** Custody clocks closer than this to their end are shown as urgent. */
const urgentMs = 4 * 3_600_000;

/** A party role (`SUSPECT`) in the UI language, or the code when the catalogue has no label for it. */
function roleLabel(role: string): string {
	const key = `party.${role}` as MessageKey;
	const label = t(key);
	return label === key ? role : label;
}

function text(value: unknown): string | null {
	return typeof value === "string" && value.trim() ? value : typeof value === "number" ? String(value) : null;
}

/** A name or label in the UI language: `{ar, en}`, `nameAr`/`nameEn`, `labelAr`/`labelEn`, or a plain string. */
function localized(value: unknown): string | null {
	if (typeof value === "string") return value;
	if (!value || typeof value !== "object") return null;
	const item = value as Json;
	const ar = text(item.ar) ?? text(item.nameAr) ?? text(item.labelAr) ?? text(item.name) ?? text(item.label);
	const en = text(item.en) ?? text(item.nameEn) ?? text(item.labelEn);
	return currentLocale() === "en" ? (en ?? ar) : (ar ?? en);
}

/**
 * The side panel of a task: case number, parties, offences and the custody clock counting down, read from the
 * process variables (`caseNumber`, `parties`, `offences`/`charges`, `custodyDeadline` or `arrestedAt`).
 * @returns the panel and a function stopping its clock.
 */
export function caseSummary(variables: Json): { element: HTMLElement; stop(): void } {
	const caseNumber = text(variables.caseNumber);
	const parties = Array.isArray(variables.parties) ? (variables.parties as unknown[]) : [];
	const offences = Array.isArray(variables.offences)
		? variables.offences
		: Array.isArray(variables.charges)
			? variables.charges
			: [];
	const arrestedAt = text(variables.arrestedAt);
	const deadlineText =
		text(variables.custodyDeadline) ??
		(arrestedAt ? new Date(new Date(arrestedAt).getTime() + defaultHoldMs).toISOString() : null);
	const panel = h(
		"aside",
		{ class: "case-panel", "aria-labelledby": "case-panel-title" },
		h("h2", { id: "case-panel-title", class: "panel-title" }, t("case.summary")),
	);
	if (!caseNumber && parties.length === 0 && offences.length === 0 && !deadlineText) {
		panel.append(h("p", { class: "muted" }, t("case.noData")));
		return { element: panel, stop() {} };
	}
	const title = localized(variables.caseTitle);
	if (title) panel.append(h("p", { class: "case-panel__title" }, title));
	if (caseNumber)
		panel.append(
			h(
				"div",
				{ class: "case-panel__section" },
				h("dl", { class: "facts" }, h("dt", {}, t("case.number")), h("dd", {}, bdi(caseNumber))),
			),
		);

	if (parties.length > 0) {
		panel.append(
			h(
				"div",
				{ class: "case-panel__section" },
				h("h3", { class: "panel-subtitle" }, t("case.parties")),
				h(
					"ul",
					{ class: "plain-list" },
					parties.map((party) => {
						const item = (party ?? {}) as Json;
						const role = text(item.role);
						const phone = text(item.phone);
						return h(
							"li",
							{ class: "party" },
							h("span", { class: "party__name" }, localized(item.name ?? item) ?? t("app.none")),
							role ? h("span", { class: "tag" }, localized(item.roleLabel) ?? roleLabel(role)) : null,
							phone
								? h(
										"span",
										{ class: "party__phone" },
										h("span", { class: "visually-hidden" }, t("case.phone")),
										bdi(phone),
									)
								: null,
						);
					}),
				),
			),
		);
	}
	if (offences.length > 0) {
		panel.append(
			h(
				"div",
				{ class: "case-panel__section" },
				h("h3", { class: "panel-subtitle" }, t("case.offences")),
				h(
					"ul",
					{ class: "plain-list" },
					(offences as unknown[]).map((offence) => h("li", {}, localized(offence) ?? t("app.none"))),
				),
			),
		);
	}
	let timer: ReturnType<typeof setInterval> | undefined;
	if (deadlineText && !Number.isNaN(new Date(deadlineText).getTime())) {
		const deadline = new Date(deadlineText);
		const clock = h("p", { class: "clock", role: "timer", "aria-live": "off" });
		const tick = () => {
			const left = remaining(deadline);
			const key: MessageKey = left.past ? "case.expired" : "case.remaining";
			clock.className = `clock ${left.past ? "clock--expired" : deadline.getTime() - Date.now() < urgentMs ? "clock--urgent" : ""}`;
			replace(clock, t(key, { hours: left.hours, minutes: left.minutes }));
		};
		tick();
		timer = setInterval(tick, 30_000);
		panel.append(
			h(
				"div",
				{ class: "case-panel__section" },
				h("h3", { class: "panel-subtitle" }, t("case.custody")),
				clock,
				h(
					"p",
					{ class: "muted clock__ends" },
					t("case.custodyEnds", { when: "" }),
					dateElement(deadlineText, { withTime: true }),
				),
			),
		);
	}
	return { element: panel, stop: () => clearInterval(timer) };
}
