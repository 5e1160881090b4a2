import { expect } from "vitest";
import { completedElements, days, type ScenarioPlatform } from "./harness";

/**
 * domain.md §5.4 C8 — a Saher speeding violation on P01's vehicle: SMS to the owner, objection on day 12 (the photo
 * shows another vehicle's plate), reviewed by the traffic officer and cancelled. A second violation nobody objects
 * to becomes final when the 30-day window lapses, and an objection on day 31 finds no subscription.
 */
export async function scenarioC8(p: ScenarioPlatform): Promise<void> {
	const recordedAt = "2025-10-01T16:20:00+03:00";
	await p.clock.pin(recordedAt);
	await p.createUser("traffic.officer", ["officer"], ["RUH-TRF", "traffic-officer:RUH-TRF"]);
	const violation = {
		unitCode: "RUH-TRF",
		violationRecordedAt: recordedAt,
		plate: "أ ب ج 1234",
		ownerNationalId: "1000000107",
		ownerMobile: "+966501234567",
		violationType: "SPEEDING",
	};
	const cancelledNumber = "RUH-TRF-1447-V-558812";
	const finalNumber = "RUH-TRF-1447-V-558813";
	for (const violationNumber of [cancelledNumber, finalNumber]) {
		await p.publish("ViolationRecorded", "", { ...violation, violationNumber }, { messageId: violationNumber });
	}
	const [cancelled] = await p.eventually("the first violation's instance", async () => {
		const found = await p.instancesWith("violationNumber", cancelledNumber, "traffic-case");
		return found.length ? found : undefined;
	});
	const [lapsed] = await p.eventually("the second violation's instance", async () => {
		const found = await p.instancesWith("violationNumber", finalNumber, "traffic-case");
		return found.length ? found : undefined;
	});
	// A repeated publication with the same message id is refused (409) and starts nothing.
	await expect(
		p.publish(
			"ViolationRecorded",
			"",
			{ ...violation, violationNumber: cancelledNumber },
			{ messageId: cancelledNumber },
		),
	).rejects.toThrow(/answered 409: .*ENGINE_INVALID_STATE.*already published/);
	await p.eventually(
		"the SMS to the owner",
		async () =>
			(await p.rows("select 1 from notification where template = 'violation-notice' and recipient = '+966501234567'"))
				.length === 2,
	);
	await p.settle();
	expect(await p.instancesWith("violationNumber", cancelledNumber, "traffic-case")).toHaveLength(1);

	// Day 12: the owner objects; the traffic officer upholds the objection and cancels the violation.
	await p.clock.add(days(12));
	await p.publish("ObjectionSubmitted", cancelledNumber, { objectionText: "الصورة تظهر لوحة مركبة أخرى" });
	const review = await p.task("traffic.officer", {
		elementId: "Task_ReviewObjection",
		processInstanceKey: cancelled!.processInstanceKey,
	});
	expect(review.candidateGroups).toEqual(["traffic-officer:RUH-TRF"]);
	await p.complete(
		"traffic.officer",
		{ elementId: "Task_ReviewObjection", processInstanceKey: cancelled!.processInstanceKey },
		{
			violationNumber: cancelledNumber,
			objectionUpheld: true,
			reviewReason: "اللوحة في الصورة لا تطابق مركبة المالك",
		},
	);
	expect(completedElements(await p.instanceEnded(cancelled!.processInstanceKey))).toEqual(
		expect.arrayContaining(["Catch_Objection", "Task_ReviewObjection", "End_Cancelled"]),
	);

	// Day 31: the window of the second violation has lapsed; the late objection correlates to nothing.
	await p.clock.add(days(19));
	const final = await p.instanceEnded(lapsed!.processInstanceKey);
	expect(completedElements(final)).toEqual(expect.arrayContaining(["Catch_WindowLapsed", "End_Final"]));
	await p.publish("ObjectionSubmitted", finalNumber, { objectionText: "اعتراض متأخر" }, { timeToLiveMs: 0 });
	await p.settle();
	const after = await p.instance(lapsed!.processInstanceKey);
	expect(after.state).toBe("COMPLETED");
	expect(completedElements(after)).not.toContain("Catch_Objection");
	expect(
		await p.call<{ items: unknown[] }>("traffic.officer", "POST", "/v2/user-tasks/search", {
			filter: { processInstanceKey: lapsed!.processInstanceKey },
		}),
	).toMatchObject({ items: [] });
}
