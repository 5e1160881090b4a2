import { expect } from "vitest";
import { expectTimeline } from "./c1-shop-theft";
import { completedElements, type ScenarioPlatform, variableOf } from "./harness";

/**
 * domain.md §5.4 C3 — P04 (Pakistani) arrested in As-Suwaidi with 12.4 g of methamphetamine (DRG-020, a major
 * crime) and a phone. Detention: initial order to 1447-03-15, branch head's extension to 1447-04-20 (40 days), an
 * AG extension of 45 days refused by `detention-extension-authority`, one of 30 days accepted; indicted 2025-10-23
 * (custody passes to the court); convicted with prison and deportation on 2025-12-23, copy handed over on 12-25,
 * objection on day 20, the appeal court upholds, `JudgmentFinal`: criminal record, deportation request, execution.
 */
export async function scenarioC3(p: ScenarioPlatform): Promise<void> {
	await p.clock.pin("2025-09-02T23:50:00+03:00");
	await p.createUser(
		"officer.suwaidi",
		["officer"],
		["RUH-SWD", "duty-desk-officer:RUH-SWD", "investigation-officer:RUH-SWD"],
	);
	await p.createUser(
		"supervisor.suwaidi",
		["supervisor"],
		["RUH-SWD", "shift-supervisor:RUH-SWD", "station-commander:RUH-SWD"],
	);
	await p.createUser("liaison.suwaidi", ["investigator"], ["RUH-PP", "prosecution-liaison:RUH-SWD"]);
	await p.createUser(
		"detention.suwaidi",
		["officer"],
		["RUH-SWD", "detention-officer:RUH-SWD", "transport-unit:RUH-SWD"],
	);
	const lifecycle = await p.start("officer.suwaidi", "case-lifecycle", {
		unitCode: "RUH-SWD",
		channel: "PATROL",
		reportedAt: "2025-09-02T23:50:00+03:00",
		reporterNationalId: "1000000107",
		categoryCode: "NARCOTICS",
		offenceCode: "DRG-020",
		inFlagrante: true,
		location: { district: "السويدي" },
	});
	const review = await p.task("officer.suwaidi", { elementId: "Task_ReviewReport" });
	await p.complete(
		"officer.suwaidi",
		{ elementId: "Task_ReviewReport", processInstanceKey: review.processInstanceKey },
		{
			reportSummary: "ضبط مادة يشتبه أنها الشبو مع مقيم أثناء دورية",
			categoryCode: "NARCOTICS",
			offenceCode: "DRG-020",
			incidentAt: "2025-09-02T23:45:00+03:00",
			locationDescription: "حي السويدي",
			inFlagrante: true,
		},
	);
	await p.complete(
		"supervisor.suwaidi",
		{ elementId: "Task_ApproveReport", processInstanceKey: review.processInstanceKey },
		{ reportApproved: true },
	);
	const scene = await p.task("officer.suwaidi", {
		elementId: "Task_AttendScene",
		processDefinitionId: "criminal-inquiry",
	});
	const caseNumber = scene.caseNumber as string;
	expect(caseNumber).toMatch(/^RUH-SWD-1447-\d{6}-\d$/);
	expect(variableOf(await p.instance(scene.processInstanceKey), "offence")).toMatchObject({ majorCrime: true });
	await p.complete(
		"officer.suwaidi",
		{ elementId: "Task_AttendScene", caseNumber },
		{
			arrivedAt: "2025-09-02T23:45:00+03:00",
			sceneDescription: "ضبط كيس بلوري وهاتف مع المشتبه به",
		},
	);
	await p.complete(
		"officer.suwaidi",
		{ elementId: "Task_CollectEvidence", caseNumber },
		{
			seizedItems: [
				{ descriptionAr: "مادة بلورية يشتبه أنها الشبو", itemType: "DRUGS", quantity: 12.4, quantityUnit: "g" },
				{ descriptionAr: "هاتف محمول", itemType: "DIGITAL", quantity: 1 },
			],
			labRequested: false,
		},
	);
	await p.complete(
		"officer.suwaidi",
		{ elementId: "Task_IdentifySuspect", caseNumber },
		{
			suspectIdentified: true,
			suspectNationalId: "2000000204",
			arrestRequired: true,
			arrestedAt: "2025-09-02T23:45:00+03:00",
		},
	);
	const custodyId = `${caseNumber}/C01`;
	await p.complete(
		"officer.suwaidi",
		{ elementId: "Task_HearStatement", caseNumber },
		{
			arresteeInformedOfReasons: true,
			interpreterUsed: true,
			statementSummary: "أنكر علمه بمحتوى الكيس",
		},
	);
	await p.complete(
		"liaison.suwaidi",
		{ elementId: "Task_Transfer", caseNumber },
		{
			investigatorName: "محقق النيابة",
			arrestRecordNumber: "SWD-AR-1447-0201",
			transferredAt: "2025-09-03T08:00:00+03:00",
		},
	);
	const [custody] = await p.instancesWith("custodyId", custodyId, "custody-clock");
	const custodyKey = custody!.processInstanceKey;
	const expiry = async () => variableOf(await p.instance(custodyKey), "detentionExpiresAt");

	// Detention order to 1447-03-15, then the extensions.
	await p.publish("InvestigatorCustodyOrder", custodyId, { orderNumber: "PP-SWD-1447-0201" });
	await p.publish("DetentionOrderIssued", custodyId, { detentionExpiresAt: "2025-09-07T23:45:00+03:00" });
	await p.eventually("the 5-day detention", async () => (await expiry()) === "2025-09-07T23:45:00+03:00");
	await p.publish("DetentionExtended", custodyId, { newExpiry: "2025-10-12T23:45:00+03:00", authority: "BRANCH_HEAD" });
	await p.eventually(
		"the branch head's extension to 1447-04-20",
		async () => (await expiry()) === "2025-10-12T23:45:00+03:00",
	);
	await p.publish("DetentionExtended", custodyId, {
		newExpiry: "2025-11-26T23:45:00+03:00",
		authority: "ATTORNEY_GENERAL",
	});
	await p.eventually(
		"the 45-day AG extension to be refused",
		async () =>
			(
				await p.rows(
					"select 1 from notification where template = 'staff-extension_not_authorised' and payload->>'custodyId' = $1",
					[custodyId],
				)
			).length === 1,
	);
	await p.settle();
	expect(await expiry()).toBe("2025-10-12T23:45:00+03:00");
	expect(variableOf(await p.instance(custodyKey), "extensionAuthority")).toMatchObject({ allowed: false });
	await p.publish("DetentionExtended", custodyId, {
		newExpiry: "2025-11-11T23:45:00+03:00",
		authority: "ATTORNEY_GENERAL",
	});
	await p.eventually("the 30-day AG extension", async () => (await expiry()) === "2025-11-11T23:45:00+03:00");

	// Inquiry record, referral, indictment on 2025-10-23; custody passes to the court.
	await p.clock.pin("2025-10-20T10:00:00+03:00");
	await p.complete(
		"officer.suwaidi",
		{ elementId: "Task_PrepareRecord", caseNumber },
		{
			inquirySummary: "حيازة 12.4 غرام من الميثامفيتامين",
			finalOffenceCode: "DRG-020",
			attachmentsComplete: true,
		},
	);
	await p.complete("supervisor.suwaidi", { elementId: "Task_CommanderReview", caseNumber }, { inquiryApproved: true });
	await p.caseStatus(caseNumber, "REFERRED_TO_PP");
	await p.clock.pin("2025-10-23T11:00:00+03:00");
	const courtCaseNumber = "CRT-RUH-1447-004512";
	await p.publish("PPDecision", caseNumber, { ppDecision: "INDICT", courtCaseNumber });
	await p.publish("ReferredToCourtInCustody", custodyId, { courtCaseNumber });
	expect(completedElements(await p.instanceEnded(custodyKey))).toContain("End_ReferredToCourt");
	await p.caseStatus(caseNumber, "IN_TRIAL");

	// A hearing: the detainee is produced.
	await p.publish("HearingScheduled", courtCaseNumber, { hearingAt: "2025-11-20T09:00:00+03:00" });
	await p.complete("detention.suwaidi", { elementId: "Task_ProduceDetainee", caseNumber }, { detaineeProduced: true });

	// Judgment 2025-12-23: convicted, prison and deportation; copy handed over on 12-25.
	await p.clock.pin("2025-12-23T12:00:00+03:00");
	const accused = (await p.caseFile(caseNumber)).parties.find((party) => party.role === "SUSPECT") as {
		person: string | { id: string };
	};
	const accusedPersonId = typeof accused.person === "string" ? accused.person : accused.person.id;
	await p.publish("JudgmentIssued", courtCaseNumber, {
		judgmentPronouncedAt: "2025-12-23T12:00:00+03:00",
		verdict: "CONVICTED",
		sentenceTypes: ["PRISON", "DEPORTATION"],
		accusedDetained: true,
		accusedPersonId,
		nationality: "PK",
	});
	await p.clock.pin("2025-12-25T10:00:00+03:00");
	await p.complete(
		"detention.suwaidi",
		{ elementId: "Task_HandCopy", caseNumber },
		{
			judgmentDeedNumber: "SK-1447-77812",
			judgmentCopyReceivedAt: "2025-12-25T10:00:00+03:00",
			detaineeSignatureObtained: true,
		},
	);
	const [trial] = await p.instancesWith("courtCaseNumber", courtCaseNumber, "trial-tracking");
	await p.eventually(
		"the 30-day objection window",
		async () =>
			variableOf(await p.instance(trial!.processInstanceKey), "objectionDeadline") === "2026-01-24T10:00:00+03:00",
	);
	expect((await p.caseFile(caseNumber)).case.status).toBe("JUDGMENT_ISSUED");

	// Day 20: objection; the Court of Appeal upholds; the judgment becomes final.
	await p.clock.pin("2026-01-14T10:00:00+03:00");
	await p.publish("ObjectionFiled", courtCaseNumber, {});
	await p.caseStatus(caseNumber, "UNDER_APPEAL");
	await p.publish("AppealDecided", courtCaseNumber, { verdict: "CONVICTED", appealOutcome: "UPHELD" });
	await p.publish("JudgmentFinal", courtCaseNumber, {});
	await p.complete(
		"detention.suwaidi",
		{ elementId: "Task_ExecuteSentence", caseNumber },
		{
			executionType: "PRISON_HANDOVER",
			prisonFacilityCode: "RUH-PRISON-1",
			executedAt: "2026-01-20T09:00:00+03:00",
		},
	);
	expect(completedElements(await p.instanceEnded(trial!.processInstanceKey))).toEqual(
		expect.arrayContaining([
			"Catch_Objection",
			"Task_AwaitAppeal",
			"Task_AwaitFinal",
			"Task_CriminalRecord",
			"Task_Deport",
			"Task_ExecuteSentence",
		]),
	);
	expect(completedElements(await p.instanceEnded(lifecycle))).toContain("End_Closed");
	const deportation = await p.rows<{ payload: { deportationRequestId: string; nationality: string } }>(
		"select payload from notification where template = 'deportation-request' and payload->>'caseNumber' = $1",
		[caseNumber],
	);
	expect(deportation).toMatchObject([
		{ payload: { deportationRequestId: expect.stringMatching(/^DEP-1447-\d{6}$/), nationality: "PK" } },
	]);
	expect(
		await p.rows("select 1 from notification where recipient = 'criminal-records' and payload->>'caseNumber' = $1", [
			caseNumber,
		]),
	).toHaveLength(1);
	const file = await p.caseFile(caseNumber);
	expect(file.case.status).toBe("CLOSED");
	// The episode with its statutory caps (branch head 40 days, AG 180 days from the arrest), passed to the court and,
	// with the sentence executed, to prison;
	// and every order on it: the investigator's, the 5-day detention, the two lawful extensions (not the refused one).
	expect(file.custodyEpisodes).toMatchObject([
		{
			custodyNumber: custodyId,
			status: "CONVICTED_TRANSFERRED_TO_PRISON",
			arrestedAt: "2025-09-02T20:45:00.000Z",
			detentionExpiresAt: "2025-11-11T20:45:00.000Z",
			branchCapAt: "2025-10-12T20:45:00.000Z",
			attorneyGeneralCapAt: "2026-03-01T20:45:00.000Z",
		},
	]);
	expect(file.detentionOrders).toMatchObject([
		{ kind: "HOLD_ORDER", authority: "INVESTIGATOR", orderNumber: "PP-SWD-1447-0201" },
		{ kind: "INITIAL_DETENTION", authority: "INVESTIGATOR", expiresAt: "2025-09-07T20:45:00.000Z", cumulativeDays: 5 },
		{ kind: "EXTENSION", authority: "BRANCH_HEAD", expiresAt: "2025-10-12T20:45:00.000Z", cumulativeDays: 40 },
		{ kind: "EXTENSION", authority: "ATTORNEY_GENERAL", expiresAt: "2025-11-11T20:45:00.000Z", cumulativeDays: 70 },
	]);
	expect(file.evidence).toHaveLength(2);
	// The court's events are in the case file, per accused per charge, dated on the engine's clock.
	expect(file.hearings).toMatchObject([{ scheduledAt: "2025-11-20T06:00:00.000Z", courtCaseNumber }]);
	expect(file.charges.length).toBeGreaterThanOrEqual(1);
	expect(file.charges.every((charge) => charge.disposition === "FINAL")).toBe(true);
	const firstInstance = file.judgments.filter((judgment) => judgment.level === "FIRST_INSTANCE");
	const onAppeal = file.judgments.filter((judgment) => judgment.level === "APPEAL");
	expect(firstInstance).toHaveLength(file.charges.length);
	expect(onAppeal).toHaveLength(file.charges.length);
	for (const judgment of onAppeal) expect(judgment).toMatchObject({ outcome: "CONVICTED", final: true });
	for (const judgment of firstInstance) {
		expect(judgment).toMatchObject({
			level: "FIRST_INSTANCE",
			outcome: "CONVICTED",
			sentence: { deportation: true, other: "PRISON" },
			pronouncedAt: "2025-12-23T09:00:00.000Z",
			deedNumber: "SK-1447-77812",
			copyReceivedAt: "2025-12-25T07:00:00.000Z",
			appealDeadline: "2026-01-24T07:00:00.000Z",
			mandatoryReview: false,
			final: true,
		});
	}
	expect(file.appeals).toHaveLength(firstInstance.length);
	for (const appeal of file.appeals) {
		expect(appeal).toMatchObject({
			appellant: "ACCUSED",
			kind: "APPEAL",
			status: "UPHELD",
			filedAt: expect.stringMatching(/^2026-01-14T07:00:0/),
		});
	}
	expectTimeline(file, { "case-lifecycle": "COMPLETED", "trial-tracking": "COMPLETED", "custody-clock": "COMPLETED" });
}
