import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { ProblemError } from "../errors/error-registry";
import { problemResponses } from "../errors/problem";
import { UsersRepository } from "../users/users.repository";
import type { ApiContext } from "../v2.plugin";
import { type OidcIdentity, OidcLogin } from "./oidc";

const tokenResponse = {
	type: "object",
	properties: { token: { type: "string" }, tokenType: { type: "string" }, expiresIn: { type: "integer" } },
	required: ["token", "tokenType", "expiresIn"],
} as const;

/** openid-client errors say "invalid response encountered"; the code, the provider's error and the cause say why. */
function describeOidcError(error: unknown): string {
	if (!(error instanceof Error)) return String(error);
	const detail = error as Error & { code?: string; error?: string; error_description?: string; cause?: unknown };
	const parts = [error.message];
	if (detail.error)
		parts.push(`provider error ${detail.error}${detail.error_description ? `: ${detail.error_description}` : ""}`);
	if (detail.code) parts.push(detail.code);
	const cause = detail.cause as { message?: string; expected?: unknown; body?: unknown } | undefined;
	if (cause && typeof cause === "object" && !detail.error) {
		if (cause.message) parts.push(cause.message);
		else if (cause.expected !== undefined) parts.push(`expected ${JSON.stringify(cause.expected)}`);
	}
	return parts.map((part) => part.replace(/\.$/, "")).join("; ");
}

function cookieOf(header: string | undefined, name: string): string | undefined {
	for (const part of (header ?? "").split(";")) {
		const at = part.indexOf("=");
		if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
	}
	return undefined;
}

/**
 * `GET /v2/auth/oidc/authorization` and `GET /v2/auth/oidc/callback`: sign-in through an OpenID Connect provider
 * (authorization code flow with PKCE), ending in the same bearer token as `POST /v2/auth/login`. The provider's
 * account becomes (or updates) a Mizan user whose roles, groups and agency follow the ID token's claims at each
 * sign-in. Without `auth.oidc` both answer 404 OIDC_NOT_CONFIGURED.
 */
export const oidcRoutes: FastifyPluginAsync<{
	context: ApiContext;
	/** The token secret; the sign-in cookie's key is derived from it. */
	secret: string;
	defaultTenantId: string;
}> = async (app, { context, secret, defaultTenantId }) => {
	const options = context.options.auth.oidc;
	const login = options ? new OidcLogin(options, secret, defaultTenantId) : undefined;
	const secure = options?.redirectUri.startsWith("https:") ? "; Secure" : "";
	const cookie = (value: string, maxAge: number) =>
		`${OidcLogin.cookieName}=${value}; Path=/v2/auth/oidc; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure}`;
	const limit = context.options.auth.loginRateLimit ?? { max: 10, timeWindowMs: 60_000 };
	const rateLimit = {
		max: limit.max,
		timeWindow: limit.timeWindowMs,
		errorResponseBuilder: (_request: unknown, info: { ttl: number }) =>
			new ProblemError(
				"RATE_LIMITED",
				`Too many sign-in attempts from this address; wait ${Math.ceil(info.ttl / 1000)} s and try again.`,
			),
	};
	const configured = (): OidcLogin => {
		if (!login)
			throw new ProblemError(
				"OIDC_NOT_CONFIGURED",
				"This installation has no OIDC provider (OIDC_ISSUER_URL); sign in with POST /v2/auth/login.",
			);
		return login;
	};

	app.get(
		"/auth/methods",
		{
			schema: {
				tags: ["auth"],
				summary: "The sign-in methods this installation offers, for a login screen",
				security: [],
				response: {
					200: {
						type: "object",
						properties: {
							password: { type: "boolean" },
							oidc: {
								type: ["object", "null"],
								properties: { authorizationUrl: { type: "string" } },
								required: ["authorizationUrl"],
							},
						},
						required: ["password", "oidc"],
					},
					...problemResponses(),
				},
			},
			config: { public: true },
		},
		async () => ({
			password: true,
			oidc: login ? { authorizationUrl: "/v2/auth/oidc/authorization" } : null,
		}),
	);

	app.get<{ Querystring: { returnTo?: string } }>(
		"/auth/oidc/authorization",
		{
			schema: {
				tags: ["auth"],
				summary: "Start an OIDC sign-in: redirects to the provider (authorization code flow with PKCE)",
				security: [],
				querystring: {
					type: "object",
					additionalProperties: false,
					properties: {
						returnTo: {
							type: "string",
							maxLength: 512,
							pattern: "^/(?![/\\\\])[^\\s\\\\]*$",
							description:
								"Path of this site to send the browser back to, with `#access_token=…&token_type=Bearer&expires_in=…`; without it the callback answers JSON",
						},
					},
				},
				response: { 302: { type: "null", description: "Redirect to the provider" }, ...problemResponses(404, 503) },
			},
			config: { public: true, rateLimit },
		},
		async (request, reply) => {
			const oidc = configured();
			const started = await oidc.begin(request.query.returnTo).catch((error: unknown) => {
				request.log.warn({ err: error }, "OIDC discovery failed");
				throw new ProblemError(
					"OIDC_PROVIDER_UNAVAILABLE",
					`The OIDC provider could not be reached (${(error as Error).message}); try again later.`,
				);
			});
			return reply.header("set-cookie", cookie(started.cookie, 600)).redirect(started.location, 302);
		},
	);

	app.get(
		"/auth/oidc/callback",
		{
			schema: {
				tags: ["auth"],
				summary: "The provider's redirect back: redeems the code and answers a bearer token (or redirects to returnTo)",
				security: [],
				response: {
					200: tokenResponse,
					302: { type: "null", description: "Back to returnTo with the token in the fragment" },
					...problemResponses(404, 409),
				},
			},
			config: { public: true, rateLimit },
		},
		async (request, reply) => {
			const oidc = configured();
			const query = request.url.includes("?") ? request.url.slice(request.url.indexOf("?")) : "";
			reply.header("set-cookie", cookie("", 0));
			let finished: { identity: OidcIdentity; returnTo?: string };
			try {
				finished = await oidc.finish(query, cookieOf(request.headers.cookie, OidcLogin.cookieName));
			} catch (error) {
				const message = describeOidcError(error);
				await context.audit.record(request, {
					action: "LOGIN_FAILED",
					entityType: "user",
					entityId: "oidc",
					actor: { tenantId: "" },
					detail: { method: "oidc", reason: message },
				});
				throw new ProblemError("OIDC_LOGIN_FAILED", `The OIDC sign-in failed: ${message}.`);
			}
			const user = await provision(request, finished.identity);
			await context.audit.record(request, {
				action: "LOGIN",
				entityType: "user",
				entityId: user.id,
				actor: { userId: user.id, username: user.username, roles: user.roles, tenantId: user.tenantId },
				detail: { method: "oidc", externalSubject: finished.identity.externalSubject },
			});
			const token = await context.tokens.sign({ userId: user.id, username: user.username, tenantId: user.tenantId });
			return answer(reply, token, finished.returnTo);
		},
	);

	/** The Mizan user of a provider account: created on first sign-in, roles, groups and agency kept in step after. */
	async function provision(request: FastifyRequest, identity: OidcIdentity) {
		const em = context.orm.em.fork();
		const users = new UsersRepository(em);
		const known = await users.findByExternalSubject(identity.externalSubject);
		if (known?.disabled) throw new ProblemError("OIDC_LOGIN_FAILED", "This account is disabled in Mizan.");
		if (identity.roles.length === 0)
			throw new ProblemError(
				"FORBIDDEN",
				`The provider's account ${identity.username} holds no Mizan role in its "${options!.rolesClaim ?? "roles"}" claim; ask its administrator for one.`,
			);
		const actor = (user: { id: string; username: string; roles: string[]; tenantId: string }) => ({
			userId: user.id,
			username: user.username,
			roles: user.roles,
			tenantId: user.tenantId,
		});
		if (known) {
			const before = { roles: known.roles, groups: known.groups, tenantId: known.tenantId };
			Object.assign(known, {
				displayName: identity.displayName,
				roles: identity.roles,
				groups: identity.groups,
				tenantId: identity.tenantId,
			});
			await em.flush();
			const after = { roles: known.roles, groups: known.groups, tenantId: known.tenantId };
			if (JSON.stringify(before) !== JSON.stringify(after))
				await context.audit.record(request, {
					action: "USER_UPDATED",
					entityType: "user",
					entityId: known.id,
					// Kept in the agency the user came from, whose auditors must see the move.
					actor: actor({ ...known, tenantId: before.tenantId }),
					detail: { method: "oidc", before, after },
				});
			return known;
		}
		if (await users.findByUsername(identity.username))
			throw new ProblemError(
				"OIDC_ACCOUNT_CONFLICT",
				`A local user is already called ${identity.username}; an administrator must rename one of the two accounts.`,
			);
		const created = await users.create({ ...identity, externalSubject: identity.externalSubject });
		await context.audit.record(request, {
			action: "USER_CREATED",
			entityType: "user",
			entityId: created.id,
			actor: actor(created),
			detail: { method: "oidc", username: created.username, roles: created.roles, groups: created.groups },
		});
		return created;
	}

	function answer(reply: FastifyReply, token: string, returnTo: string | undefined) {
		const body = { token, tokenType: "Bearer", expiresIn: context.tokens.ttlSeconds };
		if (!returnTo) return body;
		const fragment = new URLSearchParams({
			access_token: token,
			token_type: "Bearer",
			expires_in: String(context.tokens.ttlSeconds),
		});
		return reply.redirect(`${returnTo}#${fragment}`, 302);
	}
};
