import { errors, jwtVerify, SignJWT } from "jose";

const issuer = "mizan";
const audience = "mizan-api";

/** Signs and checks the API's bearer tokens (JWT, HS256). */
export class TokenService {
	readonly #key: Uint8Array;
	constructor(
		secret: string,
		/** Token lifetime in seconds. */
		readonly ttlSeconds: number,
	) {
		this.#key = new TextEncoder().encode(secret);
	}

	/** A token for the user, valid for `ttlSeconds`. */
	async sign(claims: { userId: string; username: string; tenantId: string }): Promise<string> {
		return new SignJWT({ preferred_username: claims.username, tenant: claims.tenantId })
			.setProtectedHeader({ alg: "HS256", typ: "JWT" })
			.setSubject(claims.userId)
			.setIssuer(issuer)
			.setAudience(audience)
			.setIssuedAt()
			.setExpirationTime(`${this.ttlSeconds}s`)
			.sign(this.#key);
	}

	/**
	 * The user id of a valid token.
	 * @returns a reason instead when the token is expired, badly signed or malformed.
	 */
	async verify(token: string): Promise<{ userId: string } | { reason: string }> {
		try {
			const { payload } = await jwtVerify(token, this.#key, { issuer, audience, algorithms: ["HS256"] });
			if (typeof payload.sub !== "string") return { reason: "the token names no subject" };
			return { userId: payload.sub };
		} catch (error) {
			if (error instanceof errors.JWTExpired) return { reason: "the token has expired; sign in again" };
			return { reason: "the token is not valid (bad signature, issuer, audience or format)" };
		}
	}
}
