import { type AuditEntry, searchAudit, verifyAudit } from "../api/audit.api";
import { dateElement } from "../format/dates";
import { formatNumber, type MessageKey, t } from "../i18n/i18n";
import type { MountedScreen, ScreenContext } from "../main";
import { bdi, h, replace } from "../ui/dom";
import { errorBox, loading } from "../ui/feedback";

/** An audit action in the UI language, with its code for searching; unknown codes as they are. */
function actionLabel(action: string): HTMLElement {
	const key = `audit.action.${action}` as MessageKey;
	const label = t(key);
	return label === key ? bdi(action, "tag") : h("span", { title: action, "data-action": action }, label);
}

/** The audit log of the tenant, newest first, and the hash-chain check (auditors, admins). */
export function mountAudit(container: HTMLElement, _context: ScreenContext): MountedScreen {
	const table = h("div", { class: "table-wrap" }, loading());
	const verification = h("div", { role: "status" });
	const verifyButton = h(
		"button",
		{ type: "button", class: "btn btn--secondary", "data-testid": "verify" },
		t("audit.verify"),
	);
	verifyButton.addEventListener("click", async () => {
		verifyButton.disabled = true;
		try {
			const answer = await verifyAudit();
			replace(
				verification,
				h(
					"p",
					{ class: `notice ${answer.valid ? "notice--success" : "notice--error"}` },
					answer.valid
						? t("audit.valid", { count: answer.entriesChecked })
						: t("audit.invalid", { count: answer.problems.length }),
				),
			);
		} catch (error) {
			replace(verification, errorBox(error));
		} finally {
			verifyButton.disabled = false;
		}
	});

	function row(entry: AuditEntry): HTMLElement {
		return h(
			"tr",
			{},
			h("td", { class: "num" }, formatNumber(Number(entry.seq))),
			h("td", {}, dateElement(entry.occurredAt, { withTime: true })),
			h("td", {}, entry.actorUsername ? bdi(entry.actorUsername, "id id--user") : t("app.none")),
			h("td", {}, actionLabel(entry.action)),
			h("td", {}, bdi(`${entry.entityType}:${entry.entityId}`)),
		);
	}

	async function load(): Promise<void> {
		try {
			const page = await searchAudit({ sort: [{ field: "seq", order: "DESC" }], page: { limit: 100 } });
			replace(
				table,
				page.items.length === 0
					? h("p", { class: "empty" }, t("audit.empty"))
					: h(
							"table",
							{ class: "table" },
							h(
								"thead",
								{},
								h(
									"tr",
									{},
									h("th", { scope: "col" }, t("audit.col.seq")),
									h("th", { scope: "col" }, t("audit.col.when")),
									h("th", { scope: "col" }, t("audit.col.actor")),
									h("th", { scope: "col" }, t("audit.col.action")),
									h("th", { scope: "col" }, t("audit.col.entity")),
								),
							),
							h("tbody", {}, page.items.map(row)),
						),
			);
		} catch (error) {
			replace(
				table,
				errorBox(error, () => void load()),
			);
		}
	}

	replace(
		container,
		h("div", { class: "page-head" }, h("h1", { class: "page-title" }, t("audit.title")), verifyButton),
		verification,
		table,
	);
	void load();
	return { destroy() {} };
}
