import { createHash, randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import Fastify from "fastify";
import { exportJWK, generateKeyPair, SignJWT } from "jose";

/** A minimal OpenID Connect provider for tests: discovery, JWKS, authorization code flow with PKCE (S256). */
export interface TestOidcIssuer {
	/** The issuer identifier (`http://127.0.0.1:<port>`). */
	url: string;
	clientId: string;
	clientSecret: string;
	/** The person the next authorization requests sign in as: `sub` and any other ID token claims. */
	signIn(claims: { sub: string; [claim: string]: unknown }): void;
	/** Every authorization and token request received, as sent. */
	readonly requests: { authorize: URLSearchParams[]; token: URLSearchParams[] };
	close(): Promise<void>;
}

/**
 * Starts the issuer on a free loopback port. It checks what a real provider checks: the client id and secret,
 * the exact redirect URI, a single-use code, and that the token request's `code_verifier` hashes to the
 * authorization request's `code_challenge`. Its ID tokens are ES256-signed with a key made at start.
 */
export async function startOidcIssuer(options: { redirectUri: string }): Promise<TestOidcIssuer> {
	const clientId = "mizan-test-client";
	const clientSecret = randomBytes(24).toString("base64url");
	const { privateKey, publicKey } = await generateKeyPair("ES256");
	const jwk = { ...(await exportJWK(publicKey)), kid: "test-key", alg: "ES256", use: "sig" };
	const codes = new Map<
		string,
		{ claims: Record<string, unknown>; challenge: string; nonce?: string; redirectUri: string }
	>();
	const requests = { authorize: [] as URLSearchParams[], token: [] as URLSearchParams[] };
	let user: { sub: string; [claim: string]: unknown } | undefined;
	let url = "";

	const app = Fastify({ logger: false });
	app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_request, body, done) =>
		done(null, new URLSearchParams(body as string)),
	);
	app.get("/.well-known/openid-configuration", async () => ({
		issuer: url,
		authorization_endpoint: `${url}/authorize`,
		token_endpoint: `${url}/token`,
		jwks_uri: `${url}/jwks`,
		response_types_supported: ["code"],
		subject_types_supported: ["public"],
		id_token_signing_alg_values_supported: ["ES256"],
		code_challenge_methods_supported: ["S256"],
		token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
		scopes_supported: ["openid", "profile", "email"],
	}));
	app.get("/jwks", async () => ({ keys: [jwk] }));
	app.get<{ Querystring: Record<string, string> }>("/authorize", async (request, reply) => {
		const query = new URLSearchParams(request.query);
		requests.authorize.push(query);
		if (query.get("client_id") !== clientId || query.get("redirect_uri") !== options.redirectUri)
			return reply.code(400).send({ error: "invalid_request", error_description: "unknown client or redirect URI" });
		const back = new URL(options.redirectUri);
		const state = query.get("state");
		if (state) back.searchParams.set("state", state);
		const challenge = query.get("code_challenge");
		if (query.get("response_type") !== "code" || !challenge || query.get("code_challenge_method") !== "S256") {
			back.searchParams.set("error", "invalid_request");
			back.searchParams.set("error_description", "PKCE with S256 is required");
		} else if (!user || !query.get("scope")?.split(" ").includes("openid")) {
			back.searchParams.set("error", "login_required");
		} else {
			const code = randomBytes(16).toString("base64url");
			codes.set(code, {
				claims: user,
				challenge,
				nonce: query.get("nonce") ?? undefined,
				redirectUri: options.redirectUri,
			});
			back.searchParams.set("code", code);
		}
		return reply.redirect(back.toString(), 302);
	});
	app.post<{ Body: URLSearchParams }>("/token", async (request, reply) => {
		const body = request.body;
		requests.token.push(body);
		const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? "")?.[1];
		const [id, secret] = basic
			? Buffer.from(basic, "base64")
					.toString()
					.split(":")
					.map((part) => decodeURIComponent(part))
			: [body.get("client_id"), body.get("client_secret")];
		if (id !== clientId || secret !== clientSecret) return reply.code(401).send({ error: "invalid_client" });
		const grant = codes.get(body.get("code") ?? "");
		codes.delete(body.get("code") ?? "");
		const verifier = body.get("code_verifier") ?? "";
		if (
			body.get("grant_type") !== "authorization_code" ||
			!grant ||
			body.get("redirect_uri") !== grant.redirectUri ||
			createHash("sha256").update(verifier).digest("base64url") !== grant.challenge
		)
			return reply.code(400).send({ error: "invalid_grant", error_description: "bad code, redirect URI or verifier" });
		const idToken = await new SignJWT({ ...grant.claims, ...(grant.nonce ? { nonce: grant.nonce } : {}) })
			.setProtectedHeader({ alg: "ES256", kid: jwk.kid, typ: "JWT" })
			.setIssuer(url)
			.setAudience(clientId)
			.setSubject(String(grant.claims.sub))
			.setIssuedAt()
			.setExpirationTime("5m")
			.sign(privateKey);
		return {
			access_token: randomBytes(16).toString("base64url"),
			token_type: "Bearer",
			expires_in: 300,
			id_token: idToken,
		};
	});
	await app.listen({ port: 0, host: "127.0.0.1" });
	url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
	return {
		get url() {
			return url;
		},
		clientId,
		clientSecret,
		signIn(claims) {
			user = claims;
		},
		requests,
		close: () => app.close(),
	};
}
