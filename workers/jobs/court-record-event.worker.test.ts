import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addOffence, addParty, findPersonByIdNumber, loadCaseFile } from "../../domain";
import { createWorkersTestDatabase, type WorkersTestDatabase } from "../testing/workers-database";
import { caseAssignNumberWorker } from "./case-assign-number.worker";
import { caseSetStatusWorker } from "./case-set-status.worker";
import { courtRecordEventWorker } from "./court-record-event.worker";

/** P04 (Pakistani, C3) and P09 in one case with one offence: charges, judgments and objections per accused. */
describe("court.record-event", () => {
	let kit: WorkersTestDatabase;
	let caseNumber: string;
	let p04: string;
	const event = (courtEvent: string, variables: Record<string, unknown> = {}, key?: string) =>
		kit.run(courtRecordEventWorker, {
			...(key ? { key } : {}),
			variables: { caseNumber, courtCaseNumber: "CRT-RUH-1447-004512", ...variables },
			customHeaders: { courtEvent },
		});
	const file = () => loadCaseFile(kit.em(), caseNumber);

	beforeAll(async () => {
		kit = await createWorkersTestDatabase("workers_court_events");
		const registered = await kit.run(caseAssignNumberWorker, {
			variables: { unitCode: "RUH-SWD" },
			customHeaders: { series: "CASE" },
		});
		caseNumber = String(registered.outcome.kind === "complete" && registered.outcome.variables.caseNumber);
		const em = kit.em();
		const caseRecord = (await file()).caseRecord;
		p04 = (await findPersonByIdNumber(em, "2000000204"))!.id;
		const p09 = (await findPersonByIdNumber(em, "2000000220"))!.id;
		await addParty(em, { caseId: caseRecord.id, personId: p04, role: "ACCUSED" });
		await addParty(em, { caseId: caseRecord.id, personId: p09, role: "SUSPECT" });
		await addOffence(em, caseRecord.id, "DRG-020");
		for (const status of ["UNDER_INQUIRY", "REFERRED_TO_PP"]) {
			await kit.run(caseSetStatusWorker, { variables: { caseNumber }, customHeaders: { status } });
		}
	});
	afterAll(async () => {
		await kit?.close();
	});

	it("should refuse a judgment before the PP's indictment, naming what is missing", async () => {
		const result = await event("JUDGMENT", { verdict: "CONVICTED" });
		expect(result.outcome).toMatchObject({
			kind: "fail",
			final: true,
			errorMessage: expect.stringMatching(/no indicted charge.*indictment must come first/),
		});
	});

	it("should charge every accused with every offence when the case is indicted", async () => {
		await kit.run(caseSetStatusWorker, { variables: { caseNumber }, customHeaders: { status: "INDICTED" } });
		const charges = (await file()).charges;
		expect(charges).toHaveLength(2);
		expect(charges.every((charge) => charge.disposition === "INDICTED")).toBe(true);
		// A redelivery (another job) of the indictment changes nothing.
		await kit.run(caseSetStatusWorker, { variables: { caseNumber }, customHeaders: { status: "INDICTED" } });
		expect((await file()).charges).toHaveLength(charges.length);
	});

	it("should record a hearing once per job", async () => {
		const variables = { hearingAt: "2025-11-20T09:00:00+03:00" };
		await event("HEARING", variables, "hearing-job-1");
		await event("HEARING", variables, "hearing-job-1");
		expect((await file()).hearings).toMatchObject([
			{
				scheduledAt: new Date("2025-11-20T06:00:00Z"),
				court: "المحكمة الجزائية",
				courtCaseNumber: "CRT-RUH-1447-004512",
			},
		]);
	});

	it("should record the conviction of the named accused per charge, with the sentence, and only once", async () => {
		const variables = {
			verdict: "CONVICTED",
			sentenceTypes: ["PRISON", "DEPORTATION"],
			prisonDays: 730,
			accusedPersonId: p04,
			judgmentPronouncedAt: "2025-12-23T12:00:00+03:00",
		};
		const result = await event("JUDGMENT", variables);
		expect(result.outcome).toEqual({
			kind: "complete",
			variables: { judgmentPronouncedAt: "2025-12-23T12:00:00+03:00" },
		});
		await event("JUDGMENT", variables);
		const { judgments, charges } = await file();
		expect(judgments).toHaveLength(1);
		expect(judgments[0]).toMatchObject({
			level: "FIRST_INSTANCE",
			outcome: "CONVICTED",
			sentence: { prisonDays: 730, deportation: true, other: "PRISON" },
			mandatoryReview: false,
			appealDeadline: null,
		});
		expect(charges.find((charge) => charge.party.person.id === p04)?.disposition).toBe("CONVICTED");
		// Another accused of the case is not judged by a verdict naming P04.
		expect(
			charges.filter((charge) => charge.party.person.id !== p04).every((charge) => charge.disposition === "INDICTED"),
		).toBe(true);
	});

	it("should open the 30-day window on receipt of the copy and refuse an objection after it", async () => {
		await event("COPY_RECEIVED", {
			judgmentCopyReceivedAt: "2025-12-25T10:00:00+03:00",
			judgmentDeedNumber: "SK-1447-77812",
		});
		const [judgment] = (await file()).judgments;
		expect(judgment).toMatchObject({ deedNumber: "SK-1447-77812", copyReceivedAt: new Date("2025-12-25T07:00:00Z") });
		expect(judgment?.appealDeadline?.toISOString()).toBe("2026-01-24T07:00:00.000Z");
		const late = await event("OBJECTION", { objectionFiledAt: "2026-01-26T10:00:00+03:00" });
		expect(late.outcome).toMatchObject({
			kind: "fail",
			final: true,
			errorMessage: expect.stringMatching(/objection window .* closed/),
		});
		expect((await file()).appeals).toEqual([]);
	});

	it("should record an objection on day 20, the appeal court's decision, and finality", async () => {
		const objection = await event("OBJECTION", { objectionFiledAt: "2026-01-14T10:00:00+03:00" }, "objection-job");
		expect(objection.outcome).toMatchObject({ kind: "complete" });
		await event("OBJECTION", { objectionFiledAt: "2026-01-14T10:00:00+03:00" }, "objection-job");
		expect((await file()).appeals).toMatchObject([{ appellant: "ACCUSED", kind: "APPEAL", status: "FILED" }]);
		await event("APPEAL_DECIDED", {
			verdict: "CONVICTED",
			appealOutcome: "UPHELD",
			appealDecidedAt: "2026-02-01T10:00:00+03:00",
			appealDeedNumber: "SK-APL-1447-0311",
		});
		expect((await file()).appeals).toMatchObject([{ status: "UPHELD", decidedAt: new Date("2026-02-01T07:00:00Z") }]);
		// The appeal court's own judgment, once per charge and level.
		await event("APPEAL_DECIDED", { verdict: "CONVICTED", appealOutcome: "UPHELD" });
		expect((await file()).judgments).toMatchObject([
			{ level: "FIRST_INSTANCE", outcome: "CONVICTED", final: false },
			{
				level: "APPEAL",
				outcome: "CONVICTED",
				pronouncedAt: new Date("2026-02-01T07:00:00Z"),
				deedNumber: "SK-APL-1447-0311",
				sentence: { prisonDays: 730, deportation: true },
				final: false,
			},
		]);
		await event("FINAL", { judgmentFinalAt: "2026-02-02T10:00:00+03:00" });
		await event("FINAL", { judgmentFinalAt: "2026-02-02T10:00:00+03:00" });
		const { judgments, charges } = await file();
		expect(judgments).toMatchObject([
			{ level: "FIRST_INSTANCE", final: true },
			{ level: "APPEAL", final: true },
		]);
		expect(charges.find((charge) => charge.party.person.id === p04)?.disposition).toBe("FINAL");
	});

	it("should refuse an unknown event or verdict with no retries, naming the allowed values", async () => {
		const badEvent = await event("SENTENCED");
		expect(badEvent.outcome).toMatchObject({
			kind: "fail",
			final: true,
			errorMessage: expect.stringContaining("header 'courtEvent'"),
		});
		const badVerdict = await event("JUDGMENT", { verdict: "GUILTY" });
		expect(badVerdict.outcome).toMatchObject({
			kind: "fail",
			final: true,
			errorMessage: expect.stringContaining("CONVICTED, ACQUITTED, CLAIM_DISMISSED"),
		});
	});
});

describe("court.record-event with verdicts per charge", () => {
	let kit: WorkersTestDatabase;
	let caseNumber: string;
	beforeAll(async () => {
		kit = await createWorkersTestDatabase("workers_court_charges");
		const registered = await kit.run(caseAssignNumberWorker, { variables: { unitCode: "RUH-SWD" }, customHeaders: { series: "CASE" } });
		caseNumber = String(registered.outcome.kind === "complete" && registered.outcome.variables.caseNumber);
		const em = kit.em();
		const caseRecord = (await loadCaseFile(em, caseNumber)).caseRecord;
		const p04 = (await findPersonByIdNumber(em, "2000000204"))!.id;
		await addParty(em, { caseId: caseRecord.id, personId: p04, role: "ACCUSED" });
		await addOffence(em, caseRecord.id, "DRG-020");
		await addOffence(em, caseRecord.id, "THF-001");
		for (const status of ["UNDER_INQUIRY", "REFERRED_TO_PP", "INDICTED"]) {
			await kit.run(caseSetStatusWorker, { variables: { caseNumber }, customHeaders: { status } });
		}
	});
	afterAll(async () => {
		await kit?.close();
	});

	it("should refuse a verdict for an offence that is not charged, naming the charged ones", async () => {
		const result = await kit.run(courtRecordEventWorker, {
			variables: { caseNumber, verdict: "CONVICTED", chargeVerdicts: [{ offenceCode: "CYB-001", verdict: "ACQUITTED" }] },
			customHeaders: { courtEvent: "JUDGMENT" },
		});
		expect(result.outcome).toMatchObject({
			kind: "fail",
			final: true,
			errorMessage: expect.stringMatching(/offence 'CYB-001', which is not charged here \(charged: (DRG-020, THF-001|THF-001, DRG-020)\)/),
		});
	});

	it("should convict on one charge and acquit on the other, each with its own sentence", async () => {
		await kit.run(courtRecordEventWorker, {
			variables: {
				caseNumber,
				verdict: "CONVICTED",
				sentenceTypes: ["PRISON", "DEPORTATION"],
				prisonDays: 730,
				chargeVerdicts: [{ offenceCode: "THF-001", verdict: "ACQUITTED" }],
				judgmentPronouncedAt: "2025-12-23T12:00:00+03:00",
			},
			customHeaders: { courtEvent: "JUDGMENT" },
		});
		const file = await loadCaseFile(kit.em(), caseNumber);
		const byOffence = new Map(
			file.judgments.map((judgment) => [
				file.charges.find((charge) => charge.id === judgment.charge.id)!.caseOffence.id,
				judgment,
			]),
		);
		const offenceId = (code: string) => file.offences.find((offence) => offence.offence.code === code)!.id;
		expect(byOffence.get(offenceId("DRG-020"))).toMatchObject({
			outcome: "CONVICTED",
			sentence: { prisonDays: 730, deportation: true },
		});
		expect(byOffence.get(offenceId("THF-001"))).toMatchObject({ outcome: "ACQUITTED", sentence: null });
		expect(file.charges.map((charge) => charge.disposition).sort()).toEqual(["ACQUITTED", "CONVICTED"]);
	});
});
