import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "../../domain";
import { createWorkersTestDatabase, nextJobKey, type WorkersTestDatabase } from "../testing/workers-database";
import { businessError, complete, fail, type JobModule } from "./job-module";

/** A module that writes one outbox-like row per call, so effects can be counted. */
function counting(outcome: "complete" | "error" | "error-kept" | "fail" | "throw" | "domain-error"): JobModule {
	return {
		type: "test.count",
		description: "writes a row, then settles as told",
		async handle(job, { em }) {
			await em.execute("insert into effect (job_key) values (?)", [job.key]);
			if (outcome === "complete") return complete({ caseNumber: "RUH-OLY-1447-000001-1", done: true });
			if (outcome === "error") return businessError("IDENTITY_NOT_FOUND", "not in the registry", { verified: false });
			if (outcome === "error-kept") return businessError("SEAL_BROKEN", "seal differs", {}, { keepWrites: true });
			if (outcome === "fail") return fail("the adapter is down");
			if (outcome === "domain-error") throw new DomainError("INVALID_STATE", "case is CLOSED");
			throw new Error("connection reset");
		},
	};
}

describe("runJob", () => {
	let kit: WorkersTestDatabase;
	const effects = async (key: string) =>
		Number((await kit.rows<{ n: string }>("select count(*) as n from effect where job_key = ?", [key]))[0]!.n);

	beforeAll(async () => {
		kit = await createWorkersTestDatabase("workers_runjob");
		await kit.rows("create table effect (job_key text not null)");
	});
	afterAll(async () => {
		await kit?.close();
	});

	it("should do the work once and replay the stored outcome when the same job key is delivered twice", async () => {
		const key = nextJobKey();
		const first = await kit.run(counting("complete"), { key });
		const second = await kit.run(counting("complete"), { key });
		expect(first).toEqual({ outcome: complete({ caseNumber: "RUH-OLY-1447-000001-1", done: true }), replayed: false, caseNumber: "RUH-OLY-1447-000001-1" });
		expect(second.replayed).toBe(true);
		expect(second.outcome).toEqual(first.outcome);
		expect(await effects(key)).toBe(1);
	});

	it("should store a business error without its writes and replay it on redelivery", async () => {
		const key = nextJobKey();
		const first = await kit.run(counting("error"), { key });
		expect(first.outcome).toEqual({ kind: "error", errorCode: "IDENTITY_NOT_FOUND", errorMessage: "not in the registry", variables: { verified: false } });
		expect(await effects(key)).toBe(0);
		const again = await kit.run(counting("complete"), { key });
		expect(again).toMatchObject({ replayed: true, outcome: { kind: "error", errorCode: "IDENTITY_NOT_FOUND" } });
		expect(await effects(key)).toBe(0);
	});

	it("should commit the writes of a business error that keeps them, once", async () => {
		const key = nextJobKey();
		expect((await kit.run(counting("error-kept"), { key })).outcome).toMatchObject({ kind: "error", errorCode: "SEAL_BROKEN" });
		expect((await kit.run(counting("error-kept"), { key })).replayed).toBe(true);
		expect(await effects(key)).toBe(1);
	});

	it("should roll back and store nothing when the handler fails, so the retry runs it again", async () => {
		const key = nextJobKey();
		expect((await kit.run(counting("fail"), { key })).outcome).toEqual({ kind: "fail", errorMessage: "the adapter is down" });
		expect((await kit.run(counting("throw"), { key })).outcome).toMatchObject({ kind: "fail", final: false, errorMessage: "test.count failed: connection reset" });
		expect(await effects(key)).toBe(0);
		const retry = await kit.run(counting("complete"), { key });
		expect(retry.replayed).toBe(false);
		expect(await effects(key)).toBe(1);
	});

	it("should fail finally (no retries) when the domain refuses, since the same input fails the same way", async () => {
		const result = await kit.run(counting("domain-error"), {});
		expect(result.outcome).toMatchObject({ kind: "fail", final: true, errorMessage: "test.count failed: case is CLOSED" });
	});

	it("should let exactly one of two concurrent deliveries do the work", async () => {
		const key = nextJobKey();
		const results = await Promise.all([kit.run(counting("complete"), { key }), kit.run(counting("complete"), { key })]);
		expect(results.map((r) => r.outcome.kind)).toEqual(["complete", "complete"]);
		expect(await effects(key)).toBe(1);
	});
});
