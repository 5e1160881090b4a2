import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { errors, exportJWK, type JWK, jwtVerify, SignJWT } from "jose";

const issuer = "mizan";
const audience = "mizan-api";

/** How tokens are signed: an HMAC secret (HS256) or an Ed25519 private key (EdDSA). */
export type TokenKey = string | { privateKeyPem: string };

/** Thrown for a signing key that is not an Ed25519 private key in PEM. */
export class TokenKeyError extends Error {
	override name = "TokenKeyError";
}

/** Signs and checks the API's bearer tokens (JWT): HS256 with a secret, or EdDSA with a configured Ed25519 key. */
export class TokenService {
	readonly algorithm: "HS256" | "EdDSA";
	readonly #signKey: Uint8Array | KeyObject;
	readonly #verifyKey: Uint8Array | KeyObject;
	constructor(
		key: TokenKey,
		/** Token lifetime in seconds. */
		readonly ttlSeconds: number,
	) {
		if (typeof key === "string") {
			this.algorithm = "HS256";
			this.#signKey = this.#verifyKey = new TextEncoder().encode(key);
			return;
		}
		let privateKey: KeyObject;
		try {
			privateKey = createPrivateKey(key.privateKeyPem);
		} catch (error) {
			throw new TokenKeyError(`The JWT signing key is not a PEM private key: ${(error as Error).message}`);
		}
		if (privateKey.asymmetricKeyType !== "ed25519")
			throw new TokenKeyError(
				`The JWT signing key is ${privateKey.asymmetricKeyType}; use an Ed25519 key (openssl genpkey -algorithm ed25519).`,
			);
		this.algorithm = "EdDSA";
		this.#signKey = privateKey;
		this.#verifyKey = createPublicKey(privateKey);
	}

	/** The public key as a JWK set (EdDSA only; HS256 has nothing to publish). */
	async jwks(): Promise<{ keys: JWK[] }> {
		if (this.algorithm !== "EdDSA") return { keys: [] };
		return { keys: [{ ...(await exportJWK(this.#verifyKey as KeyObject)), alg: "EdDSA", use: "sig", kid: "mizan-1" }] };
	}

	/** A token for the user, valid for `ttlSeconds`. */
	async sign(claims: { userId: string; username: string; tenantId: string }): Promise<string> {
		return new SignJWT({ preferred_username: claims.username, tenant: claims.tenantId })
			.setProtectedHeader({
				alg: this.algorithm,
				typ: "JWT",
				...(this.algorithm === "EdDSA" ? { kid: "mizan-1" } : {}),
			})
			.setSubject(claims.userId)
			.setIssuer(issuer)
			.setAudience(audience)
			.setIssuedAt()
			.setExpirationTime(`${this.ttlSeconds}s`)
			.sign(this.#signKey);
	}

	/**
	 * The user id of a valid token.
	 * @returns a reason instead when the token is expired, badly signed or malformed.
	 */
	async verify(token: string): Promise<{ userId: string } | { reason: string }> {
		try {
			const { payload } = await jwtVerify(token, this.#verifyKey, {
				issuer,
				audience,
				algorithms: [this.algorithm],
			});
			if (typeof payload.sub !== "string") return { reason: "the token names no subject" };
			return { userId: payload.sub };
		} catch (error) {
			if (error instanceof errors.JWTExpired) return { reason: "the token has expired; sign in again" };
			return { reason: "the token is not valid (bad signature, issuer, audience or format)" };
		}
	}
}
