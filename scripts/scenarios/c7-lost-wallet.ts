import { expect } from "vitest";
import { completedElements, days, type ScenarioPlatform, variableOf } from "./harness";

/**
 * domain.md §5.4 C7 — P02 reports a lost wallet (Saudi ID and bank cards) via Kollona Amn: case-lifecycle triages it
 * to the lost-property track, P7 issues an `MFQ-…` number, a certificate and a receipt SMS pointing to Absher for
 * the ID card; the weekly re-match runs on day 7 (nothing found yet); the wallet is registered as found at RUH-YSM
 * on day 9 (`ItemFound`), and the clerk hands it over after checking ownership.
 */
export async function scenarioC7(p: ScenarioPlatform): Promise<void> {
	const reportedAt = "2025-09-10T18:00:00+03:00";
	await p.clock.pin(reportedAt);
	await p.createUser("clerk.yasmin", ["officer"], ["RUH-YSM", "lost-found-clerk:RUH-YSM", "duty-desk-officer:RUH-YSM"]);
	await p.createUser(
		"supervisor.yasmin",
		["supervisor"],
		["RUH-YSM", "shift-supervisor:RUH-YSM", "station-commander:RUH-YSM"],
	);
	const lifecycle = await p.start("clerk.yasmin", "case-lifecycle", {
		unitCode: "RUH-YSM",
		channel: "KOLLONA_AMN",
		reportedAt,
		reporterNationalId: "1000000115",
		reporterPhone: "+966551234567",
		categoryCode: "LOST_ITEM",
		itemCategory: "WALLET",
		itemDescription: "محفظة جلد سوداء فيها بطاقة الهوية الوطنية وبطاقات بنكية",
		containsOfficialDocument: true,
		location: { district: "الياسمين", place: "الرياض بارك" },
	});
	const review = await p.task("clerk.yasmin", { elementId: "Task_ReviewReport" });
	await p.complete(
		"clerk.yasmin",
		{ elementId: "Task_ReviewReport", processInstanceKey: review.processInstanceKey },
		{
			reportSummary: "فقدان محفظة في الرياض بارك",
			categoryCode: "LOST_ITEM",
			incidentAt: "2025-09-10T16:00:00+03:00",
			locationDescription: "الرياض بارك",
		},
	);
	await p.complete(
		"supervisor.yasmin",
		{ elementId: "Task_ApproveReport", processInstanceKey: review.processInstanceKey },
		{ reportApproved: true },
	);

	const [lost] = await p.eventually("the lost-property instance", async () => {
		const found = await p.call<{
			items: Array<{ processInstanceKey: string; parentProcessInstanceKey: string | null }>;
		}>("admin", "POST", "/v2/process-instances/search", {
			filter: { processDefinitionId: "lost-property", parentProcessInstanceKey: lifecycle },
		});
		return found.items.length > 0 ? found.items : undefined;
	});
	const reportNumber = await p.eventually("the MFQ number", async () => {
		const value = variableOf(await p.instance(lost!.processInstanceKey), "retentionEndsAt");
		return value ? (variableOf(await p.instance(lost!.processInstanceKey), "caseNumber") as string) : undefined;
	});
	expect(reportNumber).toMatch(/^MFQ-1447-\d{6}$/);
	const instance = await p.instance(lost!.processInstanceKey);
	expect(variableOf(instance, "rematchCycle")).toBe("R/P7D");
	expect(variableOf(instance, "retentionEndsAt")).toBe("2025-12-09T18:00:00+03:00");
	expect(await p.rows("select document_type from worker_document where case_number = $1", [reportNumber])).toEqual([
		{ document_type: "LOST_REPORT_CERTIFICATE" },
	]);
	const sms = await p.rows<{ recipient: string; payload: { absherLink: boolean } }>(
		"select recipient, payload from notification where template = 'lost-report-receipt' and payload->>'caseNumber' = $1",
		[reportNumber],
	);
	expect(sms).toMatchObject([{ recipient: "+966551234567", payload: { absherLink: true } }]);

	// Day 7: the weekly re-match finds nothing yet.
	await p.clock.add(days(7));
	await p.eventually(
		"the day-7 re-match",
		async () => variableOf(await p.instance(lost!.processInstanceKey), "lastMatchAt") === "2025-09-17T18:00:00+03:00",
	);
	expect(variableOf(await p.instance(lost!.processInstanceKey), "foundItemId")).toBeUndefined();

	// Day 9: the wallet is registered as found at RUH-YSM; the clerk checks ownership and hands it over.
	await p.clock.add(days(2));
	await p.publish("ItemFound", reportNumber, { foundItemId: "RUH-YSM-FND-1447-0091", foundAtUnit: "RUH-YSM" });
	const handover = await p.task("clerk.yasmin", { elementId: "Task_VerifyOwnership", caseNumber: reportNumber });
	expect(handover.candidateGroups).toEqual(["lost-found-clerk:RUH-YSM"]);
	await p.complete(
		"clerk.yasmin",
		{ elementId: "Task_VerifyOwnership", caseNumber: reportNumber },
		{
			claimantNationalId: "1000000115",
			ownershipEvidence: "بطاقة الهوية داخل المحفظة تطابق هوية المبلّغة",
			ownershipConfirmed: true,
			handedOverAt: "2025-09-19T12:00:00+03:00",
		},
	);
	expect(completedElements(await p.instanceEnded(lost!.processInstanceKey))).toContain("End_HandedOver");
	expect(completedElements(await p.instanceEnded(lifecycle))).toContain("End_Lost");
}
