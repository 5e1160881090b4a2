import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChargeSchema, CustodyEpisodeSchema, EvidenceItemSchema } from "../entities";
import { type DomainError, isDomainError } from "../errors";
import { addDaysInRiyadh, hijriDayOf } from "../rules/hijri.rule";
import { LEGAL_CLOCKS } from "../rules/legal-clock.rule";
import { IllegalTransitionError } from "../rules/state-machine.rule";
import { createDomainTestDatabase, type DomainTestDatabase } from "../testing/domain-database";
import { addCharge, addOffence, addParty, registerCase, transitionCharge } from "./case.service";
import { findCases, loadCaseFile } from "./case-file.service";
import {
	decideAppeal,
	finaliseJudgment,
	recordAppeal,
	recordHearing,
	recordJudgment,
	recordJudgmentCopyReceived,
} from "./court.service";
import {
	detentionOrdersOf,
	openCustodyEpisode,
	recordDetentionOrder,
	recordExtension,
	recordInvestigatorOrder,
	releaseFromCustody,
} from "./custody.service";
import { appendCustodyEvent, custodyEventsOf, registerEvidence, verifyCustodyChain } from "./evidence.service";
import { findPersonByIdNumber } from "./person.service";

let t: DomainTestDatabase;
let caseId: string;
let caseNumber: string;
let accusedPartyId: string;
let chargeId: string;
// Scenario C3: P04 arrested in As-Suwaidi at 1447-03-10 23:45 (2025-09-02).
const arrestedAt = new Date("2025-09-02T23:45:00+03:00");
const day = (n: number) => addDaysInRiyadh(arrestedAt, n);

beforeAll(async () => {
	t = await createDomainTestDatabase("domain_custody");
	const em = t.em();
	const c = await registerCase(em, {
		unitCode: "RUH-SWD",
		openedAt: arrestedAt,
		classification: "SECRET",
		synthetic: true,
	});
	caseId = c.id;
	caseNumber = c.caseNumber;
	const p04 = (await findPersonByIdNumber(em, "2000000204"))!;
	const accused = await addParty(em, { caseId, personId: p04.id, role: "ACCUSED" });
	accusedPartyId = accused.id;
	const offence = await addOffence(em, caseId, "DRG-020");
	chargeId = (await addCharge(em, accused.id, offence.id)).id;
});
afterAll(async () => {
	await t?.close();
});

describe("custody episode and statutory clocks (C3)", () => {
	let episodeId: string;

	it("should open …/C01 with the 24 h and 5-day clocks anchored on the arrest", async () => {
		const episode = await openCustodyEpisode(t.em(), {
			caseId,
			partyId: accusedPartyId,
			arrestedAt,
			inFlagrante: true,
		});
		episodeId = episode.id;
		expect(episode.custodyNumber).toBe(`${caseNumber}/C01`);
		expect(episode.status).toBe("HELD_BY_POLICE");
		expect(episode.policeHoldDeadline.toISOString()).toBe(new Date("2025-09-03T23:45:00+03:00").toISOString());
		expect(episode.detentionExpiresAt.toISOString()).toBe(new Date("2025-09-07T23:45:00+03:00").toISOString());
		expect(hijriDayOf(episode.detentionExpiresAt)).toEqual({ year: 1447, month: 3, day: 15 });
		await expect(
			openCustodyEpisode(t.em(), { caseId, partyId: accusedPartyId, arrestedAt, inFlagrante: true }),
		).rejects.toThrow(/already has an open custody episode/);
	});

	it("should refuse detention before the investigator has the person", async () => {
		await expect(recordDetentionOrder(t.em(), episodeId, { orderedAt: day(1) })).rejects.toBeInstanceOf(
			IllegalTransitionError,
		);
	});

	it("should record the investigator order, the detention and a branch extension to day 40 (1447-04-20)", async () => {
		await recordInvestigatorOrder(t.em(), episodeId, { orderedAt: new Date("2025-09-03T10:00:00+03:00") });
		const detained = await recordDetentionOrder(t.em(), episodeId, {
			orderedAt: new Date("2025-09-03T14:00:00+03:00"),
		});
		expect(detained.status).toBe("DETAINED");
		const extended = await recordExtension(t.em(), episodeId, {
			newExpiresAt: day(40),
			authority: "BRANCH_HEAD",
			orderedAt: day(4),
		});
		expect(extended.status).toBe("EXTENDED");
		expect(hijriDayOf(extended.detentionExpiresAt)).toEqual({ year: 1447, month: 4, day: 20 });
	});

	it("should refuse a 45-day Attorney General period and keep the expiry unchanged", async () => {
		const error = await recordExtension(t.em(), episodeId, {
			newExpiresAt: day(85),
			authority: "ATTORNEY_GENERAL",
			orderedAt: day(39),
		}).catch((e: unknown) => e);
		expect(isDomainError(error, "RULE_VIOLATION")).toBe(true);
		expect((error as DomainError).message).toMatch(/at most 30 days; 45 were requested/);
		expect((await t.em().findOneOrFail(CustodyEpisodeSchema, episodeId)).detentionExpiresAt.toISOString()).toBe(
			day(40).toISOString(),
		);
	});

	it("should allow AG periods of 30 days up to 180, then only a reasoned court order", async () => {
		for (const to of [70, 100, 130, 160, 180]) {
			const order = {
				newExpiresAt: day(to),
				authority: "ATTORNEY_GENERAL" as const,
				orderedAt: day(to - 31),
				idempotencyKey: `job-ag-${to}`,
			};
			await recordExtension(t.em(), episodeId, order);
			// A redelivered job with the same key changes nothing (and does not fail on the moved expiry).
			await recordExtension(t.em(), episodeId, order);
		}
		await expect(
			recordExtension(t.em(), episodeId, {
				newExpiresAt: day(190),
				authority: "ATTORNEY_GENERAL",
				orderedAt: day(179),
			}),
		).rejects.toThrow(/needs the court/);
		await recordExtension(t.em(), episodeId, {
			newExpiresAt: day(200),
			authority: "COURT",
			orderedAt: day(179),
			reasons: "complex forensic analysis pending",
		});
		const orders = await detentionOrdersOf(t.em(), episodeId);
		expect(orders.map((o) => o.kind)).toEqual([
			"HOLD_ORDER",
			"INITIAL_DETENTION",
			"EXTENSION",
			"EXTENSION",
			"EXTENSION",
			"EXTENSION",
			"EXTENSION",
			"EXTENSION",
			"COURT_EXTENSION",
		]);
		expect(orders.at(-2)!.cumulativeDays).toBe(180);
	});

	it("should release and then refuse any further order", async () => {
		await releaseFromCustody(t.em(), episodeId, { orderedAt: day(195), authority: "COURT", conditions: "guarantee" });
		await expect(
			recordExtension(t.em(), episodeId, {
				newExpiresAt: day(230),
				authority: "COURT",
				orderedAt: day(196),
				reasons: "x",
			}),
		).rejects.toThrow(/RELEASED is a final state/);
	});

	it("should count special-law detention from the referral to the PP", async () => {
		const em = t.em();
		const p09 = (await findPersonByIdNumber(em, "2000000220"))!;
		const suspect = await addParty(em, { caseId, personId: p09.id, role: "SUSPECT" });
		const referredToPpAt = day(2);
		const episode = await openCustodyEpisode(em, {
			caseId,
			partyId: suspect.id,
			arrestedAt,
			referredToPpAt,
			inFlagrante: false,
			governingLaw: "CTL-1439",
		});
		expect(episode.detentionAnchorAt.toISOString()).toBe(referredToPpAt.toISOString());
		expect(episode.detentionExpiresAt.toISOString()).toBe(addDaysInRiyadh(referredToPpAt, 30).toISOString());
		expect(episode.policeHoldDeadline.toISOString()).toBe(day(1).toISOString());
	});

	it("should compute clocks from a compressed table for tests and demos", async () => {
		const fast = { ...LEGAL_CLOCKS, "LCP-1435": { ...LEGAL_CLOCKS["LCP-1435"], policeHoldHours: 1 } };
		const episode = await openCustodyEpisode(
			t.em(),
			{ caseId, partyId: accusedPartyId, arrestedAt: day(300), inFlagrante: false },
			{ clocks: fast },
		);
		expect(episode.custodyNumber).toBe(`${caseNumber}/C03`);
		expect(episode.policeHoldDeadline.getTime() - day(300).getTime()).toBe(3_600_000);
	});
});

describe("evidence and the hash-chained chain of custody", () => {
	let e01: string;
	let e02: string;

	it("should number items per case and chain every custody event", async () => {
		const item = await registerEvidence(t.em(), {
			caseId,
			descriptionAr: "مادة بلورية يشتبه أنها الشبو",
			descriptionEn: "Crystalline substance suspected methamphetamine",
			quantity: { value: 12.4, unit: "g" },
			sealNumber: "784512",
			lossType: "SEIZED",
			collectedBy: "officer:1001",
			collectedAt: arrestedAt,
			location: "السويدي",
		});
		e01 = item.id;
		expect(item.evidenceNumber).toBe(`${caseNumber}/E01`);
		const phone = await registerEvidence(t.em(), {
			caseId,
			descriptionAr: "هاتف محمول",
			digital: true,
			sha256: "a".repeat(64),
			lossType: "SEIZED",
			collectedBy: "officer:1001",
			collectedAt: arrestedAt,
		});
		e02 = phone.id;
		expect(phone.evidenceNumber).toBe(`${caseNumber}/E02`);

		await appendCustodyEvent(t.em(), e01, {
			action: "SEALED",
			toStatus: "SEALED",
			toHolder: "officer:1001",
			occurredAt: new Date("2025-09-03T00:30:00+03:00"),
		});
		await appendCustodyEvent(t.em(), e01, {
			action: "TRANSFERRED",
			toStatus: "IN_EVIDENCE_ROOM",
			fromHolder: "officer:1001",
			toHolder: "custodian:2002",
			occurredAt: new Date("2025-09-03T10:00:00+03:00"),
		});
		await appendCustodyEvent(t.em(), e01, {
			action: "CHECKED_OUT",
			toStatus: "CHECKED_OUT",
			toHolder: "lab:forensics",
			occurredAt: day(2),
		});
		const events = await custodyEventsOf(t.em(), e01);
		expect(events.map((e) => [e.seq, e.action, e.fromHolder])).toEqual([
			[1, "COLLECTED", null],
			[2, "SEALED", "officer:1001"],
			[3, "TRANSFERRED", "officer:1001"],
			[4, "CHECKED_OUT", "custodian:2002"],
		]);
		expect(events[1]!.prevHash).toBe(events[0]!.hash);
		expect(await verifyCustodyChain(t.em(), e01)).toMatchObject({ intact: true, entries: 4, problems: [] });
	});

	it("should reject an illegal evidence transition and a transfer from the wrong holder", async () => {
		await expect(
			appendCustodyEvent(t.em(), e01, { action: "DISPOSED", toStatus: "DESTROYED", toHolder: "x", occurredAt: day(3) }),
		).rejects.toBeInstanceOf(IllegalTransitionError);
		await expect(
			appendCustodyEvent(t.em(), e01, {
				action: "TRANSFERRED",
				fromHolder: "officer:9999",
				toHolder: "x",
				occurredAt: day(3),
			}),
		).rejects.toThrow(/held by lab:forensics, not officer:9999/);
		expect((await t.em().findOneOrFail(EvidenceItemSchema, e01)).custodyEventCount).toBe(4);
	});

	it("should append a redelivered transfer and register a redelivered item once", async () => {
		const transfer = {
			action: "CHECKED_IN" as const,
			toStatus: "IN_EVIDENCE_ROOM" as const,
			fromHolder: "lab:forensics",
			toHolder: "custodian:2002",
			occurredAt: day(12),
			idempotencyKey: "job-checkin-1",
		};
		const [a, b] = await Promise.all([
			appendCustodyEvent(t.em(), e01, transfer),
			appendCustodyEvent(t.em(), e01, transfer),
		]);
		expect(a.id).toBe(b.id);
		expect((await custodyEventsOf(t.em(), e01)).length).toBe(5);
		const input = {
			caseId,
			descriptionAr: "ميزان إلكتروني",
			lossType: "SEIZED" as const,
			collectedBy: "officer:1001",
			collectedAt: arrestedAt,
			idempotencyKey: "job-e03",
		};
		const first = await registerEvidence(t.em(), input);
		expect((await registerEvidence(t.em(), input)).id).toBe(first.id);
		expect(first.evidenceNumber).toBe(`${caseNumber}/E03`);
	});

	it("should serialise concurrent appends into one unbroken chain", async () => {
		await Promise.all(
			Array.from({ length: 6 }, (_, i) =>
				appendCustodyEvent(t.em(), e02, { action: "TRANSFERRED", toHolder: `holder:${i}`, occurredAt: day(1) }),
			),
		);
		expect(await verifyCustodyChain(t.em(), e02)).toMatchObject({ intact: true, entries: 7 });
	});

	it("should refuse updates and deletes in the database (append-only trigger)", async () => {
		await withClient(async (client) => {
			await expect(
				client.query("update evidence_custody_event set note = 'x' where evidence_item_id = $1", [e01]),
			).rejects.toThrow(/append-only/);
			await expect(
				client.query("delete from evidence_custody_event where evidence_item_id = $1", [e01]),
			).rejects.toThrow(/append-only/);
		});
	});

	it("should detect an edited entry and a deleted newest entry made behind the trigger's back", async () => {
		await withClient(async (client) => {
			await client.query("alter table evidence_custody_event disable trigger evidence_custody_event_append_only");
			await client.query(
				"update evidence_custody_event set to_holder = 'officer:6666' where evidence_item_id = $1 and seq = 2",
				[e01],
			);
			await client.query("delete from evidence_custody_event where evidence_item_id = $1 and seq = 7", [e02]);
			await client.query("alter table evidence_custody_event enable trigger evidence_custody_event_append_only");
		});
		const edited = await verifyCustodyChain(t.em(), e01);
		expect(edited.intact).toBe(false);
		expect(edited.problems).toEqual([expect.objectContaining({ seq: 2, problem: "HASH_MISMATCH" })]);
		const truncated = await verifyCustodyChain(t.em(), e02);
		expect(truncated.intact).toBe(false);
		expect(truncated.problems.map((p) => p.problem)).toEqual(["HEAD_MISMATCH"]);
	});
});

describe("hearings, judgments per charge and appeals (C3)", () => {
	it("should convict, open the 30-day window on receipt of the copy, accept day 20, refuse day 31, and finalise", async () => {
		const em = t.em();
		await transitionCharge(em, chargeId, "DETAINED");
		await transitionCharge(em, chargeId, "INDICTED");
		await recordHearing(em, {
			caseId,
			court: "المحكمة الجزائية بالرياض",
			scheduledAt: new Date("2025-11-20T09:00:00+03:00"),
		});
		const judgment = await recordJudgment(em, {
			chargeId,
			level: "FIRST_INSTANCE",
			outcome: "CONVICTED",
			sentence: { prisonDays: 730, deportation: true },
			pronouncedAt: new Date("2025-12-23T11:00:00+03:00"),
		});
		expect(judgment.mandatoryReview).toBe(false);
		await expect(
			recordAppeal(em, {
				judgmentId: judgment.id,
				appellant: "ACCUSED",
				kind: "APPEAL",
				filedAt: new Date("2025-12-30T10:00:00+03:00"),
			}),
		).rejects.toThrow(/receipt of the copy .* is not recorded/);
		const copyReceivedAt = new Date("2025-12-25T10:00:00+03:00");
		const withCopy = await recordJudgmentCopyReceived(em, judgment.id, copyReceivedAt);
		expect(withCopy.appealDeadline?.toISOString()).toBe(addDaysInRiyadh(copyReceivedAt, 30).toISOString());

		const late = await recordAppeal(em, {
			judgmentId: judgment.id,
			appellant: "ACCUSED",
			kind: "APPEAL",
			filedAt: addDaysInRiyadh(copyReceivedAt, 31),
		}).catch((e: unknown) => e);
		expect(isDomainError(late, "DEADLINE_PASSED")).toBe(true);
		const appeal = await recordAppeal(em, {
			judgmentId: judgment.id,
			appellant: "ACCUSED",
			kind: "APPEAL",
			filedAt: addDaysInRiyadh(copyReceivedAt, 20),
		});
		await expect(finaliseJudgment(em, judgment.id)).rejects.toThrow(/undecided objection/);
		await decideAppeal(em, appeal.id, { status: "UPHELD", decidedAt: new Date("2026-02-01T10:00:00+03:00") });
		await finaliseJudgment(em, judgment.id);
		expect((await t.em().findOneOrFail(ChargeSchema, chargeId)).disposition).toBe("FINAL");
		await expect(
			recordAppeal(t.em(), {
				judgmentId: judgment.id,
				appellant: "PUBLIC_PROSECUTION",
				kind: "SUPREME_OBJECTION",
				filedAt: new Date(),
			}),
		).rejects.toThrow(/is final/);
	});
});

describe("case file", () => {
	it("should load every record of the case by number and find it by party", async () => {
		const file = await loadCaseFile(t.em(), caseNumber);
		expect(file.caseRecord.id).toBe(caseId);
		expect(file.parties.map((p) => [p.role, p.person.seedKey])).toEqual([
			["ACCUSED", "P04"],
			["SUSPECT", "P09"],
		]);
		expect(file.offences.map((o) => o.offence.code)).toEqual(["DRG-020"]);
		expect(file.custodyEpisodes.map((e) => e.custodyNumber)).toEqual([
			`${caseNumber}/C01`,
			`${caseNumber}/C02`,
			`${caseNumber}/C03`,
		]);
		expect(file.evidence.map((e) => e.evidenceNumber)).toEqual([
			`${caseNumber}/E01`,
			`${caseNumber}/E02`,
			`${caseNumber}/E03`,
		]);
		expect(file.detentionOrders.length).toBeGreaterThan(5);
		expect(file.judgments).toHaveLength(1);
		expect(file.appeals).toHaveLength(1);
		const p04 = (await findPersonByIdNumber(t.em(), "2000000204"))!;
		const found = await findCases(t.em(), { personId: p04.id, unitCode: "RUH-SWD" });
		expect(found.items.map((c) => c.caseNumber)).toEqual([caseNumber]);
		expect((await findCases(t.em(), { status: "CLOSED" })).total).toBe(0);
		await expect(loadCaseFile(t.em(), "RUH-SWD-1447-999999-1")).rejects.toThrow(/does not exist/);
	});
});

async function withClient(fn: (client: pg.Client) => Promise<void>): Promise<void> {
	const client = new pg.Client({ connectionString: t.db.url });
	await client.connect();
	try {
		await fn(client);
	} finally {
		await client.end();
	}
}
