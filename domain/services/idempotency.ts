import { type EntitySchema, UniqueConstraintViolationException } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";

/** The row a previous delivery created with this idempotency key, if any (none without a key). */
export async function findByIdempotencyKey<T extends object>(
	em: EntityManager,
	schema: EntitySchema<T>,
	key: string | undefined,
): Promise<T | null> {
	if (key === undefined) return null;
	// biome-ignore lint/suspicious/noExplicitAny: every schema passed here has an idempotencyKey column.
	return em.findOne(schema, { idempotencyKey: key } as any);
}

/**
 * Runs `create`; when it loses a race on the idempotency key against a concurrent delivery (unique
 * violation), returns the row the winner wrote. The loser's transaction is rolled back entirely, so a
 * number it had allocated is given back.
 */
export async function createOnce<T extends object>(
	em: EntityManager,
	schema: EntitySchema<T>,
	key: string | undefined,
	create: () => Promise<T>,
): Promise<T> {
	try {
		return await create();
	} catch (error) {
		if (key !== undefined && error instanceof UniqueConstraintViolationException) {
			const winner = await findByIdempotencyKey(em.fork(), schema, key);
			if (winner) return winner;
		}
		throw error;
	}
}
