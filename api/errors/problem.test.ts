import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app";
import { PartRegistry } from "../health/part-registry";
import { ProblemError } from "./error-registry";
import { problemResponses } from "./problem";

describe("problem details", () => {
	let app: Awaited<ReturnType<typeof buildApp>>;
	beforeAll(async () => {
		app = await buildApp({ logger: pino({ level: "silent" }), parts: new PartRegistry(), bodyLimitBytes: 2048 });
		app.post(
			"/probe",
			{
				schema: {
					body: {
						type: "object",
						additionalProperties: false,
						properties: {
							name: { type: "string", minLength: 2 },
							age: { type: "integer", minimum: 0 },
							state: { type: "string", enum: ["A", "B"] },
						},
						required: ["name", "age"],
					},
					response: { 200: { type: "object", properties: { ok: { type: "boolean" } } }, ...problemResponses(409) },
				},
			},
			async (request) => {
				const body = request.body as { name: string };
				if (body.name === "conflict") throw new ProblemError("USER_TASK_NOT_ACTIVE", "The task is already completed.");
				if (body.name === "boom") throw new Error("secret internal detail");
				return { ok: true };
			},
		);
		await app.ready();
	});
	afterAll(async () => app.close());

	it("should answer 400 listing every field error when the body breaks the schema in several places", async () => {
		const response = await app.inject({
			method: "POST",
			url: "/probe",
			payload: { name: "x", age: -1, state: "C", extra: 1 },
		});
		expect(response.statusCode).toBe(400);
		expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
		const body = response.json();
		expect(body).toMatchObject({ status: 400, code: "VALIDATION_FAILED", instance: "/probe" });
		expect(body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
			"/age",
			"/extra",
			"/name",
			"/state",
		]);
		expect(body.errors.find((error: { field: string }) => error.field === "/state").message).toBe(
			"must be one of A, B",
		);
	});

	it("should name a missing required field by its pointer", async () => {
		const body = (await app.inject({ method: "POST", url: "/probe", payload: {} })).json();
		expect(body.errors.map((error: { field: string }) => error.field).sort()).toEqual(["/age", "/name"]);
	});

	it("should turn a thrown ProblemError into its status and code", async () => {
		const response = await app.inject({ method: "POST", url: "/probe", payload: { name: "conflict", age: 1 } });
		expect(response.statusCode).toBe(409);
		expect(response.json()).toMatchObject({ code: "USER_TASK_NOT_ACTIVE", detail: "The task is already completed." });
	});

	it("should answer 500 without leaking the error's message", async () => {
		const response = await app.inject({
			method: "POST",
			url: "/probe",
			payload: { name: "boom", age: 1 },
			headers: { "x-request-id": "r-1" },
		});
		expect(response.statusCode).toBe(500);
		expect(response.json()).toMatchObject({ code: "INTERNAL_ERROR", requestId: "r-1" });
		expect(response.body).not.toContain("secret internal detail");
	});

	it("should answer 404 ROUTE_NOT_FOUND, 413 for big bodies and 400 for broken JSON", async () => {
		expect((await app.inject({ url: "/nope" })).json()).toMatchObject({ status: 404, code: "ROUTE_NOT_FOUND" });
		const big = await app.inject({ method: "POST", url: "/probe", payload: { name: "x".repeat(5000), age: 1 } });
		expect(big.json()).toMatchObject({ status: 413, code: "PAYLOAD_TOO_LARGE" });
		const broken = await app.inject({
			method: "POST",
			url: "/probe",
			payload: "{",
			headers: { "content-type": "application/json" },
		});
		expect(broken.json()).toMatchObject({ status: 400, code: "MALFORMED_REQUEST" });
	});

	it("should send security headers and serve the OpenAPI document at /docs", async () => {
		const response = await app.inject({ url: "/health/live" });
		expect(response.headers["x-content-type-options"]).toBe("nosniff");
		expect(response.headers["content-security-policy"]).toBeDefined();
		const spec = (await app.inject({ url: "/docs/json" })).json();
		expect(spec.openapi).toBe("3.1.0");
		expect(spec.paths["/probe"].post).toBeDefined();
		expect(spec.components.schemas).toHaveProperty("Problem");
		expect((await app.inject({ url: "/docs/" })).statusCode).toBe(200);
	});
});
