import { describe, expect, it } from "vitest";
import { runningDeadline } from "./custody-board";

describe("runningDeadline", () => {
	const now = new Date("2026-11-28T10:00:00Z");

	it("should run against the earliest deadline still ahead", () => {
		expect(
			runningDeadline(
				{
					deadline24h: "2026-11-28T08:00:00Z",
					detentionExpiresAt: "2026-12-02T10:00:00Z",
					hearingDueAt: "2026-11-29T10:00:00Z",
				},
				now,
			),
		).toEqual({
			deadlineName: "hearingDueAt",
			deadline: "2026-11-29T10:00:00Z",
		});
	});

	it("should keep an overdue clock on the board with its latest passed deadline", () => {
		expect(runningDeadline({ deadline24h: "2026-11-28T08:00:00Z" }, now)).toEqual({
			deadlineName: "deadline24h",
			deadline: "2026-11-28T08:00:00Z",
		});
	});

	it("should answer null for an instance without deadlines", () => {
		expect(runningDeadline({ caseNumber: "RUH-OLY-1447-000153-9" }, now)).toBeNull();
	});
});
