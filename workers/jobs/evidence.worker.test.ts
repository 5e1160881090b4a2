import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHAIN_GENESIS } from "../../domain";
import { createWorkersTestDatabase, nextJobKey, type WorkersTestDatabase } from "../testing/workers-database";
import { caseAssignNumberWorker } from "./case-assign-number.worker";
import { evidenceRegisterWorker } from "./evidence-register.worker";
import { evidenceTransferWorker } from "./evidence-transfer.worker";

describe("evidence.register and evidence.transfer", () => {
	let kit: WorkersTestDatabase;
	let caseNumber: string;
	let evidenceId: string;
	const chain = () =>
		kit.rows<{ seq: number; action: string; prev_hash: string; hash: string }>(
			"select e.seq, e.action, e.prev_hash, e.hash from evidence_custody_event e join evidence_item i on i.id = e.evidence_item_id where i.evidence_number = ? order by e.seq",
			[evidenceId],
		);

	beforeAll(async () => {
		kit = await createWorkersTestDatabase("workers_evidence");
		const registered = await kit.run(caseAssignNumberWorker, {
			variables: { unitCode: "RUH-OLY" },
			customHeaders: { series: "CASE" },
		});
		caseNumber = String(registered.outcome.kind === "complete" && registered.outcome.variables.caseNumber);
	});
	afterAll(async () => {
		await kit?.close();
	});

	it("should register the item …/E01 once and publish EvidenceSeized with message id = evidenceId", async () => {
		const key = nextJobKey();
		const variables = {
			caseNumber,
			evidenceItem: { descriptionAr: "هاتف محمول أسود", itemType: "PHONE", quantity: 1 },
		};
		const first = await kit.run(evidenceRegisterWorker, { key, variables });
		await kit.run(evidenceRegisterWorker, { key, variables });
		evidenceId = `${caseNumber}/E01`;
		expect(first.outcome).toMatchObject({
			kind: "complete",
			variables: { evidenceId },
			messages: [{ name: "EvidenceSeized", messageId: evidenceId, correlationKey: evidenceId }],
		});
		expect(await kit.rows("select evidence_number from evidence_item")).toEqual([{ evidence_number: evidenceId }]);
	});

	it("should chain every transfer to the previous one and write the new head hash", async () => {
		const sealed = await kit.run(evidenceTransferWorker, {
			variables: { evidenceId, sealNo: "S-1001" },
			customHeaders: { action: "SEAL", verifyIntegrity: "false" },
		});
		const checkedIn = await kit.run(evidenceTransferWorker, {
			variables: { evidenceId, sealNo: "S-1001", sealIntact: true, storageLocationCode: "R1-S2" },
			customHeaders: { action: "CHECK_IN", verifyIntegrity: "true" },
		});
		const events = await chain();
		expect(events.map((e) => e.action)).toEqual(["COLLECTED", "SEALED", "CHECKED_IN"]);
		expect(events[0]!.prev_hash).toBe(CHAIN_GENESIS);
		expect(events[1]!.prev_hash).toBe(events[0]!.hash);
		expect(events[2]!.prev_hash).toBe(events[1]!.hash);
		expect(sealed.outcome).toMatchObject({
			variables: { lastCustodyEventHash: events[1]!.hash, evidenceStatus: "SEALED" },
		});
		expect(checkedIn.outcome).toMatchObject({
			variables: { lastCustodyEventHash: events[2]!.hash, evidenceStatus: "IN_EVIDENCE_ROOM" },
		});
	});

	it("should append nothing twice when a transfer job is redelivered", async () => {
		const key = nextJobKey();
		const job = {
			key,
			variables: { evidenceId },
			customHeaders: { action: "CHECK_OUT_COURT", verifyIntegrity: "false" },
		};
		await kit.run(evidenceTransferWorker, job);
		await kit.run(evidenceTransferWorker, job);
		expect((await chain()).map((e) => e.action)).toEqual(["COLLECTED", "SEALED", "CHECKED_IN", "CHECKED_OUT"]);
	});

	it("should throw SEAL_BROKEN on a different seal when verifying, keeping an INTEGRITY_ALERT entry in the chain", async () => {
		await kit.run(evidenceTransferWorker, {
			variables: { evidenceId, sealIntact: true },
			customHeaders: { action: "CHECK_IN", verifyIntegrity: "true" },
		});
		const key = nextJobKey();
		const job = {
			key,
			variables: { evidenceId, sealNo: "S-9999", sealIntact: true },
			customHeaders: { action: "CHECK_IN", verifyIntegrity: "true" },
		};
		const result = await kit.run(evidenceTransferWorker, job);
		const again = await kit.run(evidenceTransferWorker, job);
		const events = await chain();
		expect(result.outcome).toMatchObject({
			kind: "error",
			errorCode: "SEAL_BROKEN",
			variables: { evidenceStatus: "INTEGRITY_ALERT", lastCustodyEventHash: events.at(-1)!.hash },
		});
		expect(again).toMatchObject({ replayed: true, outcome: { errorCode: "SEAL_BROKEN" } });
		expect(events.map((e) => e.action)).toEqual([
			"COLLECTED",
			"SEALED",
			"CHECKED_IN",
			"CHECKED_OUT",
			"CHECKED_IN",
			"INTEGRITY_ALERT",
		]);
		expect(await kit.rows("select status from evidence_item where evidence_number = ?", [evidenceId])).toEqual([
			{ status: "INTEGRITY_ALERT" },
		]);
	});

	it("should throw HASH_MISMATCH when the hash check failed", async () => {
		const result = await kit.run(evidenceTransferWorker, {
			variables: { evidenceId, hashVerified: false },
			customHeaders: { action: "CHECK_IN", verifyIntegrity: "true" },
		});
		expect(result.outcome).toMatchObject({ kind: "error", errorCode: "HASH_MISMATCH" });
	});

	it("should fail with no retries on a move the evidence state machine forbids", async () => {
		const result = await kit.run(evidenceTransferWorker, {
			variables: { evidenceId, sealNo: "S-2" },
			customHeaders: { action: "SEAL" },
		});
		expect(result.outcome).toMatchObject({ kind: "fail", final: true });
	});

	it("should record the acquisition SHA-256 at sealing and refuse a check-in with another hash", async () => {
		const registered = await kit.run(evidenceRegisterWorker, {
			variables: {
				caseNumber,
				evidenceItem: { descriptionAr: "نسخة جنائية من هاتف", itemType: "DIGITAL", quantity: 1 },
			},
		});
		const digitalId = String(registered.outcome.kind === "complete" && registered.outcome.variables.evidenceId);
		const hash = "ab".repeat(32);
		await kit.run(evidenceTransferWorker, {
			variables: { evidenceId: digitalId, sealNo: "880147", sha256: hash.toUpperCase() },
			customHeaders: { action: "SEAL" },
		});
		expect(
			await kit.rows("select seal_number, sha256 from evidence_item where evidence_number = ?", [digitalId]),
		).toEqual([{ seal_number: "880147", sha256: hash }]);
		const tampered = await kit.run(evidenceTransferWorker, {
			variables: { evidenceId: digitalId, sealNo: "880147", sha256: "cd".repeat(32), storageLocationCode: "DIG-1" },
			customHeaders: { action: "CHECK_IN", verifyIntegrity: "true" },
		});
		expect(tampered.outcome).toMatchObject({ kind: "error", errorCode: "HASH_MISMATCH" });
	});
});
