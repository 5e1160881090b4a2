import { formatGregorian, formatHijri } from "../format/dates";
import { formatNumber, intlLocale, t } from "../i18n/i18n";
import { h, replace } from "../ui/dom";
import { adjacentMonth, type HijriMonth, hijriMonthOf, todayInRiyadh } from "./hijri-calendar";

/**
 * A month grid of the Umm al-Qura calendar, opened by a button beside a date field. Picking a day answers its
 * Gregorian ISO date (`YYYY-MM-DD`), which is what the form stores; the page shows it in both calendars.
 * Weeks start on Sunday (the Saudi week); Arabic lays the grid out right to left like the page.
 */
export function hijriPicker(options: {
	label: string;
	/** The day the grid opens on (the field's date), else today in Riyadh. */
	selected: () => string | null;
	onPick: (isoDay: string) => void;
}): HTMLElement {
	const popover = h("div", {
		class: "hijri-picker__popover",
		role: "dialog",
		"aria-label": t("hijri.pickFor", { label: options.label }),
		hidden: true,
	});
	const toggle = h(
		"button",
		{
			type: "button",
			class: "btn btn--secondary btn--small hijri-picker__toggle",
			"aria-expanded": "false",
			// The visible text first, so the accessible name holds it (WCAG 2.5.3), then the field it serves.
			"aria-label": `${t("hijri.dialog")} — ${options.label}`,
			title: t("hijri.open"),
		},
		t("hijri.dialog"),
	);
	let month: HijriMonth | null = null;

	const monthTitle = (shown: HijriMonth) =>
		new Intl.DateTimeFormat(intlLocale("islamic-umalqura"), {
			timeZone: "UTC",
			month: "long",
			year: "numeric",
		}).format(new Date(`${shown.days[0]}T12:00:00Z`));

	function close(): void {
		popover.hidden = true;
		toggle.setAttribute("aria-expanded", "false");
	}

	function render(): void {
		const shown = month!;
		const selected = options.selected();
		const today = todayInRiyadh();
		// Sunday is 0: empty cells before the 1st.
		const lead = new Date(`${shown.days[0]}T12:00:00Z`).getUTCDay();
		const weekday = new Intl.DateTimeFormat(intlLocale("gregory"), { weekday: "narrow", timeZone: "UTC" });
		const weekdays = Array.from({ length: 7 }, (_, index) =>
			h(
				"span",
				{ class: "hijri-picker__weekday", "aria-hidden": "true" },
				weekday.format(new Date(Date.UTC(2026, 10, 1 + index))),
			),
		);
		replace(
			popover,
			h(
				"div",
				{ class: "hijri-picker__header" },
				h(
					"button",
					{
						type: "button",
						class: "btn btn--ghost btn--small",
						"aria-label": t("hijri.previous"),
						"data-step": "-1",
						onclick: () => {
							month = adjacentMonth(shown, -1);
							render();
						},
					},
					"‹",
				),
				h("strong", { class: "hijri-picker__title", "aria-live": "polite" }, monthTitle(shown)),
				h(
					"button",
					{
						type: "button",
						class: "btn btn--ghost btn--small",
						"aria-label": t("hijri.next"),
						"data-step": "1",
						onclick: () => {
							month = adjacentMonth(shown, 1);
							render();
						},
					},
					"›",
				),
			),
			h(
				"div",
				{ class: "hijri-picker__grid" },
				weekdays,
				Array.from({ length: lead }, () => h("span", { class: "hijri-picker__blank" })),
				shown.days.map((day, index) =>
					h(
						"button",
						{
							type: "button",
							class: `hijri-picker__day${day === today ? " hijri-picker__day--today" : ""}`,
							"aria-pressed": day === selected ? "true" : "false",
							"aria-label": `${formatHijri(`${day}T12:00:00+03:00`)} — ${formatGregorian(`${day}T12:00:00+03:00`)}`,
							"data-gregorian": day,
							"data-hijri-day": index + 1,
							onclick: () => {
								options.onPick(day);
								close();
								toggle.focus();
							},
						},
						formatNumber(index + 1),
					),
				),
			),
		);
	}

	toggle.addEventListener("click", () => {
		if (!popover.hidden) return close();
		month = hijriMonthOf(options.selected() ?? todayInRiyadh());
		render();
		popover.hidden = false;
		toggle.setAttribute("aria-expanded", "true");
		popover
			.querySelector<HTMLButtonElement>("[aria-pressed=true], .hijri-picker__day--today, .hijri-picker__day")
			?.focus();
	});
	popover.addEventListener("keydown", (event) => {
		if (event.key === "Escape") {
			close();
			toggle.focus();
		}
	});
	return h("div", { class: "hijri-picker" }, toggle, popover);
}
