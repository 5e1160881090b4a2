import { afterAll, beforeAll, describe, it } from "vitest";
import { scenarioC1 } from "./c1-shop-theft";
import { scenarioC7 } from "./c7-lost-wallet";
import { scenarioC8 } from "./c8-saher-objection";
import { type ScenarioPlatform, startScenarioPlatform } from "./harness";

/**
 * The scenarios C1–C8 of domain.md §5.4, end to end on one platform (engine with its controlled clock, API, task
 * service, workers, demo data and every case process deployed). Each scenario pins the engine clock to its own
 * first event, works through the API as the demo users of its roles and checks the case file and process states.
 */
describe("scenarios of domain.md §5.4 on the whole platform", () => {
	let platform: ScenarioPlatform;

	beforeAll(async () => {
		platform = await startScenarioPlatform({ name: "scenarios", startAt: "2025-09-02T22:10:00+03:00" });
	});
	afterAll(async () => {
		await platform?.stop();
	});

	it("C1: shop theft in flagrante — 24 h clock cancelled by the investigator's order, release on undertaking, PP dismissal on the waiver, phones returned", async () => {
		await scenarioC1(platform);
	});

	it("C7: lost wallet — MFQ number, certificate, Absher pointer for the ID, day-7 re-match, found on day 9 and handed over", async () => {
		await scenarioC7(platform);
	});

	it("C8: Saher violation — objection on day 12 upheld and cancelled; no objection: final after 30 days, day-31 objection rejected", async () => {
		await scenarioC8(platform);
	});
});
