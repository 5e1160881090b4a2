import { ApiProblem } from "../../api/client";
import { getInstance, searchInstances } from "../../api/processes.api";
import { dateElement, remaining } from "../../format/dates";
import { type MessageKey, t } from "../../i18n/i18n";
import { bdi, h, replace } from "../../ui/dom";
import { errorBox, loading, notAvailable } from "../../ui/feedback";

/** The process that runs one custody clock per arrest (processes/custody-clock.bpmn). */
export const custodyProcessId = "custody-clock";
/** The statutory deadlines its timers fire on, as process variables. */
const deadlineVariables = ["deadline24h", "detentionExpiresAt", "hearingDueAt"] as const;
/** Clocks closer than this are urgent. */
const urgentMs = 4 * 3_600_000;
const boardSize = 50;

/** One custody clock on the board. */
export interface CustodyClock {
	processInstanceKey: string;
	processDefinitionKey: string;
	caseNumber: string | null;
	deadlineName: (typeof deadlineVariables)[number];
	deadline: string;
}

/**
 * The deadline a clock shows: the earliest one still ahead, or — when all have passed — the latest passed one
 * (an overdue clock must stay visible, not vanish).
 */
export function runningDeadline(
	variables: Record<string, unknown>,
	now: Date = new Date(),
): Pick<CustodyClock, "deadlineName" | "deadline"> | null {
	const known = deadlineVariables
		.map((name) => ({ deadlineName: name, deadline: variables[name] }))
		.filter(
			(item): item is { deadlineName: (typeof deadlineVariables)[number]; deadline: string } =>
				typeof item.deadline === "string" && !Number.isNaN(Date.parse(item.deadline)),
		)
		.sort((a, b) => Date.parse(a.deadline) - Date.parse(b.deadline));
	return known.find((item) => Date.parse(item.deadline) >= now.getTime()) ?? known.at(-1) ?? null;
}

function parse(value: string | undefined): unknown {
	try {
		return value === undefined ? undefined : JSON.parse(value);
	} catch {
		return value;
	}
}

/**
 * The custody-clock board: every active custody clock, the statutory deadline it runs against, soonest first,
 * with the time left (or overdue) and the deadline in Hijri and Gregorian.
 */
export function custodyBoard(): HTMLElement {
	const body = h("div", {}, loading());
	const section = h(
		"section",
		{ class: "panel", "aria-labelledby": "custody-board-title", "data-testid": "custody-board" },
		h("h2", { id: "custody-board-title", class: "panel-title" }, t("monitor.custodyBoard")),
		body,
	);

	void (async () => {
		try {
			const page = await searchInstances({
				filter: { processDefinitionId: custodyProcessId, state: "ACTIVE" },
				page: { limit: boardSize },
			});
			const clocks = (
				await Promise.all(
					page.items.map(async (instance): Promise<CustodyClock | null> => {
						const detail = await getInstance(instance.processInstanceKey);
						const variables = Object.fromEntries(
							detail.variables.map((variable) => [variable.name, parse(variable.value)]),
						);
						const running = runningDeadline(variables);
						if (!running) return null;
						return {
							processInstanceKey: instance.processInstanceKey,
							processDefinitionKey: instance.processDefinitionKey ?? "",
							caseNumber: typeof variables.caseNumber === "string" ? variables.caseNumber : null,
							...running,
						};
					}),
				)
			)
				.filter((clock): clock is CustodyClock => clock !== null)
				.sort((a, b) => Date.parse(a.deadline) - Date.parse(b.deadline));
			if (clocks.length === 0) {
				replace(body, h("p", { class: "empty" }, t("monitor.noClocks")));
				return;
			}
			replace(
				body,
				h(
					"ul",
					{ class: "plain-list clock-board" },
					clocks.map((clock) => {
						const left = remaining(new Date(clock.deadline));
						const urgent = !left.past && Date.parse(clock.deadline) - Date.now() < urgentMs;
						return h(
							"li",
							{ class: `clock-card ${left.past ? "clock-card--expired" : urgent ? "clock-card--urgent" : ""}` },
							h(
								"a",
								{
									href: `#/monitor/${encodeURIComponent(clock.processDefinitionKey)}/${encodeURIComponent(clock.processInstanceKey)}`,
								},
								clock.caseNumber ? bdi(clock.caseNumber) : bdi(clock.processInstanceKey),
							),
							h("span", {}, t(`monitor.deadline.${clock.deadlineName}` as MessageKey)),
							h(
								"strong",
								{ class: "clock-card__left" },
								t(left.past ? "case.expired" : "case.remaining", { hours: left.hours, minutes: left.minutes }),
							),
							dateElement(clock.deadline, { withTime: true }),
						);
					}),
				),
			);
		} catch (error) {
			replace(
				body,
				error instanceof ApiProblem && (error.isMissingRoute || error.status === 501)
					? notAvailable("POST /v2/process-instances/search")
					: errorBox(error),
			);
		}
	})();
	return section;
}
