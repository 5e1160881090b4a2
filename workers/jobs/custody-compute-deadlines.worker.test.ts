import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LEGAL_CLOCKS } from "../../domain";
import { createWorkersTestDatabase, type WorkersTestDatabase } from "../testing/workers-database";
import { custodyComputeDeadlinesWorker } from "./custody-compute-deadlines.worker";

// domain.md §5.4 C1: arrested 2025-09-02 22:30 Riyadh.
const arrestedAt = "2025-09-02T22:30:00+03:00";

describe("custody.compute-deadlines", () => {
	let kit: WorkersTestDatabase;
	beforeAll(async () => {
		kit = await createWorkersTestDatabase("workers_custody_clock");
	});
	afterAll(async () => {
		await kit?.close();
	});

	const compute = (phase: string, variables: Record<string, unknown>) =>
		kit.run(custodyComputeDeadlinesWorker, { variables: { arrestedAt, ...variables }, customHeaders: { phase } });

	it("should compute the 24 h hold, the 12 h and 20 h warnings and the hearing due time (POLICE_HOLD)", async () => {
		expect((await compute("POLICE_HOLD", {})).outcome).toEqual({
			kind: "complete",
			variables: {
				deadline24h: "2025-09-03T22:30:00+03:00",
				warning12hAt: "2025-09-03T10:30:00+03:00",
				warning20hAt: "2025-09-03T18:30:00+03:00",
				hearingDueAt: "2025-09-03T00:30:00+03:00",
				governingLaw: "LCP-1435",
			},
		});
	});

	it("should cap the initial detention order at arrest + 5 days and warn one day before (DETENTION)", async () => {
		const result = await compute("DETENTION", { detentionExpiresAt: "2025-09-20T00:00:00+03:00" });
		expect(result.outcome).toEqual({
			kind: "complete",
			variables: {
				detentionExpiresAt: "2025-09-07T22:30:00+03:00",
				extensionWarningAt: "2025-09-06T22:30:00+03:00",
				cumulativeDaysFromArrest: 5,
			},
		});
	});

	it("should give the extension DMN its inputs (EXTENSION_CHECK) and apply a lawful one (EXTENSION_APPLY)", async () => {
		const check = await compute("EXTENSION_CHECK", { detentionExpiresAt: "2025-09-07T22:30:00+03:00", newExpiry: "2025-10-12T22:30:00+03:00" });
		expect(check.outcome).toEqual({ kind: "complete", variables: { cumulativeDaysFromArrest: 40, requestedPeriodDays: 35, governingLaw: "LCP-1435" } });
		const apply = await compute("EXTENSION_APPLY", { newExpiry: "2025-10-12T22:30:00+03:00" });
		expect(apply.outcome).toEqual({ kind: "complete", variables: { detentionExpiresAt: "2025-10-12T22:30:00+03:00", extensionWarningAt: "2025-10-11T22:30:00+03:00" } });
	});

	it("should take the durations from the legal-clock table, so a compressed table compresses the clock", async () => {
		const compressed = { ...LEGAL_CLOCKS, "LCP-1435": { ...LEGAL_CLOCKS["LCP-1435"], policeHoldHours: 1, policeHoldWarningHours: [0.5, 0.75] } };
		const saved = kit.services.clocks;
		kit.services.clocks = compressed;
		try {
			const result = await compute("POLICE_HOLD", {});
			expect(result.outcome).toMatchObject({ variables: { deadline24h: "2025-09-02T23:30:00+03:00", warning12hAt: "2025-09-02T23:00:00+03:00" } });
		} finally {
			kit.services.clocks = saved;
		}
	});

	it("should fail with no retries when arrestedAt is not an instant", async () => {
		const result = await compute("POLICE_HOLD", { arrestedAt: "yesterday" });
		expect(result.outcome).toMatchObject({ kind: "fail", final: true, errorMessage: expect.stringContaining("arrestedAt") });
	});
});
