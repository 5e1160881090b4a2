import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";

// N=2^14, r=8 needs 16 MiB per hash: below Node's 32 MiB default maxmem, ~50 ms on this machine.
const params = { N: 16384, r: 8, p: 1 } as const;
const keyLength = 64;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
	return new Promise((resolve, reject) =>
		scrypt(password.normalize("NFC"), salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key))),
	);
}

/** Hashes a password with scrypt and a random salt: `scrypt$N$r$p$salt$hash` (base64). */
export async function hashPassword(password: string): Promise<string> {
	const salt = randomBytes(16);
	const key = await derive(password, salt, params);
	return ["scrypt", params.N, params.r, params.p, salt.toString("base64"), key.toString("base64")].join("$");
}

// Verifying against this when the user does not exist keeps the answer time the same, so timing does not
// reveal which usernames exist.
const decoy = `scrypt$${params.N}$${params.r}$${params.p}$${Buffer.alloc(16).toString("base64")}$${Buffer.alloc(keyLength).toString("base64")}`;

/** True when the password matches the stored hash; constant-time comparison. A null hash never matches. */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
	const [scheme, n, r, p, salt, hash] = (stored ?? decoy).split("$");
	if (scheme !== "scrypt" || !salt || !hash) return false;
	const expected = Buffer.from(hash, "base64");
	const key = await derive(password, Buffer.from(salt, "base64"), { N: Number(n), r: Number(r), p: Number(p) });
	return stored !== null && key.length === expected.length && timingSafeEqual(key, expected);
}
