import type { DeploymentProblem } from "../../api/processes.api";
import { currentLocale, formatNumber, t } from "../../i18n/i18n";
import { bdi, h, replace } from "../../ui/dom";

/** Arabic for the bpmnlint rules an analyst meets most; other rules show the linter's English message. */
const ruleTextsAr: Record<string, string> = {
	"no-disconnected": "العنصر غير متصل بالتدفق",
	"end-event-required": "الإجراء بلا حدث نهاية",
	"start-event-required": "الإجراء بلا حدث بداية",
	"label-required": "العنصر بلا اسم",
	"no-implicit-split": "تفرّع ضمني: استخدم بوابة",
	"no-implicit-end": "نهاية ضمنية: أضف حدث نهاية",
	"no-implicit-start": "بداية ضمنية: أضف حدث بداية",
	"fake-join": "دمج غير صريح: استخدم بوابة",
	"no-gateway-join-fork": "البوابة تدمج وتفرّع معًا",
	"superfluous-gateway": "بوابة لا حاجة إليها",
	"conditional-flows": "تدفق شرطي بلا شرط",
	"no-duplicate-sequence-flows": "تدفقان متكرران",
	"single-blank-start-event": "أكثر من حدث بداية فارغ",
	"camunda-compat/task-definition": "المهمة بلا نوع مهمة آلية",
	"camunda-compat/called-element": "الاستدعاء بلا إجراء مستدعى",
	"camunda-compat/timer": "المؤقت بلا قيمة صالحة",
	"camunda-compat/message-reference": "الحدث بلا رسالة",
	"camunda-compat/subscription": "الرسالة بلا مفتاح ربط",
	"camunda-compat/error-reference": "الحدث بلا خطأ",
	"camunda-compat/feel": "تعبير FEEL غير صالح",
	"camunda-compat/no-expression": "تعبير غير مسموح هنا",
};

interface Overlays {
	add(
		element: string,
		type: string,
		overlay: { position: { top?: number; right?: number }; html: HTMLElement },
	): string;
	remove(filter: { type: string }): void;
}
interface Canvas {
	addMarker(element: string, marker: string): void;
	removeMarker(element: string, marker: string): void;
	scrollToElement(element: unknown): void;
}
interface ElementRegistry {
	get(id: string): { id: string; type: string } | undefined;
}
interface Selection {
	select(element: unknown): void;
}
interface ModelerServices {
	get(name: string): unknown;
}

const overlayType = "mizan-lint";

/** The text shown for one problem: the Arabic of its rule when known, else the linter's message. */
export function problemText(problem: DeploymentProblem): string {
	return (currentLocale() === "ar" && problem.rule && ruleTextsAr[problem.rule]) || problem.message;
}

/**
 * The linter's problems drawn on the diagram, before anything is deployed: each element at fault gets a red
 * (error) or amber (warning) outline and a badge with the number of its problems whose tooltip lists them, and
 * the panel above the canvas lists every problem; clicking one selects its element.
 */
export class LintMarks {
	private marked: Array<[string, string]> = [];

	constructor(
		private readonly modeler: ModelerServices,
		private readonly panel: HTMLElement,
	) {}

	clear(): void {
		const canvas = this.modeler.get("canvas") as Canvas;
		const registry = this.modeler.get("elementRegistry") as ElementRegistry;
		// After another diagram is opened the marked elements are gone (bpmn-js cleared them with the diagram).
		for (const [id, marker] of this.marked) if (registry.get(id)) canvas.removeMarker(id, marker);
		this.marked = [];
		(this.modeler.get("overlays") as Overlays).remove({ type: overlayType });
	}

	show(problems: DeploymentProblem[]): void {
		this.clear();
		const registry = this.modeler.get("elementRegistry") as ElementRegistry;
		const canvas = this.modeler.get("canvas") as Canvas;
		const overlays = this.modeler.get("overlays") as Overlays;
		const byElement = new Map<string, DeploymentProblem[]>();
		for (const problem of problems) {
			const element = problem.elementId ? registry.get(problem.elementId) : undefined;
			// The process itself (no shape of its own) and unknown ids are listed, not drawn.
			if (!element || element.type === "bpmn:Process") continue;
			byElement.set(element.id, [...(byElement.get(element.id) ?? []), problem]);
		}
		for (const [id, own] of byElement) {
			const severity = own.some((problem) => problem.category === "error") ? "error" : "warn";
			const marker = `lint-${severity}`;
			canvas.addMarker(id, marker);
			this.marked.push([id, marker]);
			overlays.add(id, overlayType, {
				position: { top: -10, right: 10 },
				html: h(
					"span",
					{
						class: `lint-badge lint-badge--${severity}`,
						title: own.map(problemText).join("\n"),
						"data-lint-element": id,
						"data-lint-severity": severity,
					},
					formatNumber(own.length),
				),
			});
		}
		const errors = problems.filter((problem) => problem.category === "error").length;
		const warnings = problems.length - errors;
		if (problems.length === 0) {
			replace(
				this.panel,
				h("p", { class: "lint__summary lint__summary--clean", "data-lint": "clean" }, t("modeler.lintClean")),
			);
			return;
		}
		replace(
			this.panel,
			h(
				"details",
				{ class: "lint__details", open: errors > 0 ? "" : undefined },
				h(
					"summary",
					{ class: "lint__summary", "data-errors": errors, "data-warnings": warnings },
					t("modeler.lintSummary", { errors: formatNumber(errors), warnings: formatNumber(warnings) }),
				),
				h(
					"ul",
					{ class: "problems lint__list" },
					problems.map((problem) =>
						h(
							"li",
							{ class: `lint__item lint__item--${problem.category === "error" ? "error" : "warn"}` },
							problem.elementId
								? h(
										"button",
										{
											type: "button",
											class: "link-button",
											onclick: () => this.select(problem.elementId!),
										},
										bdi(problem.elementId, "tag"),
									)
								: null,
							" ",
							h("span", { dir: "auto", title: problem.message }, problemText(problem)),
							problem.rule ? [" ", bdi(`(${problem.rule})`, "id muted")] : null,
						),
					),
				),
			),
		);
	}

	private select(id: string): void {
		const element = (this.modeler.get("elementRegistry") as ElementRegistry).get(id);
		if (!element) return;
		(this.modeler.get("selection") as Selection).select(element);
		(this.modeler.get("canvas") as Canvas).scrollToElement(element);
	}
}
