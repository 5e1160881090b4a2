import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkersTestDatabase, nextJobKey, type WorkersTestDatabase } from "../testing/workers-database";
import { caseAssignNumberWorker } from "./case-assign-number.worker";
import { notifyCitizenWorker } from "./notify-citizen.worker";
import { notifyStaffWorker } from "./notify-staff.worker";
import { prosecutionNotifyWorker } from "./prosecution-notify.worker";

describe("prosecution.notify, notify.citizen, notify.staff (outbox)", () => {
	let kit: WorkersTestDatabase;
	let caseNumber: string;
	const outbox = (like: string) =>
		kit.rows<{ channel: string; recipient: string; template: string; payload: Record<string, unknown> }>(
			"select channel, recipient, template, payload from notification where idempotency_key like ? order by idempotency_key",
			[like],
		);
	beforeAll(async () => {
		kit = await createWorkersTestDatabase("workers_notify");
		const registered = await kit.run(caseAssignNumberWorker, { variables: { unitCode: "RUH-OLY" }, customHeaders: { series: "CASE" } });
		caseNumber = String(registered.outcome.kind === "complete" && registered.outcome.variables.caseNumber);
	});
	afterAll(async () => {
		await kit?.close();
	});

	it("should queue one PROSECUTION row per job key and write prosecutionNotifiedAt", async () => {
		const key = nextJobKey();
		const job = { key, variables: { caseNumber }, customHeaders: { event: "REPORT" } };
		const first = await kit.run(prosecutionNotifyWorker, job);
		await kit.run(prosecutionNotifyWorker, job);
		expect(first.outcome).toEqual({ kind: "complete", variables: { prosecutionNotifiedAt: "2025-09-03T10:00:00+03:00" } });
		expect(await outbox(key)).toEqual([
			{
				channel: "PROSECUTION",
				recipient: "public-prosecution:RUH",
				template: "prosecution-report",
				payload: expect.objectContaining({ event: "REPORT", caseNumber }),
			},
		]);
	});

	it("should need custodyId for an ARREST notification", async () => {
		const result = await kit.run(prosecutionNotifyWorker, { variables: { caseNumber }, customHeaders: { event: "ARREST" } });
		expect(result.outcome).toMatchObject({ kind: "fail", final: true, errorMessage: expect.stringContaining("custodyId") });
	});

	it("should send the citizen an Arabic-first SMS to the reporter's mobile", async () => {
		const key = nextJobKey();
		const result = await kit.run(notifyCitizenWorker, {
			key,
			variables: { caseNumber, reporterPhone: "0501234567" },
			customHeaders: { template: "report-receipt" },
		});
		expect(result.outcome).toMatchObject({ kind: "complete", variables: { notifiedAt: expect.any(String) } });
		expect(await outbox(`${key}:%`)).toEqual([
			{
				channel: "SMS",
				recipient: "+966501234567",
				template: "report-receipt",
				payload: expect.objectContaining({ textAr: `تم استلام بلاغكم رقم ${caseNumber}`, role: "reporter" }),
			},
		]);
	});

	it("should tell the duty desk when no recipient has a contact on file", async () => {
		const key = nextJobKey();
		await kit.run(notifyCitizenWorker, { key, variables: { caseNumber }, customHeaders: { template: "dismissal-notice" } });
		expect(await outbox(`${key}:%`)).toMatchObject([{ channel: "INTERNAL", recipient: "duty-desk-officer:RUH-OLY", template: "citizen-without-contact" }]);
	});

	it("should notify the audience of the case's unit with the reason", async () => {
		const key = nextJobKey();
		await kit.run(notifyStaffWorker, {
			key,
			variables: { caseNumber, custodyId: `${caseNumber}/C01` },
			customHeaders: { audience: "legal-compliance", reason: "CUSTODY_LIMIT_BREACH" },
		});
		expect(await outbox(key)).toEqual([
			{
				channel: "INTERNAL",
				recipient: "legal-compliance:RUH-OLY",
				template: "staff-custody_limit_breach",
				payload: expect.objectContaining({ reason: "CUSTODY_LIMIT_BREACH", textAr: "تجاوز مدة الـ24 ساعة دون أمر" }),
			},
		]);
	});
});
