import { expect } from "vitest";
import { completedElements, type ScenarioPlatform, variableOf } from "./harness";

/**
 * domain.md §5.4 C6 — a collision on King Fahd Road, 2 injured: the report goes the TRAFFIC track, the traffic
 * officer's attendance feeds `accident-routing` (CRIMINAL, TRF-101), the driver P11 is arrested on suspicion of
 * intoxication, which starts custody-clock (P3) keyed by the new custodyId, and case-lifecycle continues with the
 * criminal inquiry (P2) on the same case number with the offence from the decision.
 */
export async function scenarioC6(p: ScenarioPlatform): Promise<void> {
	await p.clock.pin("2026-02-18T21:40:00+03:00");
	await p.createUser(
		"desk.traffic",
		["officer"],
		["RUH-TRF", "duty-desk-officer:RUH-TRF", "traffic-officer:RUH-TRF", "investigation-officer:RUH-TRF"],
	);
	await p.createUser("patrol.traffic", ["officer"], ["RUH-TRF", "patrol-unit:RUH-TRF"]);
	await p.createUser(
		"supervisor.traffic",
		["supervisor"],
		["RUH-TRF", "shift-supervisor:RUH-TRF", "station-commander:RUH-TRF"],
	);
	const lifecycle = await p.start("desk.traffic", "case-lifecycle", {
		unitCode: "RUH-TRF",
		channel: "911",
		reportedAt: "2026-02-18T21:40:00+03:00",
		reporterNationalId: "1000000131",
		reporterPhone: "+966541234567",
		categoryCode: "TRAFFIC_ACCIDENT",
		injuries: true,
		juvenileInvolved: false,
		location: { road: "طريق الملك فهد" },
	});
	// Injuries make it P1: a patrol is dispatched before the desk's review.
	const dispatch = await p.task("patrol.traffic", { elementId: "Task_DispatchPatrol" });
	await p.complete(
		"patrol.traffic",
		{ elementId: "Task_DispatchPatrol", processInstanceKey: dispatch.processInstanceKey },
		{
			patrolUnitCode: "TRF-P-17",
			dispatchedAt: "2026-02-18T21:42:00+03:00",
			arrivalEtaMinutes: 8,
		},
	);
	await p.complete(
		"desk.traffic",
		{ elementId: "Task_ReviewReport", processInstanceKey: dispatch.processInstanceKey },
		{
			reportSummary: "تصادم مركبتين على طريق الملك فهد، مصابان",
			categoryCode: "TRAFFIC_ACCIDENT",
			incidentAt: "2026-02-18T21:40:00+03:00",
			locationDescription: "طريق الملك فهد",
			injuries: true,
		},
	);
	await p.complete(
		"supervisor.traffic",
		{ elementId: "Task_ApproveReport", processInstanceKey: dispatch.processInstanceKey },
		{ reportApproved: true },
	);

	const attend = await p.task("desk.traffic", {
		elementId: "Task_AttendAccident",
		processDefinitionId: "traffic-case",
	});
	const caseNumber = attend.caseNumber as string;
	expect(caseNumber).toMatch(/^RUH-TRF-1447-\d{6}-\d$/);
	await p.complete(
		"desk.traffic",
		{ elementId: "Task_AttendAccident", caseNumber },
		{
			accidentAt: "2026-02-18T21:40:00+03:00",
			deathsCount: 0,
			injuriesCount: 2,
			intoxicationSuspected: true,
			sketchAttached: true,
			driverArrested: true,
			driverNationalId: "1000000164",
			driverArrestedAt: "2026-02-18T22:05:00+03:00",
		},
	);

	// P3 starts on PersonArrested with the new custodyId; P2 starts on the same case with TRF-101.
	const custodyId = `${caseNumber}/C01`;
	const [custody] = await p.eventually("custody-clock of the driver", async () => {
		const found = await p.instancesWith("custodyId", custodyId, "custody-clock");
		return found.length ? found : undefined;
	});
	const custodyInstance = await p.instance(custody!.processInstanceKey);
	expect(variableOf(custodyInstance, "caseNumber")).toBe(caseNumber);
	expect(variableOf(custodyInstance, "arrestedAt")).toBe("2026-02-18T22:05:00+03:00");
	const inquiry = await p.task("desk.traffic", {
		elementId: "Task_CollectEvidence",
		processDefinitionId: "criminal-inquiry",
		caseNumber,
	});
	const inquiryInstance = await p.instance(inquiry.processInstanceKey);
	expect(variableOf(inquiryInstance, "offenceCode")).toBe("TRF-101");
	expect(variableOf(inquiryInstance, "accidentRoute")).toMatchObject({ route: "CRIMINAL", offenceCode: "TRF-101" });
	const traffic = (await p.instancesWith("caseNumber", caseNumber, "traffic-case"))[0]!;
	expect(completedElements(await p.instanceEnded(traffic.processInstanceKey))).toEqual(
		expect.arrayContaining(["Task_AccidentRouting", "Throw_Arrest", "End_Criminal"]),
	);
	const file = await p.caseFile(caseNumber);
	expect(file.custodyEpisodes).toMatchObject([
		{ custodyNumber: custodyId, status: "HELD_BY_POLICE", inFlagrante: true },
	]);
	expect(file.parties).toEqual(expect.arrayContaining([expect.objectContaining({ role: "SUSPECT" })]));
	expect((await p.instance(lifecycle)).state).toBe("ACTIVE");

	// No written order comes: warnings at 12 h and 20 h, at 24 h the breach is escalated and the commander releases.
	await p.complete(
		"desk.traffic",
		{ elementId: "Task_HearStatement", caseNumber },
		{
			arresteeInformedOfReasons: true,
			statementSummary: "أفاد بأنه لم يتناول مسكراً",
		},
	);
	await p.createUser("liaison.traffic", ["investigator"], ["RUH-PP", "prosecution-liaison:RUH-TRF"]);
	await p.complete(
		"liaison.traffic",
		{ elementId: "Task_Transfer", caseNumber },
		{
			investigatorName: "محقق النيابة المناوب",
			arrestRecordNumber: "TRF-AR-1447-0912",
			transferredAt: "2026-02-18T23:30:00+03:00",
		},
	);
	await p.clock.pin("2026-02-19T22:05:00+03:00");
	const releaseTask = await p.task("supervisor.traffic", { elementId: "Task_ReleaseUnlessOrder", caseNumber });
	expect(releaseTask.candidateGroups).toEqual(["station-commander:RUH-TRF"]);
	const staffAlerts = await p.rows<{ recipient: string; template: string }>(
		"select recipient, template from notification where payload->>'custodyId' = $1 and channel = 'INTERNAL' order by template",
		[custodyId],
	);
	expect(staffAlerts).toEqual(
		expect.arrayContaining([
			{ recipient: "investigation-officer:RUH-TRF", template: "staff-custody_12h_warning" },
			{ recipient: "station-commander:RUH-TRF", template: "staff-custody_20h_warning" },
			{ recipient: "legal-compliance:RUH-TRF", template: "staff-custody_limit_breach" },
		]),
	);
	await p.complete(
		"supervisor.traffic",
		{ elementId: "Task_ReleaseUnlessOrder", caseNumber },
		{
			writtenOrderReceived: false,
			releaseNotes: "لم يرد أمر مكتوب خلال 24 ساعة",
		},
	);
	expect(completedElements(await p.instanceEnded(custody!.processInstanceKey))).toEqual(
		expect.arrayContaining(["Boundary_Hold24h", "Throw_CustodyBreach", "Task_Release24h", "End_Released24h"]),
	);
	expect((await p.caseFile(caseNumber)).custodyEpisodes).toMatchObject([
		{ custodyNumber: custodyId, status: "RELEASED", releasedAt: "2026-02-19T19:05:00.000Z" },
	]);
}
