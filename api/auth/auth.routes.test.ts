import { generateKeyPairSync } from "node:crypto";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app";
import { PartRegistry } from "../health/part-registry";
import { type ApiTestKit, createApiTestKit, testSecret } from "../testing/api-test-kit";
import { ApiConfigError } from "../v2.plugin";
import { loadDemoUsers } from "./demo-users";
import { roles } from "./permissions";
import { TokenService } from "./token";

describe("auth", () => {
	let kit: ApiTestKit;
	beforeAll(async () => {
		kit = await createApiTestKit("auth", {
			api: { auth: { jwtSecret: testSecret, loginRateLimit: { max: 3, timeWindowMs: 60_000 } } },
		});
	});
	afterAll(async () => kit.close());

	it("should list demo users for every role, with at least two officers of different units", () => {
		const users = loadDemoUsers();
		for (const role of roles)
			expect(
				users.some((user) => user.roles.includes(role)),
				role,
			).toBe(true);
		const officerUnits = new Set(users.filter((user) => user.roles.includes("officer")).map((user) => user.groups[0]));
		expect(officerUnits.size).toBeGreaterThanOrEqual(2);
	});

	it("should sign in with a demo password, answer a token, and tell the user who they are", async () => {
		const login = await kit.app.inject({
			method: "POST",
			url: "/v2/auth/login",
			payload: { username: "officer.olaya", password: "mizan-demo-2026" },
			remoteAddress: "10.0.0.1",
		});
		expect(login.statusCode).toBe(200);
		const { token, tokenType, expiresIn } = login.json();
		expect(tokenType).toBe("Bearer");
		expect(expiresIn).toBe(900);
		const me = await kit.app.inject({ url: "/v2/auth/me", headers: { authorization: `Bearer ${token}` } });
		expect(me.statusCode).toBe(200);
		expect(me.json()).toMatchObject({ username: "officer.olaya", roles: ["officer"], tenantId: "public-security" });
		expect(me.json().groups).toContain("RUH-OLY");
	});

	it("should refuse a wrong password and an unknown user with the same 401", async () => {
		const wrong = await kit.app.inject({
			method: "POST",
			url: "/v2/auth/login",
			payload: { username: "admin", password: "nope" },
			remoteAddress: "10.0.0.2",
		});
		const unknown = await kit.app.inject({
			method: "POST",
			url: "/v2/auth/login",
			payload: { username: "ghost", password: "nope" },
			remoteAddress: "10.0.0.2",
		});
		expect(wrong.statusCode).toBe(401);
		expect(wrong.json().code).toBe("INVALID_CREDENTIALS");
		expect(unknown.json()).toMatchObject({ code: "INVALID_CREDENTIALS", detail: wrong.json().detail });
	});

	it("should rate-limit sign-in attempts per client address with 429", async () => {
		const attempt = () =>
			kit.app.inject({
				method: "POST",
				url: "/v2/auth/login",
				payload: { username: "admin", password: "bad" },
				remoteAddress: "10.0.0.3",
			});
		const statuses = [];
		for (let i = 0; i < 4; i++) statuses.push((await attempt()).statusCode);
		expect(statuses).toEqual([401, 401, 401, 429]);
		const limited = await attempt();
		expect(limited.json()).toMatchObject({ status: 429, code: "RATE_LIMITED" });
		const other = await kit.app.inject({
			method: "POST",
			url: "/v2/auth/login",
			payload: { username: "admin", password: "bad" },
			remoteAddress: "10.0.0.4",
		});
		expect(other.statusCode).toBe(401);
	});

	it("should refuse /v2 routes without a token, with a forged one and with an expired one", async () => {
		expect((await kit.app.inject({ url: "/v2/auth/me" })).json()).toMatchObject({
			status: 401,
			code: "UNAUTHENTICATED",
		});
		const forged = await new TokenService("another-secret-of-sufficient-length-000000", 900).sign({
			userId: "x",
			username: "admin",
			tenantId: "t",
		});
		expect(
			(await kit.app.inject({ url: "/v2/auth/me", headers: { authorization: `Bearer ${forged}` } })).statusCode,
		).toBe(401);
		const expired = await new TokenService(testSecret, -10).sign({ userId: "x", username: "admin", tenantId: "t" });
		const response = await kit.app.inject({ url: "/v2/auth/me", headers: { authorization: `Bearer ${expired}` } });
		expect(response.json().detail).toMatch(/expired/);
	});

	it("should answer 403 naming the permission when the role lacks it", async () => {
		const response = await kit.app.inject({
			method: "POST",
			url: "/v2/audit-logs/search",
			payload: {},
			headers: await kit.as("officer.olaya"),
		});
		expect(response.statusCode).toBe(403);
		expect(response.json()).toMatchObject({ code: "FORBIDDEN" });
		expect(response.json().detail).toContain("audit:read");
	});

	it("should let admins create users in their own tenant only, and refuse a taken username", async () => {
		const admin = await kit.as("admin");
		const created = await kit.app.inject({
			method: "POST",
			url: "/v2/users",
			headers: admin,
			payload: { username: "officer.new", password: "a-long-password-1", roles: ["officer"], groups: ["RUH-OLY"] },
		});
		expect(created.statusCode).toBe(201);
		expect(created.json()).toMatchObject({ username: "officer.new", tenantId: "public-security" });
		const again = await kit.app.inject({
			method: "POST",
			url: "/v2/users",
			headers: admin,
			payload: { username: "officer.new", password: "a-long-password-1", roles: ["officer"] },
		});
		expect(again.json().code).toBe("USERNAME_TAKEN");
		const listed = await kit.app.inject({ method: "POST", url: "/v2/users/search", headers: admin, payload: {} });
		const names = listed.json().items.map((user: { username: string }) => user.username);
		expect(names).toContain("officer.new");
		expect(names).not.toContain("officer.border");
	});

	it("should let admins disable a user, which ends their session at once, and change roles; never themselves", async () => {
		const admin = await kit.as("admin");
		const before = await kit.as("investigator.riyadh");
		expect((await kit.app.inject({ url: "/v2/auth/me", headers: before })).statusCode).toBe(200);
		const disabled = await kit.app.inject({
			method: "PATCH",
			url: "/v2/users/investigator.riyadh",
			headers: admin,
			payload: { disabled: true },
		});
		expect(disabled.json()).toMatchObject({ username: "investigator.riyadh", disabled: true });
		expect((await kit.app.inject({ url: "/v2/auth/me", headers: before })).statusCode).toBe(401);
		const login = await kit.app.inject({
			method: "POST",
			url: "/v2/auth/login",
			payload: { username: "investigator.riyadh", password: "mizan-demo-2026" },
			remoteAddress: "10.0.0.9",
		});
		expect(login.statusCode).toBe(401);
		expect(
			(await kit.app.inject({ method: "PATCH", url: "/v2/users/admin", headers: admin, payload: { disabled: true } }))
				.statusCode,
		).toBe(403);
		expect(
			(
				await kit.app.inject({
					method: "PATCH",
					url: "/v2/users/officer.border",
					headers: admin,
					payload: { disabled: true },
				})
			).json().code,
		).toBe("USER_NOT_FOUND");
		const empty = await kit.app.inject({ method: "PATCH", url: "/v2/users/analyst", headers: admin, payload: {} });
		expect(empty.statusCode).toBe(400);
	});

	it("should refuse to build in production with a short secret, and with demo users present", async () => {
		const base = { logger: pino({ level: "silent" }), parts: new PartRegistry() };
		await expect(
			buildApp({ ...base, api: { orm: kit.orm, mode: "production", auth: { jwtSecret: "short" } } }),
		).rejects.toThrow(/JWT_SECRET/);
		await expect(
			buildApp({ ...base, api: { orm: kit.orm, mode: "production", auth: { jwtSecret: testSecret } } }),
		).rejects.toBeInstanceOf(ApiConfigError);
		await expect(
			buildApp({ ...base, api: { orm: kit.orm, mode: "production", auth: { jwtSecret: testSecret } } }),
		).rejects.toThrow(/demo users/);
	});

	it("should sign tokens with EdDSA from a configured Ed25519 key and publish its public key", async () => {
		const pem = (curve: "ed25519" | "p256") =>
			(curve === "ed25519"
				? generateKeyPairSync("ed25519")
				: generateKeyPairSync("ec", { namedCurve: "P-256" })
			).privateKey.export({ type: "pkcs8", format: "pem" }) as string;
		const base = { logger: pino({ level: "silent" }), parts: new PartRegistry() };
		const app = await buildApp({
			...base,
			api: { orm: kit.orm, mode: "demo", auth: { jwtPrivateKeyPem: pem("ed25519") } },
		});
		try {
			const login = await app.inject({
				method: "POST",
				url: "/v2/auth/login",
				payload: { username: "analyst", password: "mizan-demo-2026" },
			});
			const { token } = login.json();
			expect(decodeProtectedHeader(token)).toMatchObject({ alg: "EdDSA", kid: "mizan-1" });
			const me = await app.inject({ url: "/v2/auth/me", headers: { authorization: `Bearer ${token}` } });
			expect(me.json().username).toBe("analyst");
			const jwks = (await app.inject({ url: "/v2/auth/jwks" })).json();
			expect(jwks.keys).toEqual([expect.objectContaining({ kty: "OKP", crv: "Ed25519", alg: "EdDSA" })]);
			const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), { issuer: "mizan", audience: "mizan-api" });
			expect(payload.preferred_username).toBe("analyst");
			// An HS256 token, even from a known secret, is not accepted by the EdDSA app.
			const hs = await new TokenService(testSecret, 900).sign({
				userId: me.json().userId,
				username: "analyst",
				tenantId: "public-security",
			});
			expect((await app.inject({ url: "/v2/auth/me", headers: { authorization: `Bearer ${hs}` } })).statusCode).toBe(
				401,
			);
			expect((await kit.app.inject({ url: "/v2/auth/jwks" })).json()).toEqual({ keys: [] });
		} finally {
			await app.close();
		}
		await expect(
			buildApp({ ...base, api: { orm: kit.orm, mode: "demo", auth: { jwtPrivateKeyPem: pem("p256") } } }),
		).rejects.toThrow(/Ed25519/);
		await expect(
			buildApp({ ...base, api: { orm: kit.orm, mode: "demo", auth: { jwtPrivateKeyPem: "not a key" } } }),
		).rejects.toBeInstanceOf(ApiConfigError);
	});
});
