import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkersTestDatabase, type WorkersTestDatabase } from "../testing/workers-database";
import { caseAssignNumberWorker } from "./case-assign-number.worker";
import { custodyOpenEpisodeWorker } from "./custody-open-episode.worker";
import { custodyRecordOrderWorker } from "./custody-record-order.worker";

/** C3's custody: arrested 2025-09-02 22:30, investigator's order, 5-day detention, extensions by the branch head and the AG. */
describe("custody.record-order", () => {
	let kit: WorkersTestDatabase;
	let custodyId: string;
	const record = (order: string, variables: Record<string, unknown> = {}, key?: string) =>
		kit.run(custodyRecordOrderWorker, {
			...(key ? { key } : {}),
			variables: { custodyId, ...variables },
			customHeaders: { order },
		});
	const orders = () =>
		kit.rows<{
			kind: string;
			authority: string;
			order_number: string | null;
			expires_at: string | null;
			cumulative_days: number | null;
		}>(
			`select kind, authority, order_number, to_char(expires_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"') as expires_at, cumulative_days from detention_order o
			 join custody_episode e on e.id = o.episode_id where e.custody_number = ? order by o.created_at`,
			[custodyId],
		);
	const status = async () =>
		(await kit.rows<{ status: string }>("select status from custody_episode where custody_number = ?", [custodyId]))[0]
			?.status;

	beforeAll(async () => {
		kit = await createWorkersTestDatabase("workers_custody_orders");
		const registered = await kit.run(caseAssignNumberWorker, {
			variables: { unitCode: "RUH-SWD" },
			customHeaders: { series: "CASE" },
		});
		const caseNumber = String(registered.outcome.kind === "complete" && registered.outcome.variables.caseNumber);
		await kit.run(custodyOpenEpisodeWorker, {
			variables: {
				caseNumber,
				suspectNationalId: "2000000204",
				arrestedAt: "2025-09-02T22:30:00+03:00",
				inFlagrante: true,
			},
		});
		custodyId = `${caseNumber}/C01`;
	});
	afterAll(async () => {
		await kit?.close();
	});

	it("should refuse a detention order while the person is still in the police hold, naming the move", async () => {
		const result = await record("DETENTION_ORDER");
		expect(result.outcome).toMatchObject({
			kind: "fail",
			final: true,
			errorMessage: expect.stringContaining("HELD_BY_POLICE"),
		});
		expect(await orders()).toEqual([]);
	});

	it("should record the investigator's order and the initial detention once each, expiring 5 days after arrest", async () => {
		await record("INVESTIGATOR_ORDER", { orderNumber: "PP-SWD-1447-0201" }, "order-1");
		await record("INVESTIGATOR_ORDER", { orderNumber: "PP-SWD-1447-0201" }, "order-1");
		await record("DETENTION_ORDER", { detentionOrderNumber: "PP-DET-1447-0077" }, "order-2");
		await record("DETENTION_ORDER", { detentionOrderNumber: "PP-DET-1447-0077" }, "order-2");
		expect(await orders()).toEqual([
			{
				kind: "HOLD_ORDER",
				authority: "INVESTIGATOR",
				order_number: "PP-SWD-1447-0201",
				expires_at: null,
				cumulative_days: null,
			},
			{
				kind: "INITIAL_DETENTION",
				authority: "INVESTIGATOR",
				order_number: "PP-DET-1447-0077",
				expires_at: "2025-09-07T19:30Z",
				cumulative_days: 5,
			},
		]);
		expect(await status()).toBe("DETAINED");
	});

	it("should record lawful extensions and refuse a 45-day AG period with every limit it breaks", async () => {
		await record("EXTENSION", { newExpiry: "2025-10-12T22:30:00+03:00", authority: "BRANCH_HEAD" });
		const refused = await record("EXTENSION", {
			newExpiry: "2025-11-26T22:30:00+03:00",
			authority: "ATTORNEY_GENERAL",
		});
		expect(refused.outcome).toMatchObject({
			kind: "fail",
			final: true,
			errorMessage: expect.stringMatching(/refused: .*30/),
		});
		await record("EXTENSION", {
			newExpiry: "2025-11-11T22:30:00+03:00",
			authority: "ATTORNEY_GENERAL",
			extensionReasons: "استكمال التحقيق",
		});
		const extensions = (await orders()).filter((order) => order.kind === "EXTENSION");
		expect(extensions).toEqual([
			expect.objectContaining({
				authority: "BRANCH_HEAD",
				expires_at: "2025-10-12T19:30Z",
				cumulative_days: 40,
			}),
			expect.objectContaining({
				authority: "ATTORNEY_GENERAL",
				expires_at: "2025-11-11T19:30Z",
				cumulative_days: 70,
			}),
		]);
		expect(await status()).toBe("EXTENDED");
	});

	it("should refuse an extension without a known authority", async () => {
		const result = await record("EXTENSION", { newExpiry: "2025-11-20T22:30:00+03:00", authority: "GOVERNOR" });
		expect(result.outcome).toMatchObject({
			kind: "fail",
			final: true,
			errorMessage: expect.stringContaining("BRANCH_HEAD, ATTORNEY_GENERAL, COURT"),
		});
	});

	it("should pass custody to the court once, and to prison only when the executed sentence is a prison handover", async () => {
		await record("REFERRED_TO_COURT");
		await record("REFERRED_TO_COURT");
		expect(await status()).toBe("REFERRED_TO_COURT_IN_CUSTODY");
		await record("TRANSFERRED_TO_PRISON", { executionType: "FINE" });
		expect(await status()).toBe("REFERRED_TO_COURT_IN_CUSTODY");
		const withoutCustody = await kit.run(custodyRecordOrderWorker, {
			variables: { executionType: "PRISON_HANDOVER" },
			customHeaders: { order: "TRANSFERRED_TO_PRISON" },
		});
		expect(withoutCustody.outcome).toEqual({ kind: "complete", variables: {} });
		await record("TRANSFERRED_TO_PRISON", { executionType: "PRISON_HANDOVER" });
		await record("TRANSFERRED_TO_PRISON", { executionType: "PRISON_HANDOVER" });
		expect(await status()).toBe("CONVICTED_TRANSFERRED_TO_PRISON");
	});
});
