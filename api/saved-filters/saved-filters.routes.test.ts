import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiTestKit, createApiTestKit } from "../testing/api-test-kit";

describe("saved task filters", () => {
	let kit: ApiTestKit;
	beforeAll(async () => {
		kit = await createApiTestKit("filters");
	});
	afterAll(async () => kit.close());

	const create = async (username: string, payload: Record<string, unknown>) =>
		kit.app.inject({ method: "POST", url: "/v2/user-task-filters", headers: await kit.as(username), payload });
	const names = async (username: string) =>
		(
			await kit.app.inject({
				method: "POST",
				url: "/v2/user-task-filters/search",
				headers: await kit.as(username),
				payload: {},
			})
		)
			.json()
			.items.map((item: { name: string }) => item.name)
			.sort();

	it("should keep private filters private and show shared ones to the group, within the tenant", async () => {
		const mine = await create("officer.olaya", {
			name: "My overdue",
			filter: { state: "CREATED", dueDate: { to: "2026-12-01T00:00:00Z" } },
			sort: [{ field: "dueDate" }],
		});
		expect(mine.statusCode).toBe(201);
		expect(mine.json()).toMatchObject({ owner: "officer.olaya", sharedWithGroup: null, filter: { state: "CREATED" } });
		expect(
			(
				await create("supervisor.olaya", {
					name: "Olaya unit, urgent",
					filter: { priority: { gte: 80 } },
					sharedWithGroup: "RUH-OLY",
				})
			).statusCode,
		).toBe(201);

		expect(await names("officer.olaya")).toEqual(["My overdue", "Olaya unit, urgent"]);
		expect(await names("officer.malaz")).toEqual([]);
		expect(await names("supervisor.olaya")).toEqual(["Olaya unit, urgent"]);

		const id = mine.json().filterId;
		expect(
			(await kit.app.inject({ url: `/v2/user-task-filters/${id}`, headers: await kit.as("officer.malaz") })).json()
				.code,
		).toBe("SAVED_FILTER_NOT_FOUND");
	});

	it("should refuse sharing with a group one is not in, and a filter that breaks the search schema", async () => {
		const foreign = await create("officer.olaya", { name: "x", filter: {}, sharedWithGroup: "RUH-MLZ" });
		expect(foreign.json()).toMatchObject({ status: 403, code: "FORBIDDEN" });
		const invalid = await create("officer.olaya", { name: "x", filter: { state: "OPEN" } });
		expect(invalid.json().errors[0]).toMatchObject({ field: "/filter/state" });
	});

	it("should let only the owner delete", async () => {
		const shared = await create("supervisor.olaya", { name: "to delete", filter: {}, sharedWithGroup: "RUH-OLY" });
		const url = `/v2/user-task-filters/${shared.json().filterId}`;
		expect((await kit.app.inject({ method: "DELETE", url, headers: await kit.as("officer.olaya") })).statusCode).toBe(
			404,
		);
		expect(
			(await kit.app.inject({ method: "DELETE", url, headers: await kit.as("supervisor.olaya") })).statusCode,
		).toBe(204);
		expect((await kit.app.inject({ url, headers: await kit.as("supervisor.olaya") })).statusCode).toBe(404);
	});
});
