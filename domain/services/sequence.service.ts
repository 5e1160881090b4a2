import type { EntityManager } from "@mikro-orm/postgresql";

/**
 * Allocates the next number of a series in a Hijri year: one atomic upsert on `identifier_sequence`.
 * Concurrent callers queue on the row lock, so no two get the same value; called inside the caller's
 * transaction, a rolled-back registration gives its number back (no gaps). The first call of a new
 * Hijri year creates the row at 1, which is the reset on 1 Muharram.
 */
export async function allocateSequence(em: EntityManager, series: string, hijriYear: number): Promise<number> {
	const rows = await em.execute<{ last_value: number }[]>(
		`insert into identifier_sequence (series, hijri_year, last_value) values (?, ?, 1)
		 on conflict (series, hijri_year) do update set last_value = identifier_sequence.last_value + 1
		 returning last_value`,
		[series, hijriYear],
	);
	return Number(rows[0]!.last_value);
}
