import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiTestKit, createApiTestKit } from "../testing/api-test-kit";
import { AuditLog } from "./audit-log.repository";
import { maskNationalIds } from "./mask";

describe("audit log", () => {
	let kit: ApiTestKit;
	let audit: AuditLog;
	beforeAll(async () => {
		kit = await createApiTestKit("audit");
		audit = new AuditLog(kit.orm);
	});
	afterAll(async () => kit.close());

	/** Runs SQL around the append-only triggers, as an attacker with database access would. */
	async function tamper(sql: string, params: unknown[] = []): Promise<void> {
		const client = new pg.Client({ connectionString: kit.db.url });
		await client.connect();
		try {
			await client.query("set session_replication_role = replica");
			await client.query(sql, params);
		} finally {
			await client.end();
		}
	}

	const entry = (n: number) => ({
		tenantId: "public-security",
		actorId: "u1",
		actorUsername: "tester",
		actorRoles: ["admin"],
		action: "TEST",
		entityType: "thing",
		entityId: `thing-${n}`,
		caseNumber: null,
		detail: { n, nested: { b: 2, a: 1 } },
		clientIp: "127.0.0.1",
		requestId: `r-${n}`,
	});

	it("should mask national IDs and Iqama numbers anywhere in a value", () => {
		expect(
			maskNationalIds({ id: "1012345678", note: "iqama 2123456789 seen", phone: "0501234567", n: 1098765432 }),
		).toEqual({
			id: "1*****5678",
			note: "iqama 2*****6789 seen",
			phone: "0501234567",
			n: "1*****5432",
		});
	});

	it("should keep one unforked chain when many writers append at once", async () => {
		await Promise.all(Array.from({ length: 30 }, (_, i) => audit.append(entry(i))));
		const result = await audit.verify();
		expect(result.problems).toEqual([]);
		expect(result.valid).toBe(true);
		expect(result.entriesChecked).toBeGreaterThanOrEqual(30);
	});

	it("should refuse UPDATE and DELETE through the database's triggers", async () => {
		const client = new pg.Client({ connectionString: kit.db.url });
		await client.connect();
		await expect(client.query("update audit_log set action = 'X' where seq = 1")).rejects.toThrow(/append-only/);
		await expect(client.query("delete from audit_log where seq = 1")).rejects.toThrow(/append-only/);
		await client.end();
	});

	it("should write sign-ins with who, from where and the request id, visible to the tenant's auditor", async () => {
		await kit.app.inject({
			method: "POST",
			url: "/v2/auth/login",
			payload: { username: "officer.malaz", password: "mizan-demo-2026" },
			remoteAddress: "192.0.2.7",
			headers: { "x-request-id": "login-req-1" },
		});
		const response = await kit.app.inject({
			method: "POST",
			url: "/v2/audit-logs/search",
			headers: await kit.as("auditor"),
			payload: { filter: { requestId: "login-req-1" } },
		});
		expect(response.statusCode).toBe(200);
		expect(response.json().items).toEqual([
			expect.objectContaining({
				action: "LOGIN",
				actorUsername: "officer.malaz",
				clientIp: "192.0.2.7",
				tenantId: "public-security",
			}),
		]);
		const border = await kit.app.inject({
			method: "POST",
			url: "/v2/audit-logs/search",
			headers: await kit.as("admin"),
			payload: { filter: { actorUsername: "officer.border" } },
		});
		expect(border.json().items).toEqual([]);
	});

	it("should page through search results with cursors", async () => {
		const headers = await kit.as("auditor");
		const first = await kit.app.inject({
			method: "POST",
			url: "/v2/audit-logs/search",
			headers,
			payload: { filter: { action: "TEST" }, page: { limit: 20 } },
		});
		expect(first.json().items).toHaveLength(20);
		expect(first.json().page.totalItems).toBe(30);
		const second = await kit.app.inject({
			method: "POST",
			url: "/v2/audit-logs/search",
			headers,
			payload: { filter: { action: "TEST" }, page: { limit: 20, after: first.json().page.endCursor } },
		});
		expect(second.json().items).toHaveLength(10);
		expect(second.json().page.endCursor).toBeNull();
		const bad = await kit.app.inject({
			method: "POST",
			url: "/v2/audit-logs/search",
			headers,
			payload: { page: { after: "garbage" } },
		});
		expect(bad.json().code).toBe("VALIDATION_FAILED");
	});

	it("should detect an edited row, a deleted row and a deleted tail", async () => {
		const headers = await kit.as("auditor");
		const verify = async () =>
			(await kit.app.inject({ method: "POST", url: "/v2/audit-logs/verification", headers })).json();
		expect((await verify()).valid).toBe(true);

		await tamper("update audit_log set detail = '{\"n\": 99}' where seq = 5");
		let result = await verify();
		expect(result.valid).toBe(false);
		expect(result.problems).toContainEqual({ seq: "5", reason: expect.stringMatching(/changed/) });

		await tamper("delete from audit_log where seq = 10");
		result = await verify();
		expect(result.problems).toContainEqual({ seq: "11", reason: expect.stringMatching(/missing/) });

		const [{ max }] = (await kit.orm.em.fork().execute("select max(seq)::text as max from audit_log")) as [
			{ max: string },
		];
		await tamper("delete from audit_log where seq = $1", [max]);
		result = await verify();
		expect(result.problems.some((problem: { reason: string }) => /tail deleted/.test(problem.reason))).toBe(true);
	});
});
