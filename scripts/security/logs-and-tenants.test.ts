import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoUsers } from "../../api/auth/demo-users";
import { runMigrations } from "../../api/db/migrate";
import { apiMigrations } from "../../api/db/migrations";
import { PartRegistry } from "../../api/health/part-registry";
import { startApi } from "../../api/platform";
import { migrateDomainSchema } from "../../domain/index";
import { type RunningEngine, startEngine } from "../../engine/index";
import { freePort } from "../platform/embedded-postgres";
import { createLogger } from "../platform/logger";
import { createTestDatabase, type TestDatabase } from "../testing/database";

/**
 * SECURITY.md's promises about logs and agencies, on the real platform parts: the engine and the API (with its task
 * service) log through the platform logger at debug level into memory while users sign in (and fail to), deploy,
 * start an instance carrying national IDs, and complete its task.
 */
describe("security: what is logged, and agencies kept apart", () => {
	const lines: string[] = [];
	const logger = createLogger({
		level: "debug",
		format: "json",
		destination: new Writable({
			write(chunk: Buffer, _encoding, done) {
				lines.push(...chunk.toString().split("\n").filter(Boolean));
				done();
			},
		}),
	});
	const jwtSecret = `log-test-${randomBytes(24).toString("hex")}`;
	const nationalIds = ["1012345678", "2123456789", "1098765432"];
	const caseNumber = "RUH-OLY-1447-000901-1";
	const wrongPassword = "Wrong-Pa55word-never-logged";
	const tokens: string[] = [];
	let db: TestDatabase;
	let engine: RunningEngine;
	let app: FastifyInstance;
	let instanceKey = "";
	let taskKey = "";

	const as = async (username: string) => {
		const login = await app.inject({ method: "POST", url: "/v2/auth/login", payload: { username, password: "mizan-demo-2026" } });
		expect(login.statusCode, login.body).toBe(200);
		tokens.push(login.json().token);
		return { authorization: `Bearer ${login.json().token}` };
	};
	const eventually = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
		const deadline = Date.now() + 15_000;
		for (;;) {
			const value = await probe();
			if (value !== undefined) return value;
			if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	};

	beforeAll(async () => {
		db = await createTestDatabase("sec_logs");
		await runMigrations({ databaseUrl: db.url, tableName: "api_migrations", migrations: apiMigrations, logger });
		await migrateDomainSchema(db.url, logger);
		engine = await startEngine({ databaseUrl: db.url, gatewayPort: await freePort(), gatewayHost: "127.0.0.1", logger: logger.child({ part: "engine" }) });
		app = await startApi({
			databaseUrl: db.url,
			logger: logger.child({ part: "api" }),
			parts: new PartRegistry(),
			mode: "demo",
			auth: { jwtSecret },
			gatewayAddress: `127.0.0.1:${engine.gatewayPort}`,
			embeddedEngine: true,
			formsDir: fileURLToPath(new URL("../../forms/", import.meta.url)),
		});
		await seedDemoUsers(db.url, logger, [{ username: "analyst.border", password: "mizan-demo-2026", roles: ["analyst"], groups: [], tenant: "border-guard" }]);

		// The journey whose logs are checked.
		const refused = await app.inject({ method: "POST", url: "/v2/auth/login", payload: { username: "officer.olaya", password: wrongPassword } });
		expect(refused.statusCode).toBe(401);
		const admin = await as("admin");
		const boundary = "----security";
		const xml = readFileSync(new URL("../../api/tasks/fixtures/platform-review.bpmn", import.meta.url), "utf8");
		const deployed = await app.inject({
			method: "POST",
			url: "/v2/deployments",
			headers: { ...admin, "content-type": `multipart/form-data; boundary=${boundary}` },
			payload: `--${boundary}\r\nContent-Disposition: form-data; name="resources"; filename="platform-review.bpmn"\r\n\r\n${xml}\r\n--${boundary}--\r\n`,
		});
		expect(deployed.statusCode, deployed.body).toBe(200);
		const officer = await as("officer.olaya");
		const started = await app.inject({
			method: "POST",
			url: "/v2/process-instances",
			headers: officer,
			payload: {
				processDefinitionId: "platform-review",
				caseNumber,
				variables: { reporterNationalId: nationalIds[0], suspect: { nationalId: nationalIds[1], name: "مشتبه به" } },
			},
		});
		expect(started.statusCode, started.body).toBe(200);
		instanceKey = started.json().processInstanceKey;
		const task = await eventually("the officer's task", async () => {
			const list = await app.inject({ method: "POST", url: "/v2/user-tasks/search", headers: officer, payload: { filter: { caseNumber } } });
			return list.json().items[0] as { userTaskKey: string } | undefined;
		});
		taskKey = task.userTaskKey;
		// a national ID in a URL and in a failing request's body
		await app.inject({ url: `/v2/user-tasks/${nationalIds[2]}`, headers: officer });
		await app.inject({ method: "POST", url: "/v2/user-tasks/search", headers: officer, payload: { filter: { nationalId: nationalIds[2] } } });
		const done = await app.inject({
			method: "POST",
			url: `/v2/user-tasks/${taskKey}/completion`,
			headers: officer,
			payload: { variables: { reportApproved: true, supervisorNotes: `رقم الهوية ${nationalIds[2]}` } },
		});
		expect(done.statusCode, done.body).toBe(204);
		await eventually("the instance to complete", async () => ((await engine.queries.getInstance(instanceKey))?.state === "COMPLETED" ? true : undefined));
	});
	afterAll(async () => {
		await app?.close();
		await engine?.stop();
		await db?.drop();
	});

	it("should never log a password, a token, the JWT secret or an unmasked national ID (debug level, engine and API)", () => {
		const log = lines.join("\n");
		expect(lines.length).toBeGreaterThan(20);
		expect(log).toContain('"part":"engine"');
		expect(log).toContain("/v2/user-tasks/1*****5432");
		expect(tokens.length).toBeGreaterThanOrEqual(2);
		for (const secret of [wrongPassword, "mizan-demo-2026", jwtSecret, ...tokens, ...nationalIds]) expect(log).not.toContain(secret);
		expect(log).not.toMatch(/eyJ[\w-]{8,}\.[\w-]{8,}/);
		expect(log).not.toMatch(/postgres:\/\/[^"\s]*:[^"\s*]+@/);
	});

	it("should keep national IDs out of the audit log (masked) while recording sign-ins, the refused one and the completion", async () => {
		const auditor = await as("auditor");
		const search = await app.inject({ method: "POST", url: "/v2/audit-logs/search", headers: auditor, payload: { page: { limit: 100 } } });
		expect(search.statusCode).toBe(200);
		const actions = (search.json().items as Array<{ action: string }>).map((entry) => entry.action);
		expect(actions).toEqual(expect.arrayContaining(["LOGIN", "LOGIN_FAILED"]));
		expect(actions.some((action) => /COMPLET/.test(action))).toBe(true);
		for (const id of nationalIds) expect(search.body).not.toContain(id);
		expect(search.body).not.toContain(wrongPassword);
	});

	it("should not let another agency read this agency's instance, task or variables", async () => {
		const analyst = await as("analyst.border");
		expect((await app.inject({ url: `/v2/process-instances/${instanceKey}`, headers: analyst })).json().code).toBe("PROCESS_INSTANCE_NOT_FOUND");
		const instances = await app.inject({ method: "POST", url: "/v2/process-instances/search", headers: analyst, payload: {} });
		expect(instances.statusCode).toBe(200);
		expect(instances.json().items).toEqual([]);
		const officer = await as("officer.border");
		expect((await app.inject({ url: `/v2/user-tasks/${taskKey}`, headers: officer })).statusCode).toBe(404);
		expect((await app.inject({ url: `/v2/user-tasks/${taskKey}/variables`, headers: officer })).statusCode).toBe(404);
		const tasks = await app.inject({ method: "POST", url: "/v2/user-tasks/search", headers: officer, payload: {} });
		expect(tasks.json().items).toEqual([]);
		// the same reads as this agency's users do see them: the refusals above are about the agency
		expect((await app.inject({ url: `/v2/process-instances/${instanceKey}`, headers: await as("analyst") })).statusCode).toBe(200);
		expect((await app.inject({ url: `/v2/user-tasks/${taskKey}`, headers: await as("officer.olaya") })).statusCode).toBe(200);
	});
});
