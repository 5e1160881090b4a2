import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDomainSchema } from "../domain/index";
import { createTestDatabase, type TestDatabase } from "../scripts/testing/database";
import { runMigrations } from "./db/migrate";
import { apiMigrations } from "./db/migrations";
import { PartRegistry } from "./health/part-registry";
import { startApi } from "./platform";
import { type EngineProcess, startEngineProcess } from "../scripts/testing/engine-process";

async function eventually<T>(
	probe: () => Promise<T | null | undefined | false>,
	what: string,
	timeoutMs = 10_000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

describe("startApi with the embedded engine: the whole officer journey over HTTP", () => {
	const logger = pino({ level: "silent" });
	let db: TestDatabase;
	let engine: EngineProcess;
	let app: FastifyInstance;

	beforeAll(async () => {
		db = await createTestDatabase("platform");
		await runMigrations({ databaseUrl: db.url, tableName: "api_migrations", migrations: apiMigrations, logger });
		await migrateDomainSchema(db.url, logger);
		engine = await startEngineProcess(db.url);
		app = await startApi({
			databaseUrl: db.url,
			logger,
			parts: new PartRegistry(),
			mode: "demo",
			auth: { jwtSecret: "platform-test-secret-long-enough-0123456789" },
			gatewayAddress: engine.gatewayAddress,
			embeddedEngine: true,
			formsDir: fileURLToPath(new URL("../forms/", import.meta.url)),
		});
	});
	afterAll(async () => {
		await app?.close();
		await engine?.stop();
		await db?.drop();
	});

	const as = async (username: string) => {
		const login = await app.inject({
			method: "POST",
			url: "/v2/auth/login",
			payload: { username, password: "mizan-demo-2026" },
		});
		return { authorization: `Bearer ${login.json().token}` };
	};

	it("should deploy, start with a case number, list the named task, refuse a bad form, complete, and finish the instance", async () => {
		const admin = await as("admin");
		const boundary = "----platform";
		const xml = readFileSync(new URL("./tasks/fixtures/platform-review.bpmn", import.meta.url), "utf8");
		const payload = `--${boundary}\r\nContent-Disposition: form-data; name="resources"; filename="platform-review.bpmn"\r\n\r\n${xml}\r\n--${boundary}--\r\n`;
		const deployed = await app.inject({
			method: "POST",
			url: "/v2/deployments",
			headers: { ...admin, "content-type": `multipart/form-data; boundary=${boundary}` },
			payload,
		});
		expect(deployed.statusCode, deployed.body).toBe(200);

		const officer = await as("officer.olaya");
		const started = await app.inject({
			method: "POST",
			url: "/v2/process-instances",
			headers: officer,
			payload: { processDefinitionId: "platform-review", caseNumber: "RUH-OLY-1447-000300-1" },
		});
		expect(started.statusCode, started.body).toBe(200);
		const { processInstanceKey } = started.json();

		const task = await eventually(async () => {
			const list = await app.inject({
				method: "POST",
				url: "/v2/user-tasks/search",
				headers: officer,
				payload: { filter: { caseNumber: "RUH-OLY-1447-000300-1" } },
			});
			return list.json().items[0] as { userTaskKey: string; name: string; formKey: string } | undefined;
		}, "the task in the officer's list");
		expect(task).toMatchObject({ name: "Review the report", formKey: "approve-report" });
		const form = await app.inject({ url: `/v2/user-tasks/${task.userTaskKey}/form`, headers: officer });
		expect(form.json().id).toBe("approve-report");

		const url = `/v2/user-tasks/${task.userTaskKey}/completion`;
		const bad = await app.inject({
			method: "POST",
			url,
			headers: officer,
			payload: { variables: { reportApproved: "yes", supervisorNotes: "x".repeat(2001) } },
		});
		expect(bad.json().code).toBe("FORM_VALIDATION_FAILED");
		expect(
			bad
				.json()
				.errors.map((error: { field: string }) => error.field)
				.sort(),
		).toEqual(["/reportApproved", "/supervisorNotes"]);
		const good = await app.inject({
			method: "POST",
			url,
			headers: officer,
			payload: { variables: { reportApproved: true } },
		});
		expect(good.statusCode, good.body).toBe(204);

		const analyst = await as("analyst");
		await eventually(async () => {
			const instance = await app.inject({ url: `/v2/process-instances/${processInstanceKey}`, headers: analyst });
			return instance.json().state === "COMPLETED";
		}, "the instance to complete");
	});
});
