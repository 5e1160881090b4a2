import { createHash } from "node:crypto";
import { EncryptJWT, jwtDecrypt } from "jose";
import * as client from "openid-client";
import { type Role, roles } from "./permissions";

/** OIDC sign-in settings (authorization code flow with PKCE); see the README's configuration table. */
export interface OidcOptions {
	/** Env `OIDC_ISSUER_URL`: the provider's issuer identifier; its `/.well-known/openid-configuration` is read. */
	issuerUrl: string;
	/** Env `OIDC_CLIENT_ID`. */
	clientId: string;
	/** Env `OIDC_CLIENT_SECRET`; absent: a public client (PKCE only, no client authentication). */
	clientSecret?: string;
	/** Env `OIDC_REDIRECT_URI`: this API's `/v2/auth/oidc/callback` as the browser reaches it, registered at the provider. */
	redirectUri: string;
	/** Env `OIDC_SCOPES`. @default "openid profile email" */
	scopes?: string;
	/** Env `OIDC_USERNAME_CLAIM`. @default "preferred_username" */
	usernameClaim?: string;
	/** Env `OIDC_ROLES_CLAIM`: claim (dot path, e.g. `realm_access.roles`) with the user's roles. @default "roles" */
	rolesClaim?: string;
	/** Env `OIDC_GROUPS_CLAIM`: claim with the user's units and candidate groups. @default "groups" */
	groupsClaim?: string;
	/**
	 * Env `OIDC_ROLE_MAP` (`idp-value=role,…`): provider role values → Mizan roles. Values that are Mizan role
	 * names count as themselves; anything else is ignored.
	 */
	roleMap?: Record<string, Role>;
	/** Env `OIDC_TENANT_CLAIM`: claim naming the agency; absent or missing: `DEFAULT_TENANT_ID`. */
	tenantClaim?: string;
	/**
	 * Accept an `http://` issuer (tests and local providers only; production refuses it).
	 * @default false
	 */
	allowInsecureIssuer?: boolean;
}

/** The identity a provider vouched for, mapped to Mizan's roles, groups and agency. */
export interface OidcIdentity {
	/** `<issuer>|<sub>`: stable across username changes at the provider. */
	externalSubject: string;
	username: string;
	displayName: string;
	roles: Role[];
	groups: string[];
	tenantId: string;
}

/** What the browser carries between the redirect to the provider and the callback (encrypted in a cookie). */
interface PendingLogin {
	state: string;
	nonce: string;
	verifier: string;
	returnTo?: string;
}

/** Parses `OIDC_ROLE_MAP` text (`idp-value=role,…`). @throws Error naming an unknown role. */
export function parseRoleMap(text: string | undefined): Record<string, Role> | undefined {
	if (!text) return undefined;
	const map: Record<string, Role> = {};
	for (const pair of text.split(",")) {
		const at = pair.lastIndexOf("=");
		const role = pair.slice(at + 1).trim();
		if (at <= 0 || !(roles as readonly string[]).includes(role))
			throw new Error(`OIDC_ROLE_MAP entry "${pair}" must be <provider value>=<one of ${roles.join(", ")}>`);
		map[pair.slice(0, at).trim()] = role as Role;
	}
	return map;
}

function claimAt(claims: Record<string, unknown>, path: string): unknown {
	if (path in claims) return claims[path];
	return path
		.split(".")
		.reduce<unknown>(
			(value, key) => (value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined),
			claims,
		);
}

const strings = (value: unknown): string[] =>
	Array.isArray(value)
		? value.filter((item): item is string => typeof item === "string")
		: typeof value === "string"
			? value.split(/[ ,]+/).filter(Boolean)
			: [];

/**
 * OIDC sign-in with `openid-client`: builds the provider redirect (state, nonce, PKCE S256) and, on the callback,
 * redeems the code and maps the ID token's claims to an {@link OidcIdentity}. The pending login travels in an
 * encrypted, HttpOnly cookie, so any API process holding the same JWT secret can finish it.
 */
export class OidcLogin {
	static readonly cookieName = "mizan_oidc";
	#config: Promise<client.Configuration> | undefined;
	readonly #key: Uint8Array;

	constructor(
		readonly options: OidcOptions,
		secret: string,
		private readonly defaultTenantId: string,
	) {
		this.#key = createHash("sha256").update(`mizan-oidc-login:${secret}`).digest();
	}

	/** The provider's metadata, discovered once (again after a failure). */
	#configuration(): Promise<client.Configuration> {
		this.#config ??= client
			.discovery(
				new URL(this.options.issuerUrl),
				this.options.clientId,
				{ redirect_uris: [this.options.redirectUri], response_types: ["code"] },
				this.options.clientSecret ? client.ClientSecretBasic(this.options.clientSecret) : client.None(),
				this.options.allowInsecureIssuer ? { execute: [client.allowInsecureRequests] } : undefined,
			)
			.catch((error: unknown) => {
				this.#config = undefined;
				throw error;
			});
		return this.#config;
	}

	/** The provider URL to send the browser to, and the cookie value that must come back with the callback. */
	async begin(returnTo: string | undefined): Promise<{ location: string; cookie: string }> {
		const config = await this.#configuration();
		const pending: PendingLogin = {
			state: client.randomState(),
			nonce: client.randomNonce(),
			verifier: client.randomPKCECodeVerifier(),
			...(returnTo ? { returnTo } : {}),
		};
		const location = client.buildAuthorizationUrl(config, {
			redirect_uri: this.options.redirectUri,
			scope: this.options.scopes ?? "openid profile email",
			state: pending.state,
			nonce: pending.nonce,
			code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
			code_challenge_method: "S256",
		});
		const cookie = await new EncryptJWT({ ...pending })
			.setProtectedHeader({ alg: "dir", enc: "A256GCM" })
			.setIssuedAt()
			.setExpirationTime("10m")
			.encrypt(this.#key);
		return { location: location.href, cookie };
	}

	/**
	 * Finishes a login: checks the cookie, state and nonce, redeems the code with the PKCE verifier and maps the
	 * claims. @throws Error with a message fit for the caller when anything does not match.
	 */
	async finish(query: string, cookie: string | undefined): Promise<{ identity: OidcIdentity; returnTo?: string }> {
		if (!cookie) throw new Error("the sign-in cookie is missing: start again at GET /v2/auth/oidc/authorization");
		let pending: PendingLogin;
		try {
			pending = (await jwtDecrypt(cookie, this.#key)).payload as unknown as PendingLogin;
		} catch {
			throw new Error("the sign-in cookie is expired or not ours: start again at GET /v2/auth/oidc/authorization");
		}
		const config = await this.#configuration();
		const current = new URL(this.options.redirectUri);
		current.search = query;
		const tokens = await client.authorizationCodeGrant(config, current, {
			pkceCodeVerifier: pending.verifier,
			expectedState: pending.state,
			expectedNonce: pending.nonce,
			idTokenExpected: true,
		});
		const claims = tokens.claims() as Record<string, unknown> | undefined;
		if (!claims) throw new Error("the provider answered without an ID token");
		return { identity: this.identityOf(claims), returnTo: pending.returnTo };
	}

	/** Maps ID token claims to Mizan's username, roles, groups and agency. */
	identityOf(claims: Record<string, unknown>): OidcIdentity {
		const username = claimAt(claims, this.options.usernameClaim ?? "preferred_username");
		if (typeof username !== "string" || username === "")
			throw new Error(`the ID token has no "${this.options.usernameClaim ?? "preferred_username"}" claim`);
		const map = this.options.roleMap ?? {};
		const mapped = strings(claimAt(claims, this.options.rolesClaim ?? "roles")).map(
			(value) => map[value] ?? ((roles as readonly string[]).includes(value) ? (value as Role) : undefined),
		);
		const tenant = this.options.tenantClaim ? claimAt(claims, this.options.tenantClaim) : undefined;
		return {
			externalSubject: `${String(claims.iss)}|${String(claims.sub)}`,
			username,
			displayName: typeof claims.name === "string" && claims.name !== "" ? claims.name : username,
			roles: [...new Set(mapped.filter((role): role is Role => role !== undefined))],
			groups: [...new Set(strings(claimAt(claims, this.options.groupsClaim ?? "groups")))],
			tenantId: typeof tenant === "string" && tenant !== "" ? tenant : this.defaultTenantId,
		};
	}
}

/** The OIDC settings as environment variables (validated by scripts/config.ts). */
export interface OidcSettings {
	MIZAN_MODE: "demo" | "production";
	OIDC_ISSUER_URL?: string;
	OIDC_CLIENT_ID?: string;
	OIDC_CLIENT_SECRET?: string;
	OIDC_REDIRECT_URI?: string;
	OIDC_SCOPES?: string;
	OIDC_USERNAME_CLAIM?: string;
	OIDC_ROLES_CLAIM?: string;
	OIDC_GROUPS_CLAIM?: string;
	OIDC_ROLE_MAP?: string;
	OIDC_TENANT_CLAIM?: string;
}

/**
 * {@link OidcOptions} from the environment; undefined when `OIDC_ISSUER_URL` is unset. An `http://` issuer is
 * accepted in demo mode only (the API refuses it in production).
 */
export function oidcOptionsFrom(settings: OidcSettings): OidcOptions | undefined {
	if (!settings.OIDC_ISSUER_URL || !settings.OIDC_CLIENT_ID || !settings.OIDC_REDIRECT_URI) return undefined;
	return {
		issuerUrl: settings.OIDC_ISSUER_URL,
		clientId: settings.OIDC_CLIENT_ID,
		clientSecret: settings.OIDC_CLIENT_SECRET,
		redirectUri: settings.OIDC_REDIRECT_URI,
		scopes: settings.OIDC_SCOPES,
		usernameClaim: settings.OIDC_USERNAME_CLAIM,
		rolesClaim: settings.OIDC_ROLES_CLAIM,
		groupsClaim: settings.OIDC_GROUPS_CLAIM,
		roleMap: parseRoleMap(settings.OIDC_ROLE_MAP),
		tenantClaim: settings.OIDC_TENANT_CLAIM,
		allowInsecureIssuer: settings.MIZAN_MODE === "demo" && settings.OIDC_ISSUER_URL.startsWith("http://"),
	};
}
