import { describe, expect, it } from "vitest";
import { addDaysInRiyadh, hijriDayOf } from "./hijri.rule";
import {
	appealDeadline,
	checkExtension,
	clockDurations,
	computeCustodyDeadlines,
	isWithinAppealWindow,
	LEGAL_CLOCKS,
	type LegalClockRules,
	legalClockRules,
} from "./legal-clock.rule";

const lcp = LEGAL_CLOCKS["LCP-1435"];
// §5.5 seed: P04 arrested 2025-09-02 23:45 Riyadh.
const arrestedAt = new Date("2025-09-02T23:45:00+03:00");

describe("statutory clocks (domain.md §1.3)", () => {
	it("should compute the 24 h hold and 5-day detention of the §5.5 seed", () => {
		const deadlines = computeCustodyDeadlines(lcp, arrestedAt);
		expect(deadlines.policeHoldDeadline.toISOString()).toBe(new Date("2025-09-03T23:45:00+03:00").toISOString());
		expect(deadlines.detentionExpiresAt.toISOString()).toBe(new Date("2025-09-07T23:45:00+03:00").toISOString());
		expect(deadlines.policeHoldWarnings.map((d) => d.toISOString())).toEqual([
			new Date("2025-09-03T11:45:00+03:00").toISOString(),
			new Date("2025-09-03T19:45:00+03:00").toISOString(),
		]);
		expect(deadlines.detentionWarningAt.toISOString()).toBe(new Date("2025-09-06T23:45:00+03:00").toISOString());
		expect(hijriDayOf(deadlines.branchCapAt)).toEqual({ year: 1447, month: 4, day: 20 });
		expect(hijriDayOf(deadlines.attorneyGeneralCapAt)).toEqual({ year: 1447, month: 9, day: 12 });
	});

	it("should take durations from the configuration, so a compressed table gives compressed clocks", () => {
		const fast: LegalClockRules = { ...lcp, policeHoldHours: 1, initialDetentionDays: 2 };
		const deadlines = computeCustodyDeadlines(fast, arrestedAt);
		expect(deadlines.policeHoldDeadline.getTime() - arrestedAt.getTime()).toBe(3_600_000);
		expect(deadlines.detentionExpiresAt.getTime() - arrestedAt.getTime()).toBe(2 * 86_400_000);
	});

	it("should count special-law detention from the referral to the PP", () => {
		const ctl = legalClockRules("CTL-1439");
		const referredAt = new Date("2025-09-04T10:00:00+03:00");
		const deadlines = computeCustodyDeadlines(ctl, arrestedAt, referredAt);
		expect(deadlines.detentionExpiresAt.toISOString()).toBe(addDaysInRiyadh(referredAt, 30).toISOString());
		expect(deadlines.policeHoldDeadline.getTime() - arrestedAt.getTime()).toBe(24 * 3_600_000);
	});

	it("should expose the table as ISO-8601 durations for BPMN timers", () => {
		expect(clockDurations(lcp)).toEqual({
			policeHold: "PT24H",
			policeHoldWarnings: ["PT12H", "PT20H"],
			initialDetention: "P5D",
			detentionWarningBefore: "P1D",
			branchCap: "P40D",
			attorneyGeneralMaxPeriod: "P30D",
			attorneyGeneralCap: "P180D",
			appealWindow: "P30D",
		});
	});

	it("should name the configured laws when asked for an unknown one", () => {
		expect(() => legalClockRules("LCP-1422")).toThrow(/configured: LCP-1435, CTL-1439/);
	});

	it("should close the appeal window 30 days after receipt of the judgment copy (C3)", () => {
		const copyReceivedAt = new Date("2025-12-25T10:00:00+03:00");
		expect(appealDeadline(lcp, copyReceivedAt).toISOString()).toBe(new Date("2026-01-24T10:00:00+03:00").toISOString());
		expect(isWithinAppealWindow(lcp, copyReceivedAt, addDaysInRiyadh(copyReceivedAt, 20))).toBe(true);
		expect(isWithinAppealWindow(lcp, copyReceivedAt, addDaysInRiyadh(copyReceivedAt, 31))).toBe(false);
	});
});

describe("detention extensions (Art. 114, cumulative)", () => {
	const day = (n: number) => addDaysInRiyadh(arrestedAt, n);

	it("should let the branch head extend from day 5 to day 40 (C3)", () => {
		const check = checkExtension(lcp, {
			anchorAt: arrestedAt,
			currentExpiresAt: day(5),
			newExpiresAt: day(40),
			authority: "BRANCH_HEAD",
		});
		expect(check).toMatchObject({
			allowed: true,
			requiredAuthority: "BRANCH_HEAD",
			cumulativeDays: 40,
			periodDays: 35,
		});
	});

	it("should refuse a branch-head extension past 40 days and name the Attorney General", () => {
		const check = checkExtension(lcp, {
			anchorAt: arrestedAt,
			currentExpiresAt: day(40),
			newExpiresAt: day(41),
			authority: "BRANCH_HEAD",
		});
		expect(check.allowed).toBe(false);
		expect(check.requiredAuthority).toBe("ATTORNEY_GENERAL");
		expect(check.problems.join()).toMatch(/41 days .* needs the Attorney General/);
	});

	it("should allow an AG period of 30 days and reject one of 45 days (C3)", () => {
		expect(
			checkExtension(lcp, {
				anchorAt: arrestedAt,
				currentExpiresAt: day(40),
				newExpiresAt: day(70),
				authority: "ATTORNEY_GENERAL",
			}).allowed,
		).toBe(true);
		const long = checkExtension(lcp, {
			anchorAt: arrestedAt,
			currentExpiresAt: day(40),
			newExpiresAt: day(85),
			authority: "ATTORNEY_GENERAL",
		});
		expect(long.allowed).toBe(false);
		expect(long.problems.join()).toMatch(/at most 30 days; 45 were requested/);
	});

	it("should require a reasoned court order beyond 180 days (C3: otherwise release)", () => {
		const ag = checkExtension(lcp, {
			anchorAt: arrestedAt,
			currentExpiresAt: day(160),
			newExpiresAt: day(190),
			authority: "ATTORNEY_GENERAL",
		});
		expect(ag).toMatchObject({ allowed: false, requiredAuthority: "COURT" });
		expect(
			checkExtension(lcp, {
				anchorAt: arrestedAt,
				currentExpiresAt: day(180),
				newExpiresAt: day(210),
				authority: "COURT",
			}).allowed,
		).toBe(false);
		expect(
			checkExtension(lcp, {
				anchorAt: arrestedAt,
				currentExpiresAt: day(180),
				newExpiresAt: day(210),
				authority: "COURT",
				reasoned: true,
			}).allowed,
		).toBe(true);
	});

	it("should count a started day: one minute past day 40 needs the Attorney General", () => {
		const justPast = new Date(day(40).getTime() + 60_000);
		const check = checkExtension(lcp, {
			anchorAt: arrestedAt,
			currentExpiresAt: day(5),
			newExpiresAt: justPast,
			authority: "BRANCH_HEAD",
		});
		expect(check).toMatchObject({ allowed: false, requiredAuthority: "ATTORNEY_GENERAL", cumulativeDays: 41 });
	});

	it("should reject an extension that does not move the expiry forward, and investigator extensions", () => {
		expect(
			checkExtension(lcp, {
				anchorAt: arrestedAt,
				currentExpiresAt: day(10),
				newExpiresAt: day(8),
				authority: "BRANCH_HEAD",
			}).problems[0],
		).toMatch(/after the current expiry/);
		expect(
			checkExtension(lcp, {
				anchorAt: arrestedAt,
				currentExpiresAt: day(5),
				newExpiresAt: day(8),
				authority: "INVESTIGATOR",
			}).allowed,
		).toBe(false);
	});
});
