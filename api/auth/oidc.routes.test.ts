import { createHash } from "node:crypto";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app";
import { PartRegistry } from "../health/part-registry";
import { ApiConfigError } from "../v2.plugin";
import { type ApiTestKit, createApiTestKit } from "../testing/api-test-kit";
import { startOidcIssuer, type TestOidcIssuer } from "../testing/oidc-issuer";
import { parseRoleMap } from "./oidc";

const redirectUri = "http://mizan.test/v2/auth/oidc/callback";

describe("OIDC sign-in against a real local provider", () => {
	let kit: ApiTestKit;
	let issuer: TestOidcIssuer;
	beforeAll(async () => {
		issuer = await startOidcIssuer({ redirectUri });
		kit = await createApiTestKit("oidc", {
			api: {
				auth: {
					jwtSecret: "oidc-test-secret-that-is-long-enough-0123456789",
					loginRateLimit: { max: 1000, timeWindowMs: 60_000 },
					oidc: {
						issuerUrl: issuer.url,
						clientId: issuer.clientId,
						clientSecret: issuer.clientSecret,
						redirectUri,
						rolesClaim: "realm_access.roles",
						roleMap: parseRoleMap("police-officer=officer,shift-lead=supervisor"),
						tenantClaim: "agency",
						allowInsecureIssuer: true,
					},
				},
			},
		});
	});
	afterAll(async () => {
		await kit?.close();
		await issuer?.close();
	});

	/** The browser's round trip: our redirect, the provider's redirect back; returns the callback path and cookie. */
	async function authorize(returnTo?: string): Promise<{ callback: string; cookie: string; location: URL }> {
		const started = await kit.app.inject({
			url: `/v2/auth/oidc/authorization${returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : ""}`,
		});
		expect(started.statusCode, started.body).toBe(302);
		const setCookie = String(started.headers["set-cookie"]);
		expect(setCookie).toMatch(/^mizan_oidc=[^;]+; Path=\/v2\/auth\/oidc; HttpOnly; SameSite=Lax; Max-Age=600/);
		const location = new URL(String(started.headers.location));
		const back = await fetch(location, { redirect: "manual" });
		expect(back.status).toBe(302);
		const callback = new URL(back.headers.get("location")!);
		expect(callback.origin + callback.pathname).toBe(redirectUri);
		return { callback: callback.pathname + callback.search, cookie: setCookie.split(";")[0]!, location };
	}

	it("should send the browser to the provider with state, nonce and a PKCE S256 challenge, and end in our own token", async () => {
		issuer.signIn({
			sub: "kc-1001",
			preferred_username: "n.alharbi",
			name: "Noura Alharbi",
			realm_access: { roles: ["police-officer", "offline_access"] },
			groups: ["RUH-OLY", "investigation-officer:RUH-OLY"],
		});
		expect((await kit.app.inject({ url: "/v2/auth/methods" })).json()).toEqual({
			password: true,
			oidc: { authorizationUrl: "/v2/auth/oidc/authorization" },
		});
		const { callback, cookie, location } = await authorize();
		expect(location.origin).toBe(issuer.url);
		expect(location.searchParams.get("code_challenge_method")).toBe("S256");
		expect(location.searchParams.get("client_id")).toBe(issuer.clientId);
		expect(location.searchParams.get("redirect_uri")).toBe(redirectUri);
		expect(location.searchParams.get("scope")).toBe("openid profile email");
		expect(location.searchParams.get("state")).toMatch(/^[A-Za-z0-9_-]{20,}$/);
		expect(location.searchParams.get("nonce")).toMatch(/^[A-Za-z0-9_-]{20,}$/);

		const finished = await kit.app.inject({ url: callback, headers: { cookie } });
		expect(finished.statusCode, finished.body).toBe(200);
		expect(finished.json()).toMatchObject({ tokenType: "Bearer", expiresIn: 900 });
		// The provider saw the verifier whose S256 hash is the challenge sent in the authorization request.
		const tokenRequest = issuer.requests.token.at(-1)!;
		expect(createHash("sha256").update(tokenRequest.get("code_verifier")!).digest("base64url")).toBe(
			location.searchParams.get("code_challenge"),
		);

		const me = await kit.app.inject({
			url: "/v2/auth/me",
			headers: { authorization: `Bearer ${finished.json().token}` },
		});
		expect(me.json()).toMatchObject({
			username: "n.alharbi",
			displayName: "Noura Alharbi",
			roles: ["officer"],
			groups: ["RUH-OLY", "investigation-officer:RUH-OLY"],
			tenantId: "public-security",
		});
		const tasks = await kit.app.inject({
			method: "POST",
			url: "/v2/user-tasks/search",
			headers: { authorization: `Bearer ${finished.json().token}` },
			payload: {},
		});
		expect(tasks.statusCode).toBe(200);
		const audit = await kit.app.inject({
			method: "POST",
			url: "/v2/audit-logs/search",
			headers: await kit.as("auditor"),
			payload: { filter: { action: "LOGIN", actorUsername: "n.alharbi" } },
		});
		expect(audit.json().items[0]).toMatchObject({
			detail: { method: "oidc", externalSubject: `${issuer.url}|kc-1001` },
		});
	});

	it("should follow the provider's roles, groups and agency at every sign-in and send the token back to returnTo", async () => {
		issuer.signIn({
			sub: "kc-1001",
			preferred_username: "n.alharbi",
			realm_access: { roles: ["shift-lead"] },
			groups: ["RUH-MLZ"],
			agency: "border-guard",
		});
		const { callback, cookie } = await authorize("/tasks?view=mine");
		const finished = await kit.app.inject({ url: callback, headers: { cookie } });
		expect(finished.statusCode, finished.body).toBe(302);
		const back = new URL(String(finished.headers.location), "http://mizan.test");
		expect(back.pathname + back.search).toBe("/tasks?view=mine");
		const fragment = new URLSearchParams(back.hash.slice(1));
		expect(fragment.get("token_type")).toBe("Bearer");
		const me = await kit.app.inject({
			url: "/v2/auth/me",
			headers: { authorization: `Bearer ${fragment.get("access_token")}` },
		});
		expect(me.json()).toMatchObject({
			username: "n.alharbi",
			roles: ["supervisor"],
			groups: ["RUH-MLZ"],
			tenantId: "border-guard",
		});
		const audit = await kit.app.inject({
			method: "POST",
			url: "/v2/audit-logs/search",
			headers: await kit.as("auditor"),
			payload: { filter: { entityType: "user", entityId: me.json().userId } },
		});
		// Created in the default agency at the first sign-in; this one moved it, which that agency's auditors see.
		const entries = audit.json().items as Array<{ action: string; detail: Record<string, unknown> }>;
		expect(entries.map((entry) => entry.action).sort()).toEqual(["LOGIN", "USER_CREATED", "USER_UPDATED"]);
		expect(entries.find((entry) => entry.action === "USER_UPDATED")?.detail).toMatchObject({
			method: "oidc",
			before: { roles: ["officer"], tenantId: "public-security" },
			after: { roles: ["supervisor"], groups: ["RUH-MLZ"], tenantId: "border-guard" },
		});
	});

	it("should refuse a callback without its cookie, with another login's cookie, a replayed code, or a provider error", async () => {
		issuer.signIn({ sub: "kc-1002", preferred_username: "f.alqahtani", realm_access: { roles: ["police-officer"] } });
		const first = await authorize();
		const second = await authorize();
		const noCookie = await kit.app.inject({ url: first.callback });
		expect(noCookie.statusCode).toBe(401);
		expect(noCookie.json()).toMatchObject({ code: "OIDC_LOGIN_FAILED", detail: expect.stringContaining("cookie") });
		const crossed = await kit.app.inject({ url: first.callback, headers: { cookie: second.cookie } });
		expect(crossed.json()).toMatchObject({ code: "OIDC_LOGIN_FAILED", detail: expect.stringContaining("state") });
		const forged = await kit.app.inject({ url: first.callback, headers: { cookie: "mizan_oidc=forged" } });
		expect(forged.json().code).toBe("OIDC_LOGIN_FAILED");
		expect((await kit.app.inject({ url: first.callback, headers: { cookie: first.cookie } })).statusCode).toBe(200);
		const replayed = await kit.app.inject({ url: first.callback, headers: { cookie: first.cookie } });
		expect(replayed.statusCode).toBe(401);
		expect(replayed.json().detail).toContain("invalid_grant");
		const refused = await kit.app.inject({
			url: `/v2/auth/oidc/callback?error=access_denied&state=${new URL(second.callback, redirectUri).searchParams.get("state")}`,
			headers: { cookie: second.cookie },
		});
		expect(refused.json()).toMatchObject({
			code: "OIDC_LOGIN_FAILED",
			detail: expect.stringContaining("access_denied"),
		});
	});

	it("should refuse a provider account named like a local user, one without a Mizan role, and a returnTo off this site", async () => {
		issuer.signIn({ sub: "kc-2001", preferred_username: "officer.olaya", realm_access: { roles: ["police-officer"] } });
		let round = await authorize();
		const clash = await kit.app.inject({ url: round.callback, headers: { cookie: round.cookie } });
		expect(clash.statusCode).toBe(409);
		expect(clash.json().code).toBe("OIDC_ACCOUNT_CONFLICT");
		issuer.signIn({ sub: "kc-2002", preferred_username: "visitor", realm_access: { roles: ["offline_access"] } });
		round = await authorize();
		const roleless = await kit.app.inject({ url: round.callback, headers: { cookie: round.cookie } });
		expect(roleless.statusCode).toBe(403);
		expect(roleless.json().detail).toContain("holds no Mizan role");
		for (const returnTo of ["//evil.example/x", "https://evil.example/", "/\\evil.example"]) {
			const refused = await kit.app.inject({
				url: `/v2/auth/oidc/authorization?returnTo=${encodeURIComponent(returnTo)}`,
			});
			expect(refused.statusCode, returnTo).toBe(400);
		}
	});

	it("should refuse to start in production with a plain-http provider", async () => {
		const oidc = { issuerUrl: issuer.url, clientId: "c", redirectUri, allowInsecureIssuer: true };
		await expect(
			buildApp({
				logger: pino({ level: "silent" }),
				parts: new PartRegistry(),
				api: { orm: kit.orm, mode: "production", auth: { jwtSecret: "x".repeat(40), oidc } },
			}),
		).rejects.toThrow(ApiConfigError);
	});

	it("should parse the role map and refuse unknown roles", () => {
		expect(parseRoleMap("a=officer, b c=admin")).toEqual({ a: "officer", "b c": "admin" });
		expect(() => parseRoleMap("a=chief")).toThrow(/OIDC_ROLE_MAP entry "a=chief"/);
	});
});

describe("OIDC sign-in when not configured", () => {
	let kit: ApiTestKit;
	beforeAll(async () => {
		kit = await createApiTestKit("oidc_off");
	});
	afterAll(async () => kit?.close());

	it("should answer 404 OIDC_NOT_CONFIGURED", async () => {
		const response = await kit.app.inject({ url: "/v2/auth/oidc/authorization" });
		expect(response.statusCode).toBe(404);
		expect(response.json().code).toBe("OIDC_NOT_CONFIGURED");
		expect((await kit.app.inject({ url: "/v2/auth/methods" })).json()).toEqual({ password: true, oidc: null });
	});
});
