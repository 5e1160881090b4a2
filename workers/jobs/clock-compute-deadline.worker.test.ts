import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkersTestDatabase, type WorkersTestDatabase } from "../testing/workers-database";
import { clockComputeDeadlineWorker } from "./clock-compute-deadline.worker";

describe("clock.compute-deadline", () => {
	let kit: WorkersTestDatabase;
	beforeAll(async () => {
		kit = await createWorkersTestDatabase("workers_clock");
	});
	afterAll(async () => {
		await kit?.close();
	});

	const compute = async (clock: string, variables: Record<string, unknown> = {}) =>
		(await kit.run(clockComputeDeadlineWorker, { variables, customHeaders: { clock } })).outcome;

	it.each([
		["SUSPENSION_REVIEW", {}, { reviewCycle: "R/P30D" }],
		["EVIDENCE", { seizedAt: "2025-09-02T22:30:00+03:00" }, { checkInDueAt: "2025-09-03T22:30:00+03:00", auditCycle: "R/P90D" }],
		["PP_FOLLOW_UP", {}, { ppFollowUpCycle: "R/P15D" }],
		["COMPLETION", {}, { completionDueAt: "2025-09-10T10:00:00+03:00" }],
		["APPEAL_WINDOW", { judgmentCopyReceivedAt: "2025-11-01T09:00:00+03:00" }, { objectionDeadline: "2025-12-01T09:00:00+03:00" }],
		["APPEAL_WINDOW", { judgmentCopyReceivedAt: "2025-11-01T09:00:00+03:00", appealPath: { objectionDays: 15 } }, { objectionDeadline: "2025-11-16T09:00:00+03:00" }],
		["LOST_RETENTION", { reportedAt: "2025-09-01T12:00:00+03:00" }, { retentionEndsAt: "2025-11-30T12:00:00+03:00", rematchCycle: "R/P7D" }],
		["SAHER_OBJECTION", { violationRecordedAt: "2025-09-01T08:00:00+03:00" }, { objectionDeadline: "2025-10-01T08:00:00+03:00" }],
	])("should compute %s", async (clock, variables, expected) => {
		expect(await compute(clock, variables)).toEqual({ kind: "complete", variables: expected });
	});

	it("should fail with no retries when the clock's anchor is missing", async () => {
		expect(await compute("APPEAL_WINDOW")).toMatchObject({ kind: "fail", final: true, errorMessage: expect.stringContaining("judgmentCopyReceivedAt") });
	});
});
