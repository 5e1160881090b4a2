import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkersTestDatabase, type WorkersTestDatabase } from "../testing/workers-database";
import { geoResolveJurisdictionWorker } from "./geo-resolve-jurisdiction.worker";

describe("geo.resolve-jurisdiction", () => {
	let kit: WorkersTestDatabase;
	beforeAll(async () => {
		kit = await createWorkersTestDatabase("workers_geo");
	});
	afterAll(async () => {
		await kit?.close();
	});

	it("should keep the report at the receiving station when the district is its own", async () => {
		const result = await kit.run(geoResolveJurisdictionWorker, { variables: { unitCode: "RUH-OLY", location: { district: "العليا" } } });
		expect(result.outcome).toEqual({ kind: "complete", variables: { jurisdictionUnitCode: "RUH-OLY" } });
	});

	it("should throw JURISDICTION_OTHER_STATION with the competent unit when the district is another station's", async () => {
		const result = await kit.run(geoResolveJurisdictionWorker, { variables: { unitCode: "RUH-OLY", location: { district: "Al-Malaz" } } });
		expect(result.outcome).toMatchObject({ kind: "error", errorCode: "JURISDICTION_OTHER_STATION", variables: { competentUnitCode: "RUH-MLZ" } });
	});
});
