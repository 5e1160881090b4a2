import { afterAll, beforeAll, describe, it } from "vitest";
import { scenarioC1 } from "./c1-shop-theft";
import { scenarioC2 } from "./c2-vehicle-theft";
import { scenarioC3 } from "./c3-methamphetamine";
import { scenarioC4 } from "./c4-online-extortion";
import { scenarioC5 } from "./c5-juvenile-assault";
import { scenarioC6 } from "./c6-traffic-accident";
import { scenarioC7 } from "./c7-lost-wallet";
import { scenarioC8 } from "./c8-saher-objection";
import { type ScenarioPlatform, startScenarioPlatform } from "./harness";

/** A scenario takes 2–20 s on a quiet machine; the margin is for a full `npm test` on two shared cores. */
const SCENARIO_TIMEOUT_MS = 180_000;

/**
 * The scenarios C1–C8 of domain.md §5.4, end to end on one platform (engine with its controlled clock, API, task
 * service, workers, demo data and every case process deployed). Each scenario pins the engine clock to its own
 * first event, works through the API as the demo users of its roles and checks the case file and process states.
 */
describe("scenarios of domain.md §5.4 on the whole platform", () => {
	let platform: ScenarioPlatform;

	beforeAll(async () => {
		platform = await startScenarioPlatform({ name: "scenarios", startAt: "2025-09-02T22:10:00+03:00" });
	}, 240_000);
	afterAll(async () => {
		await platform?.stop();
	});

	it(
		"C1: shop theft in flagrante — 24 h clock cancelled by the investigator's order, release on undertaking, PP dismissal on the waiver, phones returned",
		async () => {
			await scenarioC1(platform);
		},
		SCENARIO_TIMEOUT_MS,
	);

	it(
		"C2: vehicle theft, unknown offender — suspended, 30-day review, reopened by NewEvidence with a lab request, no match, suspended again",
		async () => {
			await scenarioC2(platform);
		},
		SCENARIO_TIMEOUT_MS,
	);

	it(
		"C3: methamphetamine, major crime — detention and extensions (45-day AG period refused), indictment, conviction, objection, appeal upheld, final: record and deportation",
		async () => {
			await scenarioC3(platform);
		},
		SCENARIO_TIMEOUT_MS,
	);

	it(
		"C4: online extortion — SECRET file refused to officers, digital evidence sealed with its hash, summoned suspect indicted and acquitted, final after 30 days, image destroyed",
		async () => {
			await scenarioC4(platform);
		},
		SCENARIO_TIMEOUT_MS,
	);

	it(
		"C5: juvenile assault — SECRET case, guardian told, record marked سري, complaint withdrawn so the case closes",
		async () => {
			await scenarioC5(platform);
		},
		SCENARIO_TIMEOUT_MS,
	);

	it(
		"C6: traffic accident with injuries — routed CRIMINAL, driver arrested starts custody and the inquiry; released at the 24 h limit",
		async () => {
			await scenarioC6(platform);
		},
		SCENARIO_TIMEOUT_MS,
	);

	it(
		"C7: lost wallet — MFQ number, certificate, Absher pointer for the ID, day-7 re-match, found on day 9 and handed over",
		async () => {
			await scenarioC7(platform);
		},
		SCENARIO_TIMEOUT_MS,
	);

	it(
		"C8: Saher violation — objection on day 12 upheld and cancelled; no objection: final after 30 days, day-31 objection rejected",
		async () => {
			await scenarioC8(platform);
		},
		SCENARIO_TIMEOUT_MS,
	);
});
