import { createHash } from "node:crypto";

/** Hash before the first entry of a chain. */
export const CHAIN_GENESIS = "0".repeat(64);

/** The fields of a custody entry that the hash covers (everything but the hashes themselves). */
export interface ChainEntry {
	seq: number;
	action: string;
	toStatus: string;
	fromHolder?: string | null;
	toHolder: string;
	location?: string | null;
	note?: string | null;
	occurredAt: Date;
}

/** A stored entry with its hashes. */
export interface HashedChainEntry extends ChainEntry {
	prevHash: string;
	hash: string;
}

/**
 * JSON with object keys sorted at every level and no whitespace, so the same entry always hashes the
 * same, whatever order the fields were written in. Dates are ISO-8601 UTC; `undefined` becomes `null`.
 */
export function canonicalJson(value: unknown): string {
	if (value === undefined || value === null) return "null";
	if (value instanceof Date) return JSON.stringify(value.toISOString());
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
	if (typeof value === "object") {
		const entries = Object.keys(value as Record<string, unknown>)
			.sort()
			.map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
		return `{${entries.join(",")}}`;
	}
	return JSON.stringify(value);
}

/**
 * `SHA-256(prevHash + canonical entry)` in hex. `subject` (the evidence number) is part of the hashed
 * entry so that a valid entry cannot be moved to another item's chain.
 */
export function chainHash(prevHash: string, subject: string, entry: ChainEntry): string {
	const canonical = canonicalJson({
		subject,
		seq: entry.seq,
		action: entry.action,
		toStatus: entry.toStatus,
		fromHolder: entry.fromHolder ?? null,
		toHolder: entry.toHolder,
		location: entry.location ?? null,
		note: entry.note ?? null,
		occurredAt: entry.occurredAt,
	});
	return createHash("sha256").update(prevHash).update(canonical).digest("hex");
}

/** One problem found by {@link verifyChain}. */
export interface ChainProblem {
	seq: number;
	problem: "HASH_MISMATCH" | "BROKEN_LINK" | "MISSING_ENTRY" | "HEAD_MISMATCH";
	message: string;
}

/**
 * Recomputes a chain: every entry's hash, every link to the previous hash, consecutive sequence numbers
 * from 1, and the stored head (hash and count on the item) so that removing the newest entries shows.
 * An empty problem list means the chain is intact.
 */
export function verifyChain(
	subject: string,
	entries: readonly HashedChainEntry[],
	head: { hash: string; count: number },
): ChainProblem[] {
	const problems: ChainProblem[] = [];
	const sorted = [...entries].sort((a, b) => a.seq - b.seq);
	let previous = CHAIN_GENESIS;
	let expectedSeq = 1;
	for (const entry of sorted) {
		if (entry.seq !== expectedSeq) {
			problems.push({
				seq: expectedSeq,
				problem: "MISSING_ENTRY",
				message: `${subject}: custody entries ${expectedSeq}–${entry.seq - 1} are missing`,
			});
		}
		if (entry.prevHash !== previous) {
			problems.push({
				seq: entry.seq,
				problem: "BROKEN_LINK",
				message: `${subject}: entry ${entry.seq} does not link to the entry before it`,
			});
		}
		if (chainHash(entry.prevHash, subject, entry) !== entry.hash) {
			problems.push({
				seq: entry.seq,
				problem: "HASH_MISMATCH",
				message: `${subject}: entry ${entry.seq} was changed after it was recorded (hash mismatch)`,
			});
		}
		previous = entry.hash;
		expectedSeq = entry.seq + 1;
	}
	if (previous !== head.hash || sorted.length !== head.count) {
		problems.push({
			seq: head.count,
			problem: "HEAD_MISMATCH",
			message: `${subject}: the item records ${head.count} custody entries ending in ${head.hash.slice(0, 12)}…, but the chain has ${sorted.length} ending in ${previous.slice(0, 12)}…; entries were removed or added outside the system`,
		});
	}
	return problems;
}
