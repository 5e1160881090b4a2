import { expect } from "vitest";
import { type CaseFile, completedElements, hours, type ScenarioPlatform } from "./harness";

/**
 * domain.md §5.4 C1 — shop theft in flagrante at Olaya (P1 → P2 → P3 → P4 → P5 in case-lifecycle): the store
 * manager (P05) calls 911, the patrol arrests P03 at 22:30, statement and two phones seized (E01, RECOVERED,
 * SAR 7,800); next day 10:00 the investigator's written order arrives and P03 is released on undertaking — the
 * 24 h clock is cancelled, no breach escalates; the PP dismisses (PRIVATE_RIGHT_WAIVED) and E01 is returned.
 */
export async function scenarioC1(p: ScenarioPlatform): Promise<void> {
	await p.clock.pin("2025-09-02T22:10:00+03:00");
	await p.createUser(
		"evidence.olaya",
		["officer"],
		["RUH-OLY", "criminal-evidence-officer:RUH-OLY", "evidence-custodian:RUH-OLY"],
	);
	await p.createUser("patrol.olaya", ["officer"], ["RUH-OLY", "patrol-unit:RUH-OLY"]);
	const lifecycle = await p.start("officer.olaya", "case-lifecycle", {
		unitCode: "RUH-OLY",
		channel: "911",
		reportedAt: "2025-09-02T22:10:00+03:00",
		reporterNationalId: "2000000212",
		reporterPhone: "+966561234567",
		categoryCode: "THEFT",
		offenceCode: "THF-001",
		inFlagrante: true,
		ongoingDanger: false,
		weaponInvolved: false,
		injuries: false,
		juvenileInvolved: false,
		location: { district: "العليا", street: "شارع العليا" },
		statementParties: [{ role: "COMPLAINANT", nationalId: "2000000212" }],
	});

	// P1: the duty desk reviews, the shift supervisor approves; the case number is issued.
	const review = await p.task("officer.olaya", { elementId: "Task_ReviewReport" });
	expect(review.candidateGroups).toEqual(["duty-desk-officer:RUH-OLY"]);
	await p.complete(
		"officer.olaya",
		{ elementId: "Task_ReviewReport", processInstanceKey: review.processInstanceKey },
		{
			reportSummary: "مدير المتجر أبلغ عن عميل يغادر بهاتفين لم يدفع ثمنهما",
			categoryCode: "THEFT",
			offenceCode: "THF-001",
			incidentAt: "2025-09-02T22:10:00+03:00",
			locationDescription: "متجر هواتف، شارع العليا",
			inFlagrante: true,
		},
	);
	await p.complete(
		"supervisor.olaya",
		{ elementId: "Task_ApproveReport", processInstanceKey: review.processInstanceKey },
		{ reportApproved: true },
	);

	// P2: scene, statement, seizure, arrest in flagrante at 22:30.
	const scene = await p.task("officer.olaya", {
		elementId: "Task_AttendScene",
		processDefinitionId: "criminal-inquiry",
	});
	const caseNumber = scene.caseNumber as string;
	expect(caseNumber).toMatch(/^RUH-OLY-1447-\d{6}-\d$/);
	await p.clock.pin("2025-09-02T22:30:00+03:00");
	await p.complete(
		"officer.olaya",
		{ elementId: "Task_AttendScene", caseNumber },
		{
			arrivedAt: "2025-09-02T22:25:00+03:00",
			sceneDescription: "ضُبط المشتبه به عند باب المتجر ومعه هاتفان",
			tracesPreserved: true,
		},
	);
	await p.complete(
		"officer.olaya",
		{ elementId: "Task_TakeStatements", caseNumber },
		{
			partyRole: "COMPLAINANT",
			partyNationalId: "2000000212",
			statementGivenAt: "2025-09-02T23:05:00+03:00",
			statementText: "أفاد مدير المتجر بأن الهاتفين من بضاعة المتجر",
		},
	);
	await p.complete(
		"officer.olaya",
		{ elementId: "Task_CollectEvidence", caseNumber },
		{
			seizedItems: [
				{
					descriptionAr: "هاتفان محمولان",
					itemType: "PHYSICAL",
					quantity: 2,
					estimatedValueSar: 7800,
					lossType: "RECOVERED",
				},
			],
			labRequested: false,
		},
	);
	await p.complete(
		"officer.olaya",
		{ elementId: "Task_IdentifySuspect", caseNumber },
		{
			suspectIdentified: true,
			suspectNationalId: "1000000123",
			arrestRequired: true,
			arrestedAt: "2025-09-02T22:30:00+03:00",
		},
	);

	// P3: the custody clock runs beside the inquiry.
	await p.complete(
		"officer.olaya",
		{ elementId: "Task_HearStatement", caseNumber },
		{
			arresteeInformedOfReasons: true,
			statementSummary: "أنكر نية السرقة",
			exculpatoryFound: false,
		},
	);
	await p.complete(
		"investigator.riyadh",
		{ elementId: "Task_Transfer", caseNumber },
		{
			investigatorName: "المحقق ريم الدوسري",
			arrestRecordNumber: "OLY-AR-1447-0153",
			transferredAt: "2025-09-02T23:30:00+03:00",
		},
	);
	let file = await p.caseFile(caseNumber);
	const custodyId = `${caseNumber}/C01`;
	const evidenceId = `${caseNumber}/E01`;
	expect(file.custodyEpisodes).toMatchObject([
		{
			custodyNumber: custodyId,
			status: "HELD_BY_POLICE",
			inFlagrante: true,
			policeHoldDeadline: "2025-09-03T19:30:00.000Z",
		},
	]);
	expect(file.evidence).toMatchObject([
		{ evidenceNumber: evidenceId, lossType: "RECOVERED", valueSar: 7800, quantityValue: 2 },
	]);

	// P4: sealed and checked in.
	await p.complete(
		"evidence.olaya",
		{ elementId: "Task_Seal", caseNumber },
		{
			sealNo: "553201",
			itemDescriptionAr: "هاتفان محمولان في كيس مختوم",
			collectedAt: "2025-09-02T23:05:00+03:00",
			photosTaken: true,
		},
	);
	await p.complete(
		"evidence.olaya",
		{ elementId: "Task_CheckIn", caseNumber },
		{
			sealNo: "553201",
			sealIntact: true,
			storageLocationCode: "OLY-R1-S3",
			checkedInAt: "2025-09-02T23:40:00+03:00",
		},
	);

	// Next day 10:00: the investigator's written order, then release on undertaking.
	await p.clock.pin("2025-09-03T10:00:00+03:00");
	await p.publish("InvestigatorCustodyOrder", custodyId, { orderNumber: "PP-ORD-1447-0153" });
	await p.eventually(
		"the investigator's order on the custody record",
		async () => (await p.caseFile(caseNumber)).custodyEpisodes[0]?.status === "TRANSFERRED_TO_INVESTIGATOR",
	);
	await p.publish("ReleaseOrdered", custodyId, { releaseConditions: "UNDERTAKING" });
	const [custody] = await p.instancesWith("custodyId", custodyId, "custody-clock");
	const custodyEnd = await p.instanceEnded(custody!.processInstanceKey);
	expect(completedElements(custodyEnd)).toEqual(
		expect.arrayContaining(["Catch_InvestigatorOrder", "End_HoldOrdered", "End_ReleasedByOrder"]),
	);
	// Past the 24 h limit (22:30 next day) and beyond: nothing escalates any more.
	await p.clock.add(hours(14));
	await p.settle();
	const afterLimit = await p.instance(custody!.processInstanceKey);
	expect(afterLimit.elementInstances.map((element) => element.elementId)).not.toContain("Boundary_Hold24h");
	expect(await p.rows("select template from notification where template = 'staff-custody_limit_breach'")).toEqual([]);

	// Inquiry record, commander's approval, referral to the PP.
	await p.complete(
		"officer.olaya",
		{ elementId: "Task_PrepareRecord", caseNumber },
		{
			inquirySummary: "سرقة هاتفين من متجر في حالة تلبس، أعيد المسروق",
			finalOffenceCode: "THF-001",
			attachmentsComplete: true,
		},
	);
	await p.complete("supervisor.olaya", { elementId: "Task_CommanderReview", caseNumber }, { inquiryApproved: true });
	await p.eventually(
		"the case to be referred to the PP",
		async () => (await p.caseFile(caseNumber)).case.status === "REFERRED_TO_PP",
	);

	// PP: dismissal after the store's waiver; the victim is told; E01 goes back to its owner.
	await p.publish("PPDecision", caseNumber, { ppDecision: "DISMISS", reasonCode: "PRIVATE_RIGHT_WAIVED" });
	await p.complete(
		"investigator.riyadh",
		{ elementId: "Task_NotifyVictim", caseNumber },
		{
			notificationMethod: "SMS",
			notifiedAt: "2025-09-04T09:00:00+03:00",
			victimNotified: true,
		},
	);
	const lifecycleEnd = await p.instanceEnded(lifecycle);
	expect(completedElements(lifecycleEnd)).toContain("End_Dismissed");

	await p.publish("DispositionOrdered", evidenceId, { dispositionType: "RETURN", authority: "PUBLIC_PROSECUTION" });
	await p.complete(
		"supervisor.olaya",
		{ elementId: "Task_ApproveDisposition", caseNumber },
		{ dispositionType: "RETURN", dispositionApproved: true },
	);
	await p.complete(
		"evidence.olaya",
		{ elementId: "Task_HandOver", caseNumber },
		{
			ownerNationalId: "2000000212",
			ownerIdentityVerified: true,
			handedOverAt: "2025-09-05T11:00:00+03:00",
			receiptNumber: "OLY-RC-0153",
		},
	);
	const [evidence] = await p.instancesWith("evidenceId", evidenceId, "evidence-custody");
	expect(completedElements(await p.instanceEnded(evidence!.processInstanceKey))).toContain("End_Disposed");

	file = await p.caseFile(caseNumber);
	expect(file.case).toMatchObject({ caseNumber, status: "DISMISSED_BY_PP", dismissalReason: "PRIVATE_RIGHT_WAIVED" });
	// The PP's dismissal reaches every charge, with its reason.
	expect(file.charges.length).toBeGreaterThanOrEqual(1);
	for (const charge of file.charges) expect(charge).toMatchObject({ disposition: "DISMISSED", dismissalReason: "PRIVATE_RIGHT_WAIVED" });
	expect(file.custodyEpisodes).toMatchObject([
		{ status: "RELEASED", releaseConditions: "UNDERTAKING", releasedAt: "2025-09-03T07:00:00.000Z" },
	]);
	// The investigator's order and the release are on the episode's record.
	expect(file.detentionOrders).toMatchObject([
		{ kind: "HOLD_ORDER", authority: "INVESTIGATOR", orderNumber: "PP-ORD-1447-0153", orderedAt: "2025-09-03T07:00:00.000Z" },
		{ kind: "RELEASE", orderedAt: "2025-09-03T07:00:00.000Z" },
	]);
	expect(file.evidence).toMatchObject([{ evidenceNumber: evidenceId, status: "RETURNED_TO_OWNER" }]);
	expectTimeline(file, {
		"case-lifecycle": "COMPLETED",
		"custody-clock": "COMPLETED",
		"evidence-custody": "COMPLETED",
	});
}

/** Every process instance of the case that the map names is in the given state, and none has an incident. */
export function expectTimeline(file: CaseFile, states: Record<string, string>): void {
	for (const [processId, state] of Object.entries(states)) {
		const instances = file.timeline.processInstances.filter((instance) => instance.processDefinitionId === processId);
		expect(instances.length, `${processId} instances of ${file.case.caseNumber}`).toBeGreaterThan(0);
		for (const instance of instances)
			expect(instance, `${processId} ${instance.processInstanceKey}`).toMatchObject({ state, hasIncident: false });
	}
}
