import { randomBytes } from "node:crypto";
import type { MikroORM } from "@mikro-orm/postgresql";
import type { FastifyPluginAsync } from "fastify";
import type { Logger } from "pino";
import { AuditLog } from "./audit/audit-log.repository";
import { auditRoutes } from "./audit/audit.routes";
import { authRoutes } from "./auth/auth.routes";
import type { OidcOptions } from "./auth/oidc";
import { oidcRoutes } from "./auth/oidc.routes";
import { hasPermission, type Permission, permissionRoles } from "./auth/permissions";
import type { Principal } from "./auth/principal";
import { TokenService } from "./auth/token";
import { ProblemError } from "./errors/error-registry";
import { UsersRepository } from "./users/users.repository";
import { usersRoutes } from "./users/users.routes";
import type { TaskServiceOptions } from "./tasks/user-tasks.service";
import { userTasksRoutes } from "./tasks/user-tasks.routes";
import { savedFiltersRoutes } from "./saved-filters/saved-filters.routes";
import { eventsRoutes } from "./events/events.routes";
import { InstanceChangeFeed } from "./events/instance-change-feed";
import { TaskEvents } from "./tasks/task-events";
import { type CasesOptions, casesRoutes } from "./cases/cases.routes";
import { deploymentsRoutes } from "./deployments/deployments.routes";
import { incidentsRoutes } from "./incidents/incidents.routes";
import { instancesRoutes } from "./instances/instances.routes";
import { messagesRoutes } from "./messages/messages.routes";
import { EngineAccess, type EngineAccessOptions } from "./processes/engine-access";
import { processesRoutes } from "./processes/processes.routes";

declare module "fastify" {
	interface FastifyRequest {
		/** The signed-in user; set on every `/v2` route except sign-in. */
		principal?: Principal;
	}
	interface FastifyContextConfig {
		/** The permission a `/v2` route requires (see auth/permissions.ts). */
		permission?: Permission;
		/** True only for routes that need no token (sign-in). */
		public?: boolean;
	}
}

/** Settings of sign-in and tokens. */
export interface AuthOptions {
	/**
	 * HMAC key of the JWTs (HS256). Production refuses one shorter than 32 characters; demo mode without one signs
	 * with a random key made at start (tokens end with the process). Env: `JWT_SECRET`.
	 */
	jwtSecret?: string;
	/**
	 * Ed25519 private key (PKCS#8 PEM) to sign the JWTs with EdDSA instead of HS256; its public key is published at
	 * `GET /v2/auth/jwks`. Env: `JWT_PRIVATE_KEY_FILE` (the file is read by `startApi`).
	 */
	jwtPrivateKeyPem?: string;
	/**
	 * Token lifetime in seconds. Env: `JWT_TTL_SECONDS`.
	 * @default 900
	 */
	jwtTtlSeconds?: number;
	/**
	 * Sign-in attempts allowed per client address and window. Env: `LOGIN_RATE_LIMIT_MAX`, `LOGIN_RATE_LIMIT_WINDOW_MS`.
	 * @default { max: 10, timeWindowMs: 60000 }
	 */
	loginRateLimit?: { max: number; timeWindowMs: number };
	/** OIDC sign-in (authorization code flow with PKCE, `openid-client`); absent: password sign-in only. */
	oidc?: OidcOptions;
}

/** What the `/v2` API needs. */
export interface ApiOptions {
	/** The API's ORM (see db/orm.ts), on a database migrated with `apiMigrations`. */
	orm: MikroORM;
	/** `demo` allows demo users and a built-in development secret; `production` refuses both. */
	mode: "demo" | "production";
	auth: AuthOptions;
	/** Engine reads (embedded mode) and the zeebe-node client for process, instance, incident and message routes. */
	engine?: EngineAccessOptions;
	/** The case records (domain/) ORM; without it the case routes answer 501. */
	cases?: CasesOptions;
	/** The task service's engine connection, form lookup and event fan-out. */
	tasks?: TaskServiceOptions;
	logger?: Logger;
}

/** Thrown by `buildApp` when the API's configuration is unsafe; the message names the setting and the fix. */
export class ApiConfigError extends Error {
	override name = "ApiConfigError";
}

/** Shared services of the `/v2` plugins. */
export interface ApiContext {
	options: ApiOptions;
	orm: MikroORM;
	tokens: TokenService;
	audit: AuditLog;
}

// Demo mode without JWT_SECRET signs with a random key made at start: `npm start` works without setup, nobody
// can forge tokens from a secret in the source, and tokens end with the process. Production requires JWT_SECRET.
const demoSecret = randomBytes(48).toString("base64");

async function checkProductionSafety(options: ApiOptions): Promise<void> {
	if (options.mode !== "production") return;
	const oidc = options.auth.oidc;
	if (
		oidc &&
		(oidc.allowInsecureIssuer || !oidc.issuerUrl.startsWith("https://") || !oidc.redirectUri.startsWith("https://"))
	) {
		throw new ApiConfigError(
			"OIDC_ISSUER_URL and OIDC_REDIRECT_URI must be https:// URLs in production (MIZAN_MODE=production); plain http is for local providers in demo mode.",
		);
	}
	if (!options.auth.jwtPrivateKeyPem && (!options.auth.jwtSecret || options.auth.jwtSecret.length < 32)) {
		throw new ApiConfigError(
			"JWT_SECRET must be set to at least 32 characters in production (MIZAN_MODE=production); generate one with `openssl rand -base64 48`, or sign with an Ed25519 key (JWT_PRIVATE_KEY_FILE).",
		);
	}
	const demoUsers = await new UsersRepository(options.orm.em.fork()).countDemoUsers();
	if (demoUsers > 0) {
		throw new ApiConfigError(
			`The database holds ${demoUsers} demo users (scripts/demo-users.json); production refuses to start with them. Delete them (delete from api_user where is_demo) or run in demo mode.`,
		);
	}
}

/**
 * The `/v2` API. Every route must declare `config.permission` (or `config.public`): the app refuses to start
 * otherwise, so no route is reachable without a token and a role check by oversight.
 */
export const v2Routes: FastifyPluginAsync<ApiOptions> = async (app, options) => {
	await checkProductionSafety(options);
	// Also keys the OIDC sign-in cookie: the same on every API process that shares the token key.
	const secret = options.auth.jwtSecret || options.auth.jwtPrivateKeyPem || demoSecret;
	let tokens: TokenService;
	try {
		const key = options.auth.jwtPrivateKeyPem ? { privateKeyPem: options.auth.jwtPrivateKeyPem } : secret;
		tokens = new TokenService(key, options.auth.jwtTtlSeconds ?? 900);
	} catch (error) {
		throw new ApiConfigError(`JWT_PRIVATE_KEY_FILE: ${(error as Error).message}`);
	}
	const context: ApiContext = {
		options,
		orm: options.orm,
		tokens,
		audit: new AuditLog(options.orm),
	};

	app.decorateRequest("principal", undefined);
	app.addHook("onRoute", (route) => {
		const config = route.config as { permission?: string; public?: boolean } | undefined;
		if (route.method === "HEAD") return;
		if (!config?.public && !(config?.permission && config.permission in permissionRoles)) {
			throw new Error(
				`Route ${route.method} ${route.url} declares no known config.permission; every /v2 route needs one.`,
			);
		}
	});
	app.addHook("onRequest", async (request) => {
		const config = request.routeOptions.config;
		if (config.public) return;
		const header = request.headers.authorization;
		const match = typeof header === "string" ? /^Bearer\s+(\S+)$/i.exec(header) : null;
		if (!match)
			throw new ProblemError(
				"UNAUTHENTICATED",
				"Send `Authorization: Bearer <token>`; get a token from POST /v2/auth/login.",
			);
		const verified = await context.tokens.verify(match[1]!);
		if ("reason" in verified)
			throw new ProblemError("UNAUTHENTICATED", `The bearer token was refused: ${verified.reason}.`);
		const user = await new UsersRepository(context.orm.em.fork()).findById(verified.userId);
		if (!user || user.disabled)
			throw new ProblemError("UNAUTHENTICATED", "The token's user no longer exists or is disabled.");
		request.principal = {
			userId: user.id,
			username: user.username,
			displayName: user.displayName,
			roles: user.roles,
			groups: user.groups,
			tenantId: user.tenantId,
		};
		const permission = config.permission!;
		if (!hasPermission(user.roles, permission)) {
			throw new ProblemError(
				"FORBIDDEN",
				`${request.method} ${request.routeOptions.url} needs permission "${permission}", held by roles ${permissionRoles[permission].join(", ")}; you have ${user.roles.join(", ") || "no roles"}.`,
			);
		}
	});

	await app.register(authRoutes, { context });
	await app.register(oidcRoutes, {
		context,
		secret,
		defaultTenantId: options.engine?.defaultTenantId ?? "public-security",
	});
	await app.register(usersRoutes, { context });
	await app.register(auditRoutes, { context });
	const events = options.tasks?.events ?? new TaskEvents();
	await app.register(userTasksRoutes, { context, tasks: { ...options.tasks, events } });
	const engine = new EngineAccess(options.engine ?? {});
	const feed = new InstanceChangeFeed({ source: () => engine.options.queries, logger: options.logger });
	await app.register(eventsRoutes, { events, instances: { feed, engine } });
	await app.register(processesRoutes, { engine });
	await app.register(instancesRoutes, { context, engine });
	await app.register(incidentsRoutes, { context, engine });
	await app.register(messagesRoutes, { context, engine });
	await app.register(deploymentsRoutes, { context, engine });
	await app.register(casesRoutes, { context, engine, cases: options.cases });
	await app.register(savedFiltersRoutes, { context });
};
