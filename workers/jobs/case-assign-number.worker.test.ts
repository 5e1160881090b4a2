import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caseNumberCheckDigit, parseCaseNumber } from "../../domain";
import { createWorkersTestDatabase, nextJobKey, type WorkersTestDatabase } from "../testing/workers-database";
import { caseAssignNumberWorker } from "./case-assign-number.worker";

describe("case.assign-number", () => {
	let kit: WorkersTestDatabase;
	beforeAll(async () => {
		kit = await createWorkersTestDatabase("workers_case_number");
	});
	afterAll(async () => {
		await kit?.close();
	});

	const assign = (key: string, unitCode = "RUH-OLY", series = "CASE") =>
		kit.run(caseAssignNumberWorker, {
			key,
			variables: { unitCode, reportedAt: "2025-09-02T22:30:00+03:00" },
			customHeaders: { series },
		});

	it("should number cases per unit and Hijri year with the Luhn check digit of domain.md §2.6", async () => {
		const first = await assign(nextJobKey());
		const second = await assign(nextJobKey());
		const other = await assign(nextJobKey(), "RUH-MLZ");
		const numbers = [first, second, other].map((r) =>
			r.outcome.kind === "complete" ? r.outcome.variables.caseNumber : r.outcome,
		);
		expect(numbers).toEqual([
			`RUH-OLY-1447-000001-${caseNumberCheckDigit(1447, 1)}`,
			`RUH-OLY-1447-000002-${caseNumberCheckDigit(1447, 2)}`,
			`RUH-MLZ-1447-000001-${caseNumberCheckDigit(1447, 1)}`,
		]);
		expect(numbers.every((n) => parseCaseNumber(String(n)).valid)).toBe(true);
	});

	it("should give a redelivered job the same number and register one case", async () => {
		const key = nextJobKey();
		const first = await assign(key, "RUH-NSM");
		const again = await assign(key, "RUH-NSM");
		expect(again.outcome).toEqual(first.outcome);
		const rows = await kit.rows("select case_number from case_record where idempotency_key = ?", [key]);
		expect(rows).toHaveLength(1);
	});

	it("should register the case with the classification of the report-classification DMN (triage.classificationLevel)", async () => {
		const key = nextJobKey();
		const result = await kit.run(caseAssignNumberWorker, {
			key,
			variables: {
				unitCode: "RUH-MLZ",
				reportedAt: "2025-10-05T10:30:00+03:00",
				triage: { track: "CRIMINAL", classificationLevel: "SECRET" },
			},
			customHeaders: { series: "CASE" },
		});
		expect(result.outcome.kind).toBe("complete");
		expect(await kit.rows("select classification from case_record where idempotency_key = ?", [key])).toEqual([
			{ classification: "SECRET" },
		]);
	});

	it("should number a lost-property report MFQ-{year}-{seq} for series MFQ", async () => {
		const result = await assign(nextJobKey(), "RUH-OLY", "MFQ");
		expect(result.outcome).toMatchObject({
			kind: "complete",
			variables: { caseNumber: expect.stringMatching(/^MFQ-1447-\d{6}$/) },
		});
	});

	it("should fail with no retries when the unit is unknown, naming the unit", async () => {
		const result = await assign(nextJobKey(), "RUH-XXX");
		expect(result.outcome).toMatchObject({
			kind: "fail",
			final: true,
			errorMessage: expect.stringContaining("RUH-XXX"),
		});
	});
});
