import { expect } from "vitest";
import { expectTimeline } from "./c1-shop-theft";
import { completedElements, days, type ScenarioPlatform, variableOf } from "./harness";

/**
 * domain.md §5.4 C4 — P07 reports online extortion via Kollona Amn: SECRET by default (officers cannot open the
 * file; the refusal is audited), the phone image is sealed with its SHA-256; P09 is identified and summoned, not
 * arrested; PP indicts; the court acquits for insufficient evidence; nobody objects within 30 days of the copy, so
 * the judgment becomes final, and the phone image is then destroyed before two witnesses.
 */
export async function scenarioC4(p: ScenarioPlatform): Promise<void> {
	await p.clock.pin("2025-10-01T20:00:00+03:00");
	await p.createUser(
		"officer.yasmin",
		["officer"],
		[
			"RUH-YSM",
			"duty-desk-officer:RUH-YSM",
			"investigation-officer:RUH-YSM",
			"criminal-evidence-officer:RUH-YSM",
			"evidence-custodian:RUH-YSM",
		],
	);
	await p.createUser(
		"commander.yasmin",
		["supervisor"],
		["RUH-YSM", "shift-supervisor:RUH-YSM", "station-commander:RUH-YSM"],
	);
	await p.createUser("liaison.yasmin", ["investigator"], ["RUH-PP", "prosecution-liaison:RUH-YSM"]);
	const lifecycle = await p.start("officer.yasmin", "case-lifecycle", {
		unitCode: "RUH-YSM",
		channel: "KOLLONA_AMN",
		reportedAt: "2025-10-01T20:00:00+03:00",
		reporterNationalId: "1000000149",
		reporterPhone: "+966531234567",
		categoryCode: "EXTORTION",
		offenceCode: "CYB-001",
		inFlagrante: false,
		location: { district: "الياسمين" },
		statementParties: [{ role: "VICTIM", nationalId: "1000000149" }],
	});
	const review = await p.task("officer.yasmin", { elementId: "Task_ReviewReport" });
	await p.complete(
		"officer.yasmin",
		{ elementId: "Task_ReviewReport", processInstanceKey: review.processInstanceKey },
		{
			reportSummary: "ابتزاز إلكتروني بصور خاصة عبر حساب مجهول",
			categoryCode: "EXTORTION",
			offenceCode: "CYB-001",
			incidentAt: "2025-09-28T21:00:00+03:00",
			locationDescription: "عبر الإنترنت",
		},
	);
	await p.complete(
		"commander.yasmin",
		{ elementId: "Task_ApproveReport", processInstanceKey: review.processInstanceKey },
		{ reportApproved: true },
	);
	const statement = await p.task("officer.yasmin", {
		elementId: "Task_TakeStatements",
		processDefinitionId: "criminal-inquiry",
	});
	const caseNumber = statement.caseNumber as string;
	expect(caseNumber).toMatch(/^RUH-YSM-1447-\d{6}-\d$/);

	// SECRET by default: the officer works the tasks but may not open the file, and the refusal is audited.
	await expect(p.caseFile(caseNumber, "officer.yasmin")).rejects.toThrow(/answered 403: .*classified SECRET/);
	const denied = await p.call<{ items: Array<{ action: string; username: string }> }>(
		"admin",
		"POST",
		"/v2/audit-logs/search",
		{
			filter: { caseNumber },
		},
	);
	expect(denied.items).toEqual(
		expect.arrayContaining([
			expect.objectContaining({ action: "CASE_FILE_READ_DENIED", actorUsername: "officer.yasmin" }),
		]),
	);

	await p.complete(
		"officer.yasmin",
		{ elementId: "Task_TakeStatements", caseNumber },
		{
			partyRole: "VICTIM",
			partyNationalId: "1000000149",
			statementGivenAt: "2025-10-01T20:30:00+03:00",
			statementText: "تلقيت رسائل تهديد بنشر صور خاصة ما لم أدفع مبلغاً",
		},
	);
	await p.complete(
		"officer.yasmin",
		{ elementId: "Task_CollectEvidence", caseNumber },
		{
			seizedItems: [{ descriptionAr: "نسخة جنائية من هاتف المجني عليها", itemType: "DIGITAL", quantity: 1 }],
			labRequested: false,
		},
	);
	const imageHash = "9f2c4b1d7e8a6f5c3b2a1908d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8";
	await p.complete(
		"officer.yasmin",
		{ elementId: "Task_Seal", caseNumber },
		{
			sealNo: "880147",
			itemDescriptionAr: "نسخة جنائية من هاتف المجني عليها على قرص مختوم",
			collectedAt: "2025-10-01T21:00:00+03:00",
			photosTaken: true,
			sha256: imageHash,
		},
	);
	await p.complete(
		"officer.yasmin",
		{ elementId: "Task_CheckIn", caseNumber },
		{
			sealNo: "880147",
			sealIntact: true,
			hashVerified: true,
			storageLocationCode: "YSM-DIG-02",
			checkedInAt: "2025-10-01T22:00:00+03:00",
		},
	);
	await p.complete(
		"officer.yasmin",
		{ elementId: "Task_IdentifySuspect", caseNumber },
		{
			suspectIdentified: true,
			suspectNationalId: "2000000220",
			arrestRequired: false,
		},
	);
	await p.complete(
		"officer.yasmin",
		{ elementId: "Task_Summon", caseNumber },
		{
			summonsDate: "2025-10-05T10:00:00+03:00",
			summonsDelivered: true,
		},
	);
	await p.complete(
		"officer.yasmin",
		{ elementId: "Task_PrepareRecord", caseNumber },
		{
			inquirySummary: "تحديد صاحب الحساب عبر طلب النيابة من المنصة، استدعي ولم يقبض عليه",
			finalOffenceCode: "CYB-001",
			attachmentsComplete: true,
		},
	);
	await p.complete("commander.yasmin", { elementId: "Task_CommanderReview", caseNumber }, { inquiryApproved: true });
	await p.caseStatus(caseNumber, "REFERRED_TO_PP");

	// Indicted; acquitted for insufficient evidence; not detained, so the copy arrives by message.
	const courtCaseNumber = "CRT-RUH-1447-005120";
	await p.clock.pin("2025-11-10T10:00:00+03:00");
	await p.publish("PPDecision", caseNumber, { ppDecision: "INDICT", courtCaseNumber });
	await p.caseStatus(caseNumber, "IN_TRIAL");
	await p.clock.pin("2026-01-12T12:00:00+03:00");
	await p.publish("JudgmentIssued", courtCaseNumber, {
		judgmentPronouncedAt: "2026-01-12T12:00:00+03:00",
		verdict: "ACQUITTED",
		sentenceTypes: [],
		accusedDetained: false,
		acquittalReason: "INSUFFICIENT_EVIDENCE",
	});
	await p.publish("JudgmentCopyReceived", courtCaseNumber, { judgmentCopyReceivedAt: "2026-01-13T10:00:00+03:00" });
	const [trial] = await p.instancesWith("courtCaseNumber", courtCaseNumber, "trial-tracking");
	await p.eventually(
		"the objection window",
		async () =>
			variableOf(await p.instance(trial!.processInstanceKey), "objectionDeadline") === "2026-02-12T10:00:00+03:00",
	);
	// No objection within 30 days: the acquittal becomes final; no criminal record, no execution task.
	await p.clock.add(days(31));
	const trialEnd = await p.instanceEnded(trial!.processInstanceKey);
	expect(completedElements(trialEnd)).toEqual(
		expect.arrayContaining(["Task_AwaitCopy", "Catch_WindowLapsed", "Task_StatusFinal", "End_Trial"]),
	);
	expect(completedElements(trialEnd)).not.toContain("Task_CriminalRecord");
	expect(completedElements(trialEnd)).not.toContain("Catch_Objection");
	expect(completedElements(await p.instanceEnded(lifecycle))).toContain("End_Closed");

	// After the final judgment the phone image is destroyed before two witnesses.
	const evidenceId = `${caseNumber}/E01`;
	await p.publish("DispositionOrdered", evidenceId, { dispositionType: "DESTROY", authority: "COURT" });
	await p.complete(
		"commander.yasmin",
		{ elementId: "Task_ApproveDisposition", caseNumber },
		{ dispositionType: "DESTROY", dispositionApproved: true },
	);
	await p.complete(
		"officer.yasmin",
		{ elementId: "Task_Destroy", caseNumber },
		{
			witness1NationalId: "1000000107",
			witness2NationalId: "1000000131",
			destructionMethod: "SHREDDING",
			destroyedAt: "2026-02-20T10:00:00+03:00",
			destructionRecordNumber: "YSM-DST-1447-0047",
		},
	);
	const [evidence] = await p.instancesWith("evidenceId", evidenceId, "evidence-custody");
	expect(completedElements(await p.instanceEnded(evidence!.processInstanceKey))).toContain("End_Disposed");

	const file = await p.caseFile(caseNumber, "commander.yasmin");
	expect(file.case).toMatchObject({ status: "CLOSED", classification: "SECRET" });
	expect(file.evidence).toMatchObject([
		{ evidenceNumber: evidenceId, digital: true, sha256: imageHash, sealNumber: "880147", status: "DESTROYED" },
	]);
	expect(file.custodyEpisodes).toEqual([]);
	// The acquittal, per charge, became final when the window lapsed; nobody objected.
	expect(file.charges.length).toBeGreaterThanOrEqual(1);
	expect(file.charges.every((charge) => charge.disposition === "FINAL")).toBe(true);
	expect(file.judgments).toHaveLength(file.charges.length);
	for (const judgment of file.judgments) {
		expect(judgment).toMatchObject({
			level: "FIRST_INSTANCE",
			outcome: "ACQUITTED",
			sentence: null,
			pronouncedAt: "2026-01-12T09:00:00.000Z",
			copyReceivedAt: "2026-01-13T07:00:00.000Z",
			appealDeadline: "2026-02-12T07:00:00.000Z",
			final: true,
		});
	}
	expect(file.appeals).toEqual([]);
	expectTimeline(file, {
		"case-lifecycle": "COMPLETED",
		"trial-tracking": "COMPLETED",
		"evidence-custody": "COMPLETED",
	});
}
