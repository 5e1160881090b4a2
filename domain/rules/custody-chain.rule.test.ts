import { describe, expect, it } from "vitest";
import {
	CHAIN_GENESIS,
	type ChainEntry,
	canonicalJson,
	chainHash,
	type HashedChainEntry,
	verifyChain,
} from "./custody-chain.rule";

const SUBJECT = "RUH-SWD-1447-000201-6/E01";

function build(entries: ChainEntry[]): HashedChainEntry[] {
	let prev = CHAIN_GENESIS;
	return entries.map((entry) => {
		const hash = chainHash(prev, SUBJECT, entry);
		const hashed = { ...entry, prevHash: prev, hash };
		prev = hash;
		return hashed;
	});
}

const entries: ChainEntry[] = [
	{
		seq: 1,
		action: "COLLECTED",
		toStatus: "COLLECTED",
		toHolder: "officer:1001",
		occurredAt: new Date("2025-09-02T20:50:00Z"),
	},
	{
		seq: 2,
		action: "SEALED",
		toStatus: "SEALED",
		toHolder: "officer:1001",
		note: "seal 784512",
		occurredAt: new Date("2025-09-02T21:10:00Z"),
	},
	{
		seq: 3,
		action: "TRANSFERRED",
		toStatus: "IN_EVIDENCE_ROOM",
		fromHolder: "officer:1001",
		toHolder: "custodian:2002",
		occurredAt: new Date("2025-09-03T06:00:00Z"),
	},
];

describe("custody hash chain", () => {
	it("should write canonical JSON with sorted keys, ISO dates and nulls", () => {
		expect(canonicalJson({ b: 1, a: [new Date("2025-01-01T00:00:00Z"), undefined], c: { z: "ز", y: null } })).toBe(
			'{"a":["2025-01-01T00:00:00.000Z",null],"b":1,"c":{"y":null,"z":"ز"}}',
		);
	});

	it("should verify an intact chain", () => {
		const chain = build(entries);
		expect(verifyChain(SUBJECT, chain, { hash: chain[2]!.hash, count: 3 })).toEqual([]);
		expect(chain[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
	});

	it("should detect an edited entry", () => {
		const chain = build(entries);
		chain[1] = { ...chain[1]!, note: "seal 000000" };
		expect(verifyChain(SUBJECT, chain, { hash: chain[2]!.hash, count: 3 })).toEqual([
			expect.objectContaining({ seq: 2, problem: "HASH_MISMATCH" }),
		]);
	});

	it("should detect a deleted middle entry and a deleted last entry", () => {
		const chain = build(entries);
		const withoutMiddle = [chain[0]!, chain[2]!];
		expect(verifyChain(SUBJECT, withoutMiddle, { hash: chain[2]!.hash, count: 3 }).map((p) => p.problem)).toEqual([
			"MISSING_ENTRY",
			"BROKEN_LINK",
			"HEAD_MISMATCH",
		]);
		expect(verifyChain(SUBJECT, chain.slice(0, 2), { hash: chain[2]!.hash, count: 3 }).map((p) => p.problem)).toEqual([
			"HEAD_MISMATCH",
		]);
	});

	it("should detect an entry moved from another item's chain", () => {
		const chain = build(entries);
		expect(verifyChain("RUH-SWD-1447-000201-6/E02", chain, { hash: chain[2]!.hash, count: 3 })).toHaveLength(3);
	});
});
