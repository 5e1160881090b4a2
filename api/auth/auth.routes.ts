import type { FastifyPluginAsync } from "fastify";
import { ProblemError } from "../errors/error-registry";
import { problemResponses } from "../errors/problem";
import { UsersRepository } from "../users/users.repository";
import type { ApiContext } from "../v2.plugin";
import { loginSchema, meSchema } from "./auth.schemas";
import { verifyPassword } from "./password";

/** `POST /v2/auth/login` (public, rate limited) and `GET /v2/auth/me`. */
export const authRoutes: FastifyPluginAsync<{ context: ApiContext }> = async (app, { context }) => {
	const limit = context.options.auth.loginRateLimit ?? { max: 10, timeWindowMs: 60_000 };
	app.post<{ Body: { username: string; password: string } }>(
		"/auth/login",
		{
			schema: loginSchema,
			config: {
				public: true,
				rateLimit: {
					max: limit.max,
					timeWindow: limit.timeWindowMs,
					errorResponseBuilder: (_request, info) =>
						new ProblemError(
							"RATE_LIMITED",
							`Too many sign-in attempts from this address; wait ${Math.ceil(info.ttl / 1000)} s and try again.`,
						),
				},
			},
		},
		async (request) => {
			const users = new UsersRepository(context.orm.em.fork());
			const { username, password } = request.body;
			const user = await users.findByUsername(username);
			const valid = await verifyPassword(password, user?.passwordHash ?? null);
			if (!user || !valid || user.disabled) {
				await context.audit.record(request, {
					action: "LOGIN_FAILED",
					entityType: "user",
					entityId: username,
					actor: { username, tenantId: user?.tenantId ?? "" },
				});
				throw new ProblemError("INVALID_CREDENTIALS", "The username or password is wrong, or the account is disabled.");
			}
			await context.audit.record(request, {
				action: "LOGIN",
				entityType: "user",
				entityId: user.id,
				actor: { userId: user.id, username: user.username, roles: user.roles, tenantId: user.tenantId },
			});
			const token = await context.tokens.sign({ userId: user.id, username: user.username, tenantId: user.tenantId });
			return { token, tokenType: "Bearer", expiresIn: context.tokens.ttlSeconds };
		},
	);

	app.get(
		"/auth/jwks",
		{
			schema: {
				tags: ["auth"],
				summary: "The public key of the bearer tokens as a JWK set (EdDSA; empty with HS256)",
				security: [],
				response: {
					200: {
						type: "object",
						properties: { keys: { type: "array", items: { type: "object", additionalProperties: true } } },
						required: ["keys"],
					},
					...problemResponses(),
				},
			},
			config: { public: true },
		},
		async () => context.tokens.jwks(),
	);

	app.get(
		"/auth/me",
		{ schema: meSchema, config: { permission: "session:read" } },
		async (request) => request.principal,
	);
};
