import { expect } from "vitest";
import { days, type ScenarioPlatform, variableOf } from "./harness";

/**
 * domain.md §5.4 C2 — P06's Camry is stolen in An-Nasim; no suspect, so the case is suspended against an unknown
 * offender with a 30-day review cycle (the review task appears after 30 days); on 2025-12-03 the car is found and
 * `NewEvidence` reopens the case with a lab request; `LabResultReceived` 10 days later finds no match and the
 * case is suspended again.
 */
export async function scenarioC2(p: ScenarioPlatform): Promise<void> {
	await p.clock.pin("2025-09-24T08:00:00+03:00");
	await p.createUser(
		"officer.nasim",
		["officer"],
		["RUH-NSM", "duty-desk-officer:RUH-NSM", "investigation-officer:RUH-NSM"],
	);
	await p.createUser(
		"supervisor.nasim",
		["supervisor"],
		["RUH-NSM", "shift-supervisor:RUH-NSM", "station-commander:RUH-NSM"],
	);
	await p.start("officer.nasim", "case-lifecycle", {
		unitCode: "RUH-NSM",
		channel: "DESK",
		reportedAt: "2025-09-24T08:00:00+03:00",
		reporterNationalId: "1000000131",
		reporterPhone: "+966541234567",
		categoryCode: "THEFT",
		offenceCode: "THF-010",
		inFlagrante: false,
		location: { district: "النسيم" },
		statementParties: [{ role: "COMPLAINANT", nationalId: "1000000131" }],
	});
	const review = await p.task("officer.nasim", { elementId: "Task_ReviewReport" });
	await p.complete(
		"officer.nasim",
		{ elementId: "Task_ReviewReport", processInstanceKey: review.processInstanceKey },
		{
			reportSummary: "سرقة سيارة تويوتا كامري لوحة ر س ط 4581 من أمام المنزل",
			categoryCode: "THEFT",
			offenceCode: "THF-010",
			incidentAt: "2025-09-24T02:00:00+03:00",
			locationDescription: "أمام منزل المبلّغ، حي النسيم",
		},
	);
	await p.complete(
		"supervisor.nasim",
		{ elementId: "Task_ApproveReport", processInstanceKey: review.processInstanceKey },
		{ reportApproved: true },
	);
	const statement = await p.task("officer.nasim", {
		elementId: "Task_TakeStatements",
		processDefinitionId: "criminal-inquiry",
	});
	const caseNumber = statement.caseNumber as string;
	expect(caseNumber).toMatch(/^RUH-NSM-1447-\d{6}-\d$/);
	await p.complete(
		"officer.nasim",
		{ elementId: "Task_TakeStatements", caseNumber },
		{
			partyRole: "COMPLAINANT",
			partyNationalId: "1000000131",
			statementGivenAt: "2025-09-24T08:30:00+03:00",
			statementText: "أوقفت سيارتي أمام المنزل ليلاً ولم أجدها صباحاً",
		},
	);
	await p.complete("officer.nasim", { elementId: "Task_CollectEvidence", caseNumber }, { labRequested: false });
	await p.complete(
		"officer.nasim",
		{ elementId: "Task_IdentifySuspect", caseNumber },
		{
			suspectIdentified: false,
			suspectNationalId: "1000000131",
		},
	);
	await p.caseStatus(caseNumber, "SUSPENDED_UNKNOWN_OFFENDER");
	const inquiryKey = statement.processInstanceKey;
	expect(variableOf(await p.instance(inquiryKey), "reviewCycle")).toBe("R/P30D");

	// 30 days later the periodic review falls due.
	await p.clock.add(days(30));
	await p.complete(
		"officer.nasim",
		{ elementId: "Task_PeriodicReview", caseNumber },
		{
			reviewNotes: "لا مستجدات، تعميم اللوحة مستمر",
			newLeads: false,
		},
	);

	// 2025-12-03: the car is found abandoned near the Eastern Ring Road; the fingerprints go to the lab.
	await p.clock.pin("2025-12-03T09:00:00+03:00");
	await p.publish("NewEvidence", caseNumber, {
		labRequested: true,
		labRequestNotes: "رفع البصمات من السيارة المعثور عليها قرب الدائري الشرقي",
	});
	const labRequestId = await p.eventually("the lab request", async () => {
		const instance = await p.instance(inquiryKey);
		return variableOf(instance, "labRequestId") as string | undefined;
	});
	expect(labRequestId).toMatch(/^LAB-1447-\d{6}$/);
	expect((await p.caseFile(caseNumber)).case.status).toBe("UNDER_INQUIRY");
	expect(
		await p.rows("select channel from notification where payload->>'labRequestId' = $1", [labRequestId]),
	).toHaveLength(1);

	// 10 days later: no match; nobody identified, so the case is suspended again and the cycle restarts.
	await p.clock.add(days(10));
	await p.publish("LabResultReceived", labRequestId, { labResult: "NO_MATCH" });
	await p.complete(
		"officer.nasim",
		{ elementId: "Task_IdentifySuspect", caseNumber },
		{
			suspectIdentified: false,
			suspectNationalId: "1000000131",
		},
	);
	await p.caseStatus(caseNumber, "SUSPENDED_UNKNOWN_OFFENDER");
	const inquiry = await p.instance(inquiryKey);
	expect(
		inquiry.elementInstances.filter((element) => element.elementId === "Task_Reopen" && element.state === "COMPLETED"),
	).toHaveLength(1);
	expect(
		inquiry.elementInstances.filter((element) => element.elementId === "Task_Suspend" && element.state === "COMPLETED"),
	).toHaveLength(2);
	expect(
		inquiry.elementInstances.some(
			(element) => element.elementId === "Task_AwaitNewEvidence" && element.state === "ACTIVE",
		),
	).toBe(true);
}
