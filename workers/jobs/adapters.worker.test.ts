import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkersTestDatabase, nextJobKey, type WorkersTestDatabase } from "../testing/workers-database";
import { caseAssignNumberWorker } from "./case-assign-number.worker";
import { evidenceRegisterWorker } from "./evidence-register.worker";
import { foundItemsMatchWorker } from "./found-items-match.worker";
import { labSubmitWorker } from "./lab-submit.worker";
import { passportsDeportationRequestWorker } from "./passports-deportation-request.worker";
import { prosecutionSubmitWorker } from "./prosecution-submit.worker";
import { recordsUpdateCriminalRecordWorker } from "./records-update-criminal-record.worker";

describe("lab.submit, prosecution.submit, found-items.match, records.update-criminal-record, passports.deportation-request", () => {
	let kit: WorkersTestDatabase;
	let caseNumber: string;
	const outbox = (key: string) =>
		kit.rows<{ channel: string; recipient: string; template: string }>("select channel, recipient, template from notification where idempotency_key = ?", [key]);
	beforeAll(async () => {
		kit = await createWorkersTestDatabase("workers_adapters");
		const registered = await kit.run(caseAssignNumberWorker, { variables: { unitCode: "RUH-OLY" }, customHeaders: { series: "CASE" } });
		caseNumber = String(registered.outcome.kind === "complete" && registered.outcome.variables.caseNumber);
	});
	afterAll(async () => {
		await kit?.close();
	});

	it("should submit a lab request with a yearly number and the follow-up duration", async () => {
		const key = nextJobKey();
		const result = await kit.run(labSubmitWorker, { key, variables: { caseNumber, labRequestNotes: "بصمات" } });
		expect(result.outcome).toEqual({ kind: "complete", variables: { labRequestId: "LAB-1447-000001", labFollowUp: "P14D" } });
		expect(await outbox(key)).toEqual([{ channel: "INTERNAL", recipient: "forensic-lab:RUH", template: "lab-request" }]);
	});

	it("should submit the referral once with a PP reference", async () => {
		const key = nextJobKey();
		const job = { key, variables: { caseNumber, generatedDocumentId: "0192f0c0-0000-7000-8000-000000000001" } };
		const first = await kit.run(prosecutionSubmitWorker, job);
		const again = await kit.run(prosecutionSubmitWorker, job);
		expect(first.outcome).toEqual({ kind: "complete", variables: { ppReferenceNumber: "PP-1447-000001", referralSubmittedAt: "2025-09-03T10:00:00+03:00" } });
		expect(again.outcome).toEqual(first.outcome);
		expect(await outbox(key)).toHaveLength(1);
	});

	it("should publish ItemFound when a found item matches the lost item's description", async () => {
		const lost = await kit.run(caseAssignNumberWorker, { variables: { unitCode: "RUH-OLY", itemDescription: "محفظة جلد بنية" }, customHeaders: { series: "MFQ" } });
		const reportNumber = String(lost.outcome.kind === "complete" && lost.outcome.variables.caseNumber);
		const miss = await kit.run(foundItemsMatchWorker, { variables: { caseNumber: reportNumber } });
		expect(miss.outcome).toEqual({ kind: "complete", variables: { lastMatchAt: "2025-09-03T10:00:00+03:00" } });
		await kit.run(evidenceRegisterWorker, { variables: { caseNumber, evidenceItem: { descriptionAr: "محفظة جلد بنية اللون", lossType: "FOUND" } } });
		const hit = await kit.run(foundItemsMatchWorker, { variables: { caseNumber: reportNumber } });
		expect(hit.outcome).toMatchObject({
			variables: { foundItemId: `${caseNumber}/E01` },
			messages: [{ name: "ItemFound", correlationKey: reportNumber, messageId: `${reportNumber}:${caseNumber}/E01` }],
		});
	});

	it("should send the conviction to the criminal record and a deportation request for a non-Saudi only", async () => {
		const key = nextJobKey();
		const recorded = await kit.run(recordsUpdateCriminalRecordWorker, { key, variables: { caseNumber, accusedPersonId: "p-1", verdict: "CONVICTED" } });
		expect(recorded.outcome).toMatchObject({ kind: "complete", variables: { criminalRecordUpdatedAt: expect.any(String) } });
		expect(await outbox(key)).toHaveLength(1);
		const foreign = await kit.run(passportsDeportationRequestWorker, { variables: { accusedPersonId: "p-2", nationality: "PK" } });
		expect(foreign.outcome).toEqual({ kind: "complete", variables: { deportationRequestId: "DEP-1447-000001" } });
		const saudi = await kit.run(passportsDeportationRequestWorker, { variables: { accusedPersonId: "p-3", nationality: "SA" } });
		expect(saudi.outcome).toEqual({ kind: "complete", variables: { deportationRequestId: null } });
	});
});
