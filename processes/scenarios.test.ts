import { beforeAll, describe, expect, it } from "vitest";
import { loadModels, type ProcessWalk, type WalkOptions } from "./path-walker";

// Walks the scenarios of domain.md §5.4 through the diagrams with the path walker (a model check, not
// the engine): each test shows which end a scenario reaches and where the process waits. The same
// scenarios run end to end on the engine in the scenario suite; these catch modelling mistakes first.

let walk: (processId: string, startEventId: string, options?: WalkOptions) => ProcessWalk;
beforeAll(async () => {
	walk = (await loadModels()).walk;
});

const DAY = 86_400_000;
const HOUR = 3_600_000;
const at = (ms: number) => new Date(ms).toISOString();

/** What the custody workers compute (domain/rules/legal-clock.rule.ts does it for real). */
const custodyJobs: WalkOptions["jobs"] = {
	"custody.compute-deadlines": (headers, v) => {
		const arrested = Date.parse(String(v.arrestedAt));
		switch (headers.phase) {
			case "POLICE_HOLD":
				return {
					deadline24h: at(arrested + 24 * HOUR),
					warning12hAt: at(arrested + 12 * HOUR),
					warning20hAt: at(arrested + 20 * HOUR),
					hearingDueAt: at(arrested + 2 * HOUR),
				};
			case "DETENTION": {
				const expires = Math.min(Date.parse(String(v.detentionExpiresAt)), arrested + 5 * DAY);
				return { detentionExpiresAt: at(expires), extensionWarningAt: at(expires - DAY) };
			}
			case "EXTENSION_CHECK": {
				const newExpiry = Date.parse(String(v.newExpiry));
				return {
					cumulativeDaysFromArrest: Math.round((newExpiry - arrested) / DAY),
					requestedPeriodDays: Math.round((newExpiry - Date.parse(String(v.detentionExpiresAt))) / DAY),
					governingLaw: v.governingLaw ?? "LCP-1435",
				};
			}
			default:
				return { detentionExpiresAt: v.newExpiry, extensionWarningAt: at(Date.parse(String(v.newExpiry)) - DAY) };
		}
	},
	"case.set-status": (headers) => ({ caseStatus: headers.status }),
};

const ARRESTED_AT = Date.parse("2025-09-02T23:45:00+03:00");
const arrest = (userTasks: WalkOptions["userTasks"] = {}) =>
	walk("custody-clock", "Start_PersonArrested", {
		variables: {
			custodyId: "RUH-SWD-1447-000201-6/C01",
			caseNumber: "RUH-SWD-1447-000201-6",
			arrestedAt: at(ARRESTED_AT),
		},
		jobs: custodyJobs,
		userTasks: { Task_HearStatement: { exculpatoryFound: false }, Task_Transfer: {}, ...userTasks },
	});

describe("custody-clock", () => {
	it("C1: the investigator's order ends the police hold and cancels the 24 h timer; the PP releases", () => {
		const w = arrest();
		expect(w.waiting).toEqual(["Catch_InvestigatorOrder", "Sub_PoliceHold"]);
		w.message("InvestigatorCustodyOrder");
		expect(w.waiting).toEqual(["Catch_DetentionOrder"]);
		expect(() => w.timer("Boundary_Hold24h")).toThrow(/not active/);
		w.message("ReleaseOrdered", { releaseConditions: "UNDERTAKING" });
		expect(w.isCompleted).toBe(true);
		expect(w.ended).toEqual(["End_HoldOrdered", "End_ReleasedByOrder"]);
		expect(w.completed).not.toContain("Throw_CustodyBreach");
	});

	it("releases at the 24-hour limit when no written order came (escalation, then release by default)", () => {
		const w = arrest();
		w.timer("Boundary_Warn12h").timer("Boundary_Warn20h").timer("Boundary_Hold24h");
		expect(w.completed).toEqual(
			expect.arrayContaining(["Task_Warn12h", "Task_Warn20h", "Throw_CustodyBreach", "Task_NotifyLegal24h"]),
		);
		w.complete("Task_ReleaseUnlessOrder", { writtenOrderReceived: false });
		expect(w.completed).toContain("Task_Release24h");
		expect(w.ended).toContain("End_Released24h");
		expect(w.isCompleted).toBe(true);
		expect(w.waiting).toEqual([]);
	});

	it("an exculpatory hearing approved by the commander releases without waiting for the PP", () => {
		const w = arrest({
			Task_HearStatement: { exculpatoryFound: true },
			Task_ApproveRelease: { releaseApproved: true },
		});
		expect(w.ended).toEqual(["End_HoldReleased", "End_ReleasedHold"]);
		expect(w.isCompleted).toBe(true);
	});

	it("C3: branch head to day 40 and an AG period of 30 days are applied; a 45-day AG period is not", () => {
		const w = arrest();
		w.message("InvestigatorCustodyOrder").message("DetentionOrderIssued", {
			detentionExpiresAt: at(ARRESTED_AT + 5 * DAY),
		});
		expect(w.waiting).toEqual(["Task_AwaitExtension"]);
		w.timer("Boundary_ExtensionWarning");
		expect(w.waiting).toEqual(["Task_AwaitExtension", "Task_PrepareExtension"]);

		w.message("DetentionExtended", { newExpiry: at(ARRESTED_AT + 40 * DAY), authority: "BRANCH_HEAD" });
		expect(w.variables.extensionAuthority).toMatchObject({ allowed: true });
		expect(w.variables.detentionExpiresAt).toBe(at(ARRESTED_AT + 40 * DAY));

		w.message("DetentionExtended", { newExpiry: at(ARRESTED_AT + 70 * DAY), authority: "ATTORNEY_GENERAL" });
		expect(w.variables.detentionExpiresAt).toBe(at(ARRESTED_AT + 70 * DAY));

		w.message("DetentionExtended", { newExpiry: at(ARRESTED_AT + 115 * DAY), authority: "ATTORNEY_GENERAL" });
		expect(w.variables.extensionAuthority).toMatchObject({ allowed: false });
		expect(w.completed).toContain("Throw_ExtensionRejected");
		expect(w.variables.detentionExpiresAt).toBe(at(ARRESTED_AT + 70 * DAY));

		w.message("ReferredToCourtInCustody", { courtCaseNumber: "CRT-1447-000777" });
		expect(w.ended).toContain("End_ReferredToCourt");
		expect(w.isCompleted).toBe(true);
	});

	it("releases when detention expires without a lawful extension (beyond 180 days without a court)", () => {
		const w = arrest();
		w.message("InvestigatorCustodyOrder").message("DetentionOrderIssued", {
			detentionExpiresAt: at(ARRESTED_AT + 5 * DAY),
		});
		w.message("DetentionExtended", { newExpiry: at(ARRESTED_AT + 190 * DAY), authority: "ATTORNEY_GENERAL" });
		expect(w.variables.extensionAuthority).toMatchObject({ allowed: false, approverRole: "COURT" });
		w.timer("Boundary_DetentionExpired");
		expect(w.completed).toEqual(expect.arrayContaining(["Throw_DetentionBreach", "Task_ReleaseDetention"]));
		expect(w.ended).toContain("End_ReleasedDetention");
		expect(w.isCompleted).toBe(true);
	});

	it("a facility refusing admission goes to the detention officer, and the hold continues", () => {
		const w = walk("custody-clock", "Start_PersonArrested", {
			variables: { custodyId: "C", arrestedAt: at(ARRESTED_AT) },
			jobs: { ...custodyJobs, "custody.book": { $error: "FACILITY_REFUSED_NO_ORDER" } },
		});
		expect(w.waiting).toEqual(["Task_FacilityRefused"]);
		w.complete("Task_FacilityRefused", { refusalResolved: true });
		expect(w.waiting).toEqual(["Sub_PoliceHold", "Task_HearStatement"]);
	});
});

describe("criminal-inquiry", () => {
	const inquiry = (variables: Record<string, unknown>, userTasks: WalkOptions["userTasks"] = {}) =>
		walk("criminal-inquiry", "Start_Inquiry", {
			variables: { caseNumber: "RUH-MLZ-1447-000310-5", ...variables },
			jobs: {
				"case.set-status": (h) => ({ caseStatus: h.status }),
				"lab.submit": { labRequestId: "LAB-1", labFollowUp: "P14D" },
			},
			userTasks: { Task_TakeStatements: {}, Task_CollectEvidence: { labRequested: false }, ...userTasks },
		});

	it("C5: a juvenile's guardian is notified; the complaint withdrawn closes a complaint-dependent case", () => {
		const w = inquiry({ offenceCode: "ASL-001", juvenileInvolved: true, inFlagrante: false });
		expect(w.completed).toContain("Task_NotifyGuardian");
		expect(w.waiting).toEqual(["Task_IdentifySuspect"]);
		w.message("ComplaintWithdrawn");
		expect(w.ended).toEqual(["End_Waived"]);
		expect(w.variables.caseStatus).toBe("CLOSED");
		expect(w.isCompleted).toBe(true);
	});

	it("a withdrawn complaint does not close a public-right offence", () => {
		const w = inquiry({ offenceCode: "THF-010", inFlagrante: false });
		w.message("ComplaintWithdrawn");
		w.complete("Task_AssessWaiver", { waiverDocumentNumber: "W-1", publicRightAssessment: "public right remains" });
		expect(w.ended).toEqual(["End_PublicRight"]);
		expect(w.variables.caseStatus).toBe("UNDER_INQUIRY");
	});

	it("C2: unknown offender, periodic review, reopened by new evidence with a lab request", () => {
		const w = inquiry(
			{ offenceCode: "THF-010", inFlagrante: false },
			{ Task_IdentifySuspect: { suspectIdentified: false } },
		);
		expect(w.variables.caseStatus).toBe("SUSPENDED_UNKNOWN_OFFENDER");
		expect(w.waiting).toEqual(["Task_AwaitNewEvidence"]);
		w.timer("Boundary_PeriodicReview");
		expect(w.waiting).toEqual(["Task_AwaitNewEvidence", "Task_PeriodicReview"]);
		w.message("NewEvidence", { labRequested: true });
		expect(w.waiting).toEqual(["Task_AwaitLab", "Task_PeriodicReview"]);
		w.message("LabResultReceived", { labResult: "NO_MATCH" });
		expect(w.waiting).toEqual(["Task_AwaitNewEvidence", "Task_PeriodicReview"]);
	});

	it("C1/C3: in flagrante, scene attendance notified, arrest starts the custody clock, record approved", () => {
		const w = inquiry(
			{ offenceCode: "DRG-020", inFlagrante: true },
			{
				Task_AttendScene: {},
				Task_IdentifySuspect: { suspectIdentified: true, arrestRequired: true, suspectNationalId: "2000000204" },
				Task_PrepareRecord: {},
				Task_CommanderReview: { inquiryApproved: true },
			},
		);
		expect(w.completed).toEqual(expect.arrayContaining(["Task_NotifyScene", "Task_RegisterEvidence", "Throw_Arrest"]));
		expect(w.variables.offence).toMatchObject({ majorCrime: true, categoryEn: "Narcotics" });
		expect(w.ended).toEqual(["End_InquiryComplete"]);
	});
});

describe("prosecution-referral and trial-tracking", () => {
	const referral = () =>
		walk("prosecution-referral", "Start_Referral", {
			variables: { caseNumber: "RUH-OLY-1447-000153-9" },
			jobs: { "case.set-status": (h) => ({ caseStatus: h.status }) },
			userTasks: { Task_Complete: { allItemsCompleted: true } },
		});

	it("C1: return for completion loops to a new referral; a dismissal is communicated", () => {
		const w = referral();
		expect(w.waiting).toEqual(["Task_AwaitDecision"]);
		w.message("PPDecision", { ppDecision: "RETURN_FOR_COMPLETION" });
		expect(w.waiting).toEqual(["Task_AwaitDecision"]);
		expect(w.completed.filter((id) => id === "Task_Submit")).toHaveLength(2);
		w.message("PPDecision", { ppDecision: "DISMISS", reasonCode: "PRIVATE_RIGHT_WAIVED" });
		expect(w.waiting).toEqual(["Task_NotifyVictim"]);
		w.complete("Task_NotifyVictim", { victimNotified: true });
		expect(w.ended).toEqual(["End_Dismissed"]);
		expect(w.variables.caseStatus).toBe("DISMISSED_BY_PP");
	});

	const trial = (judgment: Record<string, unknown>) =>
		walk("trial-tracking", "Start_Trial", {
			variables: { caseNumber: "RUH-SWD-1447-000201-6", courtCaseNumber: "CRT-1" },
			jobs: { "case.set-status": (h) => ({ caseStatus: h.status }) },
			userTasks: { Task_HandCopy: { judgmentCopyReceivedAt: "2025-12-25T10:00:00+03:00" }, Task_ExecuteSentence: {} },
		}).message("JudgmentIssued", judgment);

	it("C3: conviction, objection on day 20, appeal upheld, final, deportation requested", () => {
		const w = trial({ verdict: "CONVICTED", sentenceTypes: ["PRISON", "DEPORTATION"], accusedDetained: true });
		expect(w.completed).toContain("Task_HandCopy");
		expect(w.waiting).toEqual(["Gw_AppealWindow"]);
		w.message("ObjectionFiled").message("AppealDecided", { verdict: "CONVICTED" }).message("JudgmentFinal");
		expect(w.completed).toEqual(expect.arrayContaining(["Task_CriminalRecord", "Task_Deport", "Task_ExecuteSentence"]));
		expect(w.ended).toEqual(["End_Trial"]);
	});

	it("C4: acquittal not objected within the window becomes final", () => {
		const w = trial({ verdict: "ACQUITTED", sentenceTypes: [], accusedDetained: false });
		expect(w.waiting).toEqual(["Task_AwaitCopy"]);
		w.message("JudgmentCopyReceived", { judgmentCopyReceivedAt: "2026-01-10T10:00:00+03:00" });
		w.timer("Catch_WindowLapsed");
		expect(w.completed).not.toContain("Task_CriminalRecord");
		expect(w.variables.caseStatus).toBe("FINAL_JUDGMENT");
		expect(w.ended).toEqual(["End_Trial"]);
	});

	it("a qisas sentence goes to review without waiting for an objection", () => {
		const w = trial({ verdict: "CONVICTED", sentenceTypes: ["QISAS"], accusedDetained: true });
		expect(w.waiting).toEqual(["Task_AwaitAppeal"]);
		expect(w.completed).not.toContain("Task_AppealClock");
	});
});

describe("evidence, lost property, traffic, lifecycle", () => {
	it("evidence: a broken seal opens an integrity incident; the item is later returned to its owner", () => {
		const w = walk("evidence-custody", "Start_EvidenceSeized", {
			variables: { evidenceId: "RUH-OLY-1447-000153-9/E01" },
			jobs: { "evidence.transfer": (h) => (h.verifyIntegrity === "true" ? { $error: "SEAL_BROKEN" } : {}) },
			userTasks: { Task_Seal: {}, Task_CheckIn: { sealIntact: false } },
		});
		expect(w.waiting).toEqual(["Task_IntegrityIncident"]);
		w.complete("Task_IntegrityIncident");
		w.message("DispositionOrdered", { dispositionType: "RETURN" });
		w.complete("Task_ApproveDisposition", { dispositionApproved: true }).complete("Task_HandOver");
		expect(w.ended).toEqual(["End_Disposed"]);
	});

	it("C7: lost wallet re-matched on the cycle, found, ownership verified, handed over", () => {
		const w = walk("lost-property", "Start_LostReport", {
			variables: { itemCategory: "WALLET", containsOfficialDocument: true },
			jobs: { "case.assign-number": { caseNumber: "MFQ-1447-000077" } },
		});
		expect(w.waiting).toEqual(["Task_AwaitFound"]);
		w.timer("Boundary_Rematch");
		expect(w.completed).toContain("Task_Rematch");
		w.message("ItemFound", { foundItemId: "F-9" }).complete("Task_VerifyOwnership", { ownershipConfirmed: true });
		expect(w.ended).toEqual(["End_Rematch", "End_HandedOver"]);
	});

	it("C8: an objection on day 12 cancels the violation; on day 31 there is nothing left to object to", () => {
		const saher = () =>
			walk("traffic-case", "Start_Violation", { variables: { violationNumber: "RUH-TRF-1447-V-558812" } });
		const early = saher().message("ObjectionSubmitted");
		early.complete("Task_ReviewObjection", { objectionUpheld: true });
		expect(early.ended).toEqual(["End_Cancelled"]);
		const late = saher().timer("Catch_WindowLapsed");
		expect(late.ended).toEqual(["End_Final"]);
		expect(() => late.message("ObjectionSubmitted")).toThrow(/No subscription/);
	});

	it("C6: an accident with injuries is criminal; the arrested driver starts the custody clock", () => {
		const w = walk("traffic-case", "Start_Accident", {
			userTasks: {
				Task_AttendAccident: {
					deathsCount: 0,
					injuriesCount: 2,
					intoxicationSuspected: true,
					driverArrested: true,
					driverNationalId: "1000000164",
					driverArrestedAt: "2026-02-18T21:40:00+03:00",
				},
			},
		});
		expect(w.variables.accidentRoute).toMatchObject({ route: "CRIMINAL", offenceCode: "TRF-101" });
		expect(w.completed).toContain("Throw_Arrest");
		expect(w.variables).toMatchObject({ suspectNationalId: "1000000164", arrestedAt: "2026-02-18T21:40:00+03:00" });
		expect(w.ended).toEqual(["End_Criminal"]);
	});

	it("C6 in the lifecycle: the criminal accident joins the criminal path with its offence code", () => {
		const w = walk("case-lifecycle", "Start_Case", {
			calls: {
				"report-intake": { triage: { track: "TRAFFIC" } },
				"traffic-case": { accidentRoute: { route: "CRIMINAL", offenceCode: "TRF-101" } },
				"prosecution-referral": { ppDecision: "INDICT" },
			},
			jobs: { "case.set-status": (h) => ({ caseStatus: h.status }) },
		});
		expect(w.completed).toEqual(expect.arrayContaining(["Call_Traffic", "Call_Inquiry", "Call_Trial"]));
		expect(w.variables.offenceCode).toBe("TRF-101");
		expect(w.ended).toEqual(["End_Closed"]);
	});

	it("report intake: an unknown reporter is registered, a P1 theft is dispatched and notified to the PP", () => {
		const w = walk("report-intake", "Start_Desk", {
			variables: { categoryCode: "THEFT", ongoingDanger: true },
			jobs: {
				"identity.verify": { $error: "IDENTITY_NOT_FOUND" },
				"case.assign-number": { caseNumber: "RUH-OLY-1447-000153-9" },
			},
			userTasks: {
				Task_RegisterUnverified: {},
				Task_DispatchPatrol: {},
				Task_ReviewReport: {},
				Task_ApproveReport: { reportApproved: true },
			},
		});
		expect(w.completed).toEqual(
			expect.arrayContaining([
				"Task_RegisterUnverified",
				"Task_DispatchPatrol",
				"Task_NotifyProsecution",
				"Task_Receipt",
			]),
		);
		expect(w.ended).toEqual(["End_Registered"]);
	});
});
