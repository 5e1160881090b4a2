import { expect } from "vitest";
import { expectTimeline } from "./c1-shop-theft";
import { completedElements, type ScenarioPlatform } from "./harness";

/**
 * domain.md §5.4 C5 — a fight at a school in Al-Malaz involving P08 (16): simple assault (ASL-001, complaint
 * required). The juvenile flag makes the case SECRET (officers may not open the file), the guardian P06 is told
 * by SMS, the inquiry record is generated with the "سري" marking, and the victim's father withdraws the complaint
 * (`ComplaintWithdrawn`): the case closes by waiver.
 */
export async function scenarioC5(p: ScenarioPlatform): Promise<void> {
	await p.clock.pin("2025-10-05T10:30:00+03:00");
	await p.createUser(
		"supervisor.malaz",
		["supervisor"],
		["RUH-MLZ", "shift-supervisor:RUH-MLZ", "station-commander:RUH-MLZ"],
	);
	const lifecycle = await p.start("officer.malaz", "case-lifecycle", {
		unitCode: "RUH-MLZ",
		channel: "DESK",
		reportedAt: "2025-10-05T10:30:00+03:00",
		reporterNationalId: "1000000107",
		reporterPhone: "+966501234567",
		categoryCode: "ASSAULT",
		offenceCode: "ASL-001",
		inFlagrante: false,
		injuries: true,
		juvenileInvolved: true,
		guardianMobile: "+966541234567",
		location: { district: "الملز", place: "مدرسة متوسطة" },
		statementParties: [{ role: "VICTIM" }],
	});
	const review = await p.task("officer.malaz", { elementId: "Task_ReviewReport" });
	await p.complete(
		"officer.malaz",
		{ elementId: "Task_ReviewReport", processInstanceKey: review.processInstanceKey },
		{
			reportSummary: "مشاجرة في مدرسة، إصابة بسيطة لطالب يشفى خلال 3 أيام",
			categoryCode: "ASSAULT",
			offenceCode: "ASL-001",
			incidentAt: "2025-10-05T09:45:00+03:00",
			locationDescription: "مدرسة متوسطة، حي الملز",
			injuries: true,
			juvenileInvolved: true,
		},
	);
	await p.complete(
		"supervisor.malaz",
		{ elementId: "Task_ApproveReport", processInstanceKey: review.processInstanceKey },
		{ reportApproved: true },
	);

	const statement = await p.task("officer.malaz", {
		elementId: "Task_TakeStatements",
		processDefinitionId: "criminal-inquiry",
	});
	const caseNumber = statement.caseNumber as string;
	expect(caseNumber).toMatch(/^RUH-MLZ-1447-\d{6}-\d$/);
	// SECRET: the officer may work the tasks but not open the file; the supervisor may.
	await expect(p.caseFile(caseNumber, "officer.malaz")).rejects.toThrow(/answered 403: .*classified SECRET/);
	expect((await p.caseFile(caseNumber, "supervisor.malaz")).case.classification).toBe("SECRET");
	expect(
		await p.rows(
			"select recipient from notification where template = 'guardian-notice' and payload->>'caseNumber' = $1",
			[caseNumber],
		),
	).toEqual([{ recipient: "+966541234567" }]);

	await p.complete(
		"officer.malaz",
		{ elementId: "Task_TakeStatements", caseNumber },
		{
			partyRole: "VICTIM",
			statementGivenAt: "2025-10-05T11:30:00+03:00",
			statementText: "أفاد الطالب بأنه تعرض للضرب أثناء الفسحة",
		},
	);
	await p.complete("officer.malaz", { elementId: "Task_CollectEvidence", caseNumber }, { labRequested: false });
	await p.complete(
		"officer.malaz",
		{ elementId: "Task_IdentifySuspect", caseNumber },
		{
			suspectIdentified: true,
			suspectNationalId: "1000000156",
			arrestRequired: false,
		},
	);
	await p.complete(
		"officer.malaz",
		{ elementId: "Task_Summon", caseNumber },
		{
			summonsDate: "2025-10-06T09:00:00+03:00",
			summonsDelivered: true,
			summonsNotes: "استدعاء بحضور ولي الأمر",
		},
	);
	await p.complete(
		"officer.malaz",
		{ elementId: "Task_PrepareRecord", caseNumber },
		{
			inquirySummary: "اعتداء بسيط بين طالبين، الإصابة تشفى خلال 3 أيام",
			finalOffenceCode: "ASL-001",
			attachmentsComplete: true,
		},
	);
	await p.task("supervisor.malaz", { elementId: "Task_CommanderReview", caseNumber });
	const [record] = await p.rows<{ classification: string; html: string }>(
		"select classification, convert_from(content, 'UTF8') as html from worker_document where case_number = $1 and document_type = 'INQUIRY_RECORD'",
		[caseNumber],
	);
	expect(record?.classification).toBe("SECRET");
	expect(record?.html).toContain("سري");

	// The victim's father withdraws the complaint: a complaint-dependent offence closes by waiver.
	await p.publish("ComplaintWithdrawn", caseNumber, { waiverDocumentNumber: "MLZ-TNZ-1447-0310" });
	expect(completedElements(await p.instanceEnded(lifecycle))).toContain("End_Waived");
	const file = await p.caseFile(caseNumber, "supervisor.malaz");
	expect(file.case).toMatchObject({ status: "CLOSED", classification: "SECRET" });
	// The commander's open review was cancelled with the inquiry; the task service's reconciler takes it off the lists.
	await p.eventually("no open task left on the closed case", async () =>
		(await p.caseFile(caseNumber, "supervisor.malaz")).timeline.userTasks.every((task) => task.state !== "CREATED"),
	);
	expectTimeline(file, { "case-lifecycle": "COMPLETED", "criminal-inquiry": "COMPLETED" });
}
