import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkersTestDatabase, nextJobKey, type WorkersTestDatabase } from "../testing/workers-database";
import { caseAssignNumberWorker } from "./case-assign-number.worker";
import { custodyBookWorker } from "./custody-book.worker";
import { custodyOpenEpisodeWorker } from "./custody-open-episode.worker";
import { custodyReleaseWorker } from "./custody-release.worker";

describe("custody.open-episode, custody.book, custody.release", () => {
	let kit: WorkersTestDatabase;
	let caseNumber: string;
	beforeAll(async () => {
		kit = await createWorkersTestDatabase("workers_custody");
		const registered = await kit.run(caseAssignNumberWorker, { variables: { unitCode: "RUH-OLY" }, customHeaders: { series: "CASE" } });
		caseNumber = String(registered.outcome.kind === "complete" && registered.outcome.variables.caseNumber);
	});
	afterAll(async () => {
		await kit?.close();
	});

	it("should open one episode …/C01 and publish PersonArrested with message id = custodyId, also when redelivered", async () => {
		const key = nextJobKey();
		const variables = { caseNumber, suspectNationalId: "2000000204", arrestedAt: "2025-09-02T22:30:00+03:00", inFlagrante: true };
		const first = await kit.run(custodyOpenEpisodeWorker, { key, variables });
		const again = await kit.run(custodyOpenEpisodeWorker, { key, variables });
		const custodyId = `${caseNumber}/C01`;
		expect(first.outcome).toMatchObject({
			kind: "complete",
			variables: { custodyId },
			messages: [{ name: "PersonArrested", messageId: custodyId, correlationKey: custodyId, variables: { custodyId, caseNumber, inFlagrante: true, nationality: "PK" } }],
		});
		expect(again).toMatchObject({ replayed: true, outcome: first.outcome });
		expect(JSON.stringify(first.outcome)).not.toContain("2000000204");
		expect(await kit.rows("select custody_number from custody_episode")).toEqual([{ custody_number: custodyId }]);
	});

	it("should book the arrestee at the station during the police hold, and refuse a detention house without an order", async () => {
		const custodyId = `${caseNumber}/C01`;
		const booked = await kit.run(custodyBookWorker, { variables: { custodyId } });
		expect(booked.outcome).toEqual({ kind: "complete", variables: { facilityCode: "RUH-OLY/POLICE_STATION" } });
		await kit.rows("update custody_episode set facility_type = 'DETENTION_HOUSE' where custody_number = ?", [custodyId]);
		const refused = await kit.run(custodyBookWorker, { variables: { custodyId } });
		expect(refused.outcome).toMatchObject({ kind: "error", errorCode: "FACILITY_REFUSED_NO_ORDER" });
	});

	it("should release once with the conditions and write releasedAt", async () => {
		const custodyId = `${caseNumber}/C01`;
		const result = await kit.run(custodyReleaseWorker, {
			variables: { custodyId, releaseConditions: "تعهد بالحضور" },
			customHeaders: { reason: "POLICE_HOLD_EXPIRED" },
		});
		expect(result.outcome).toEqual({ kind: "complete", variables: { releasedAt: "2025-09-03T10:00:00+03:00", releaseReason: "POLICE_HOLD_EXPIRED" } });
		expect(await kit.rows("select status, release_conditions from custody_episode where custody_number = ?", [custodyId])).toEqual([
			{ status: "RELEASED", release_conditions: "تعهد بالحضور" },
		]);
		const second = await kit.run(custodyReleaseWorker, { variables: { custodyId }, customHeaders: { reason: "PP_ORDER" } });
		expect(second.outcome).toMatchObject({ kind: "complete", variables: { releasedAt: "2025-09-03T10:00:00+03:00" } });
	});
});
