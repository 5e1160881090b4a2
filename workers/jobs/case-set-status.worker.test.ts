import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkersTestDatabase, type WorkersTestDatabase } from "../testing/workers-database";
import { caseAssignNumberWorker } from "./case-assign-number.worker";
import { caseSetStatusWorker } from "./case-set-status.worker";

describe("case.set-status", () => {
	let kit: WorkersTestDatabase;
	let caseNumber: string;
	beforeAll(async () => {
		kit = await createWorkersTestDatabase("workers_case_status");
		const registered = await kit.run(caseAssignNumberWorker, { variables: { unitCode: "RUH-OLY" }, customHeaders: { series: "CASE" } });
		caseNumber = String(registered.outcome.kind === "complete" && registered.outcome.variables.caseNumber);
	});
	afterAll(async () => {
		await kit?.close();
	});

	it("should move the case along its state machine and write caseStatus", async () => {
		const result = await kit.run(caseSetStatusWorker, { variables: { caseNumber }, customHeaders: { status: "UNDER_INQUIRY" } });
		expect(result.outcome).toEqual({ kind: "complete", variables: { caseStatus: "UNDER_INQUIRY" } });
		expect(await kit.rows("select status from case_record where case_number = ?", [caseNumber])).toEqual([{ status: "UNDER_INQUIRY" }]);
	});

	it("should fail with no retries on an illegal move, never silently", async () => {
		const result = await kit.run(caseSetStatusWorker, { variables: { caseNumber }, customHeaders: { status: "FINAL_JUDGMENT" } });
		expect(result.outcome).toMatchObject({ kind: "fail", final: true });
		expect(await kit.rows("select status from case_record where case_number = ?", [caseNumber])).toEqual([{ status: "UNDER_INQUIRY" }]);
	});

	it("should fail with no retries when the header is not a status of the template", async () => {
		const result = await kit.run(caseSetStatusWorker, { variables: { caseNumber }, customHeaders: { status: "ARCHIVED" } });
		expect(result.outcome).toMatchObject({ kind: "fail", final: true, errorMessage: expect.stringContaining("header 'status'") });
	});
});
