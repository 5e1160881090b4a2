import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CaseRecordSchema, IdentifierSequenceSchema, NotificationSchema, PersonSchema } from "../entities";
import { isDomainError } from "../errors";
import { parseCaseNumber } from "../rules/case-number.rule";
import { IllegalTransitionError } from "../rules/state-machine.rule";
import { seedDomain } from "../seed/seed";
import { createDomainTestDatabase, type DomainTestDatabase } from "../testing/domain-database";
import {
	addCharge,
	addExternalRef,
	addOffence,
	addParty,
	registerCase,
	registerReport,
	transitionCase,
	transitionCharge,
	transitionReport,
} from "./case.service";
import {
	claimDueNotifications,
	enqueueNotification,
	markNotificationFailed,
	markNotificationSent,
} from "./notification.service";
import { findOrCreatePerson, findPersonByIdNumber, LocalPersonRegistry, searchPersonsByName } from "./person.service";

let t: DomainTestDatabase;
beforeAll(async () => {
	t = await createDomainTestDatabase("domain_cases");
});
afterAll(async () => {
	await t?.close();
});

// 2025-09-02 22:10 Riyadh is 1447-03-10 AH (scenario C1).
const c1Time = new Date("2025-09-02T22:10:00+03:00");

describe("seed", () => {
	it("should be idempotent and mark every person synthetic", async () => {
		expect(await seedDomain(t.orm)).toEqual({ units: 0, offences: 0, persons: 0, registryEntries: 0 });
		const people = await t.em().find(PersonSchema, {});
		expect(people).toHaveLength(11);
		expect(people.every((person) => person.synthetic)).toBe(true);
		const p10 = people.find((person) => person.seedKey === "P10")!;
		expect(p10.primaryIdNumber).toBeNull();
		expect(people.find((person) => person.seedKey === "P11")!.mobile).toBeNull();
		expect(people.find((person) => person.seedKey === "P04")!).toMatchObject({
			primaryIdType: "IQAMA",
			mobile: "+966571234567",
		});
	});
});

describe("case registration and numbering", () => {
	it("should number cases per unit and Hijri year with the check digit", async () => {
		const first = await registerCase(t.em(), { unitCode: "RUH-OLY", openedAt: c1Time, synthetic: true });
		expect(first.caseNumber).toBe("RUH-OLY-1447-000001-0");
		expect(parseCaseNumber(first.caseNumber).valid).toBe(true);
		expect(first.status).toBe("OPEN");
		const other = await registerCase(t.em(), { unitCode: "RUH-MLZ", openedAt: c1Time });
		expect(other.caseNumber).toMatch(/^RUH-MLZ-1447-000001-\d$/);
	});

	it("should give 20 concurrent registrations 20 distinct consecutive numbers", async () => {
		const results = await Promise.all(
			Array.from({ length: 20 }, () => registerCase(t.em(), { unitCode: "RUH-NSM", openedAt: c1Time })),
		);
		const sequences = results.map((c) => c.sequence).sort((a, b) => a - b);
		expect(sequences).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
		expect(new Set(results.map((c) => c.caseNumber)).size).toBe(20);
		expect(results.every((c) => parseCaseNumber(c.caseNumber).valid)).toBe(true);
		const row = await t.em().findOneOrFail(IdentifierSequenceSchema, { series: "RUH-NSM", hijriYear: 1447 });
		expect(row.lastValue).toBe(20);
	});

	it("should restart the sequence at 1 Muharram in Riyadh time", async () => {
		// 1 Muharram 1448 starts 2026-06-16 00:00 Riyadh = 2026-06-15 21:00 UTC.
		const lastOfYear = await registerCase(t.em(), { unitCode: "RUH-YSM", openedAt: new Date("2026-06-15T20:59:00Z") });
		const firstOfYear = await registerCase(t.em(), { unitCode: "RUH-YSM", openedAt: new Date("2026-06-15T21:01:00Z") });
		expect(lastOfYear.caseNumber).toMatch(/^RUH-YSM-1447-000001-/);
		expect(firstOfYear.caseNumber).toMatch(/^RUH-YSM-1448-000001-/);
	});

	it("should return the first case for a redelivered job, without using up a number", async () => {
		const input = { unitCode: "RUH-TRF", openedAt: c1Time, idempotencyKey: "job-4503599627370497" };
		const first = await registerCase(t.em(), input);
		const concurrent = await Promise.all([1, 2, 3].map(() => registerCase(t.em(), input)));
		expect(new Set([first.id, ...concurrent.map((c) => c.id)]).size).toBe(1);
		const next = await registerCase(t.em(), { unitCode: "RUH-TRF", openedAt: c1Time });
		expect(next.sequence).toBe(first.sequence + 1);
	});

	it("should refuse an unknown unit with a message naming it", async () => {
		await expect(registerCase(t.em(), { unitCode: "RUH-XXX", openedAt: c1Time })).rejects.toThrow(
			/Unit 'RUH-XXX' is not registered/,
		);
	});

	it("should number reports BLG- and lost-property reports MFQ-", async () => {
		const report = await registerReport(t.em(), {
			unitCode: "RUH-OLY",
			kind: "CRIMINAL",
			channel: "EMERGENCY_911",
			receivedAt: c1Time,
			summary: "سرقة هواتف من متجر",
		});
		const lost = await registerReport(t.em(), {
			unitCode: "RUH-YSM",
			kind: "LOST_PROPERTY",
			channel: "KOLLONA_AMN",
			receivedAt: c1Time,
			summary: "فقدان محفظة",
		});
		expect(report.reportNumber).toBe("BLG-1447-000001");
		expect(lost.reportNumber).toBe("MFQ-1447-000001");
		await transitionReport(t.em(), report.id, "TRIAGED");
		expect((await transitionReport(t.em(), report.id, "CASE_OPENED")).status).toBe("CASE_OPENED");
		await expect(transitionReport(t.em(), lost.id, "CASE_OPENED")).rejects.toBeInstanceOf(IllegalTransitionError);
	});
});

describe("case state machine on records", () => {
	it("should reject an illegal transition and leave the case unchanged", async () => {
		const c = await registerCase(t.em(), { unitCode: "RUH-SWD", openedAt: c1Time });
		await transitionCase(t.em(), c.id, "UNDER_INQUIRY");
		await expect(transitionCase(t.em(), c.id, "IN_TRIAL")).rejects.toThrow(
			new RegExp(`Cannot move case '${c.caseNumber}' from UNDER_INQUIRY to IN_TRIAL`),
		);
		expect((await t.em().findOneOrFail(CaseRecordSchema, c.id)).status).toBe("UNDER_INQUIRY");
	});

	it("should reopen a temporary dismissal but not a final one", async () => {
		const temporary = await registerCase(t.em(), { unitCode: "RUH-SWD", openedAt: c1Time });
		for (const status of ["UNDER_INQUIRY", "REFERRED_TO_PP"] as const)
			await transitionCase(t.em(), temporary.id, status);
		await expect(transitionCase(t.em(), temporary.id, "DISMISSED_BY_PP")).rejects.toThrow(/needs a dismissal reason/);
		await transitionCase(t.em(), temporary.id, "DISMISSED_BY_PP", { dismissalReason: "INSUFFICIENT_EVIDENCE" });
		expect((await transitionCase(t.em(), temporary.id, "UNDER_INQUIRY")).dismissalReason).toBeNull();

		const final = await registerCase(t.em(), { unitCode: "RUH-SWD", openedAt: c1Time });
		for (const status of ["UNDER_INQUIRY", "REFERRED_TO_PP"] as const) await transitionCase(t.em(), final.id, status);
		await transitionCase(t.em(), final.id, "DISMISSED_BY_PP", {
			dismissalReason: "PRIVATE_RIGHT_WAIVED",
			dismissalFinal: true,
		});
		const error = await transitionCase(t.em(), final.id, "UNDER_INQUIRY").catch((e: unknown) => e);
		expect(isDomainError(error, "INVALID_STATE")).toBe(true);
		expect((await transitionCase(t.em(), final.id, "CLOSED")).closedAt).toBeInstanceOf(Date);
	});
});

describe("persons, parties, offences and charges", () => {
	it("should deduplicate persons by ID number, Arabic-Indic digits included", async () => {
		const p03 = await findPersonByIdNumber(t.em(), "١٠٠٠٠٠٠١٢٣");
		expect(p03?.seedKey).toBe("P03");
		const again = await findOrCreatePerson(t.em(), {
			idType: "NATIONAL_ID",
			idNumber: "1000000123",
			firstNameAr: "خالد",
		});
		expect(again).toMatchObject({ created: false });
		expect(again.person.id).toBe(p03!.id);
		await expect(
			findOrCreatePerson(t.em(), { idType: "IQAMA", idNumber: "2000000221", firstNameAr: "تركي" }),
		).rejects.toThrow(/wrong check digit/);
	});

	it("should create one person when the same new ID arrives concurrently", async () => {
		const results = await Promise.all(
			Array.from({ length: 4 }, () =>
				findOrCreatePerson(t.em(), {
					idType: "PASSPORT",
					idNumber: "AB1234567",
					issuingCountry: "GB",
					firstNameAr: "جون",
				}),
			),
		);
		expect(new Set(results.map((r) => r.person.id)).size).toBe(1);
		expect(results.filter((r) => r.created)).toHaveLength(1);
	});

	it("should find people by name across spelling variants", async () => {
		const found = await searchPersonsByName(t.em(), "يوسف ابراهيم");
		expect(found.map((p) => p.seedKey)).toEqual(["P08"]);
		expect((await searchPersonsByName(t.em(), "al-qahtani")).map((p) => p.seedKey)).toEqual(["P01"]);
		expect((await searchPersonsByName(t.em(), "فهد القحطانى")).map((p) => p.seedKey)).toEqual(["P01"]);
		expect(await searchPersonsByName(t.em(), "فهد الدوسري")).toEqual([]);
	});

	it("should answer identity lookups from the local registry, checking the format first", async () => {
		const registry = new LocalPersonRegistry(t.em());
		expect(await registry.lookup("2000000204")).toMatchObject({
			status: "FOUND",
			entry: { nationality: "PK", synthetic: true },
		});
		expect(await registry.lookup("2000000221")).toMatchObject({ status: "INVALID_FORMAT" });
		expect(await registry.lookup("1000000008")).toEqual({ status: "NOT_FOUND" });
	});

	it("should keep dispositions per accused per charge and mark a juvenile case SECRET", async () => {
		const em = t.em();
		const c = await registerCase(em, { unitCode: "RUH-MLZ", openedAt: c1Time });
		const p08 = (await findPersonByIdNumber(em, "1000000156"))!;
		const p06 = (await findPersonByIdNumber(em, "1000000131"))!;
		const guardian = await addParty(em, { caseId: c.id, personId: p06.id, role: "GUARDIAN" });
		const accused = await addParty(em, {
			caseId: c.id,
			personId: p08.id,
			role: "ACCUSED",
			ageAtOffence: 16,
			guardianPartyId: guardian.id,
		});
		expect(accused.isJuvenile).toBe(true);
		expect((await t.em().findOneOrFail(CaseRecordSchema, c.id)).classification).toBe("SECRET");
		expect((await addParty(em, { caseId: c.id, personId: p08.id, role: "ACCUSED" })).id).toBe(accused.id);

		const assault = await addOffence(em, c.id, "ASL-001");
		const damage = await addOffence(em, c.id, "DMG-001");
		const charge1 = await addCharge(em, accused.id, assault.id);
		const charge2 = await addCharge(em, accused.id, damage.id);
		await transitionCharge(em, charge1.id, "DISMISSED", { dismissalReason: "PRIVATE_RIGHT_WAIVED" });
		await transitionCharge(em, charge2.id, "INDICTED");
		await expect(transitionCharge(em, charge1.id, "CONVICTED")).rejects.toBeInstanceOf(IllegalTransitionError);
		await expect(addCharge(em, guardian.id, assault.id)).rejects.toThrow(/Only a SUSPECT or ACCUSED/);
		await expect(addOffence(em, c.id, "ZZZ-999")).rejects.toThrow(/not in the catalogue/);
	});

	it("should derive age and the juvenile flag from a Hijri date of birth", async () => {
		// C5/C6 era: P08 (born 1431-03-02 AH = 2010-02-16) is 16.
		const c = await registerCase(t.em(), { unitCode: "RUH-MLZ", openedAt: new Date("2026-02-18T21:40:00+03:00") });
		const p08 = (await findPersonByIdNumber(t.em(), "1000000156"))!;
		const p01 = (await findPersonByIdNumber(t.em(), "1000000107"))!;
		const juvenile = await addParty(t.em(), { caseId: c.id, personId: p08.id, role: "SUSPECT" });
		expect(juvenile).toMatchObject({ ageAtOffence: 16, isJuvenile: true });
		const adult = await addParty(t.em(), { caseId: c.id, personId: p01.id, role: "WITNESS" });
		expect(adult.isJuvenile).toBe(false);
		expect(adult.ageAtOffence).toBeGreaterThan(30);
	});

	it("should refuse the same external reference on two cases", async () => {
		const a = await registerCase(t.em(), { unitCode: "RUH-OLY", openedAt: c1Time });
		const b = await registerCase(t.em(), { unitCode: "RUH-OLY", openedAt: c1Time });
		await addExternalRef(t.em(), a.id, "PP_CASE_NUMBER", "PP-1447-778");
		expect((await addExternalRef(t.em(), a.id, "PP_CASE_NUMBER", "PP-1447-778")).caseRecord.id).toBe(a.id);
		await expect(addExternalRef(t.em(), b.id, "PP_CASE_NUMBER", "PP-1447-778")).rejects.toThrow(/already attached/);
	});
});

describe("notification outbox", () => {
	it("should enqueue once per idempotency key, also under concurrent redelivery", async () => {
		const input = {
			idempotencyKey: "job-2251799813685260",
			channel: "SMS" as const,
			recipient: "0501234567",
			template: "guardian-notified",
			payload: { caseNumber: "RUH-MLZ-1447-000310-5" },
		};
		const results = await Promise.all([1, 2, 3].map(() => enqueueNotification(t.em(), input)));
		expect(results.filter((r) => r.created)).toHaveLength(1);
		expect(new Set(results.map((r) => r.notification.id)).size).toBe(1);
		expect(results[0]!.notification).toMatchObject({ recipient: "+966501234567", status: "PENDING", attempts: 0 });
		expect(await t.em().count(NotificationSchema, { idempotencyKey: input.idempotencyKey })).toBe(1);
		await expect(
			enqueueNotification(t.em(), { ...input, idempotencyKey: "x", recipient: "0112345678" }),
		).rejects.toThrow(/cannot receive SMS/);
	});

	it("should let two senders claim disjoint rows, retry with back-off, and mark sent", async () => {
		for (let i = 0; i < 4; i++) {
			await enqueueNotification(t.em(), {
				idempotencyKey: `pp-${i}`,
				channel: "PROSECUTION",
				recipient: "PP",
				template: "arrest",
				payload: { i },
			});
		}
		const now = new Date(Date.now() + 1000);
		const [a, b] = await Promise.all([claimDueNotifications(t.em(), 3, now), claimDueNotifications(t.em(), 3, now)]);
		const ids = [...a, ...b].map((n) => n.id);
		expect(new Set(ids).size).toBe(ids.length);
		const first = a[0] ?? b[0]!;
		await markNotificationFailed(t.em(), first.id, "gateway timeout", { now });
		const failed = await t.em().findOneOrFail(NotificationSchema, first.id);
		expect(failed).toMatchObject({ status: "PENDING", attempts: 1, lastError: "gateway timeout" });
		expect(failed.nextAttemptAt.getTime()).toBe(now.getTime() + 60_000);
		const second = a[1] ?? b[1]!;
		await markNotificationSent(t.em(), second.id);
		expect((await t.em().findOneOrFail(NotificationSchema, second.id)).status).toBe("SENT");
	});
});
