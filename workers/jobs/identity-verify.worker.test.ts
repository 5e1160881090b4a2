import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isValidSaudiId } from "../../domain";
import { createWorkersTestDatabase, nextJobKey, type WorkersTestDatabase } from "../testing/workers-database";
import { identityVerifyWorker } from "./identity-verify.worker";

/** A well-formed national ID (valid Luhn digit) that is not in the seeded registry. */
function unknownValidId(): string {
	for (let digit = 0; digit <= 9; digit++) {
		const candidate = `109876543${digit}`;
		if (isValidSaudiId(candidate)) return candidate;
	}
	throw new Error("no valid check digit found");
}

describe("identity.verify", () => {
	let kit: WorkersTestDatabase;
	beforeAll(async () => {
		kit = await createWorkersTestDatabase("workers_identity");
	});
	afterAll(async () => {
		await kit?.close();
	});

	const verify = (reporterNationalId: string, key = nextJobKey()) =>
		kit.run(identityVerifyWorker, { key, variables: { reporterNationalId }, customHeaders: { subject: "reporter" } });

	it("should write the person id and verified=true for a person in the registry", async () => {
		const key = nextJobKey();
		const result = await verify("1000000107", key);
		expect(result.outcome).toMatchObject({ kind: "complete", variables: { reporterVerified: true, reporterPersonId: expect.any(String) } });
		const again = await verify("1000000107", key);
		expect(again).toMatchObject({ replayed: true, outcome: result.outcome });
		expect(await kit.rows("select id from person where primary_id_number = ?", ["1000000107"])).toHaveLength(1);
	});

	it("should throw IDENTITY_NOT_FOUND for a valid but unknown number, without the number in the message", async () => {
		const id = unknownValidId();
		const result = await verify(id);
		expect(result.outcome).toMatchObject({ kind: "error", errorCode: "IDENTITY_NOT_FOUND", variables: { reporterVerified: false } });
		expect(JSON.stringify(result.outcome)).not.toContain(id);
	});

	it("should throw IDENTITY_NOT_FOUND for a number whose check digit is wrong", async () => {
		const result = await verify("1000000108");
		expect(result.outcome).toMatchObject({ kind: "error", errorCode: "IDENTITY_NOT_FOUND", errorMessage: expect.stringContaining("not a valid") });
	});

	it("should fail with no retries when the subject's number is not mapped", async () => {
		const result = await kit.run(identityVerifyWorker, { variables: {}, customHeaders: { subject: "reporter" } });
		expect(result.outcome).toMatchObject({ kind: "fail", final: true, errorMessage: expect.stringContaining("reporterNationalId") });
	});
});
