import {
	appendCustodyEvent,
	type CUSTODY_ACTIONS,
	DomainError,
	EvidenceItemSchema,
	type EvidenceStatus,
} from "../../domain";
import { businessError, complete, type JobModule } from "../runtime/job-module";
import { optionalString, requireHeader, requireString } from "./job-variables";

const ACTIONS = ["SEAL", "CHECK_IN", "CHECK_OUT_COURT", "DISPOSE"] as const;

/** Custody action and resulting status per header action. */
const MOVES: Record<
	Exclude<(typeof ACTIONS)[number], "DISPOSE">,
	{ action: (typeof CUSTODY_ACTIONS)[number]; toStatus: EvidenceStatus; holder: string }
> = {
	SEAL: { action: "SEALED", toStatus: "SEALED", holder: "investigation-officer" },
	CHECK_IN: { action: "CHECKED_IN", toStatus: "IN_EVIDENCE_ROOM", holder: "evidence-custodian" },
	CHECK_OUT_COURT: { action: "CHECKED_OUT", toStatus: "CHECKED_OUT", holder: "court" },
};

/** Final status per disposition ordered by the PP or the court (domain.md §4 P4). */
const DISPOSITIONS: Record<string, EvidenceStatus> = {
	RETURN: "RETURNED_TO_OWNER",
	DESTROY: "DESTROYED",
	CONFISCATE: "CONFISCATED",
	RETAIN: "RETAINED",
};

/**
 * `evidence.transfer`: appends one chain-of-custody event to the item `evidenceId`; the domain chains it
 * to the previous one (`hash = SHA-256(prevHash + entry)`, append-only) and the worker writes the new
 * head as `lastCustodyEventHash`. With `verifyIntegrity=true` (check-in, check-out) a broken or different
 * seal throws SEAL_BROKEN and a failed hash check HASH_MISMATCH (ISO/IEC 27037): business outcomes the
 * diagram routes to the integrity-incident task. The INTEGRITY_ALERT entry is appended to the chain and kept.
 */
export const evidenceTransferWorker: JobModule = {
	type: "evidence.transfer",
	description: "Appends a hash-chained custody event; SEAL_BROKEN / HASH_MISMATCH when verifying integrity",
	async handle(job, { em, services }) {
		const action = requireHeader(job, "action", ACTIONS);
		const evidenceId = requireString(job, "evidenceId");
		const item = await em.findOne(EvidenceItemSchema, { evidenceNumber: evidenceId });
		if (!item)
			throw new DomainError(
				"NOT_FOUND",
				`Evidence item ${evidenceId} does not exist; it is registered by evidence.register`,
			);
		const sealNo = optionalString(job, "sealNo");
		if (job.customHeaders.verifyIntegrity === "true") {
			const problem = integrityProblem(item, sealNo, optionalString(job, "sha256"), job.variables);
			if (problem) {
				// The alert is part of the chain of custody: it is appended and kept with the error, and the
				// item stays stored with state INTEGRITY_ALERT until legal-compliance reviews it (P4).
				const alert = await appendCustodyEvent(em, item.id, {
					action: "INTEGRITY_ALERT",
					toStatus: "INTEGRITY_ALERT",
					toHolder: optionalString(job, "toHolder") ?? "evidence-custodian",
					location: optionalString(job, "storageLocationCode"),
					note: problem.code,
					occurredAt: services.now(),
					idempotencyKey: job.key,
				});
				return businessError(
					problem.code,
					`${problem.message} (${evidenceId}); open an integrity incident`,
					{ lastCustodyEventHash: alert.hash, evidenceStatus: "INTEGRITY_ALERT" },
					{ keepWrites: true },
				);
			}
		}
		let move: { action: (typeof CUSTODY_ACTIONS)[number]; toStatus: EvidenceStatus; holder: string };
		if (action === "DISPOSE") {
			const dispositionType = requireString(job, "dispositionType");
			const toStatus = DISPOSITIONS[dispositionType];
			if (!toStatus) {
				throw new DomainError(
					"INVALID_ARGUMENT",
					`dispositionType must be one of ${Object.keys(DISPOSITIONS).join(", ")}, got '${dispositionType}'`,
				);
			}
			move = { action: "DISPOSED", toStatus, holder: dispositionType === "RETURN" ? "owner" : "evidence-custodian" };
		} else {
			move = MOVES[action];
		}
		const acquisitionHash = optionalString(job, "sha256")?.toLowerCase();
		if (action === "SEAL" && ((sealNo && !item.sealNumber) || (acquisitionHash && !item.sha256))) {
			// Sealing records the seal number and, for a digital item, the SHA-256 taken at acquisition (ISO/IEC 27037),
			// which every later verifying transfer compares with.
			if (sealNo && !item.sealNumber) item.sealNumber = sealNo;
			if (acquisitionHash && !item.sha256) item.sha256 = acquisitionHash;
			await em.flush();
		}
		const location = optionalString(job, "storageLocationCode");
		const event = await appendCustodyEvent(em, item.id, {
			action: move.action,
			toStatus: move.toStatus,
			toHolder: optionalString(job, "toHolder") ?? move.holder,
			location,
			note: action === "DISPOSE" ? optionalString(job, "approvalNotes") : undefined,
			occurredAt: services.now(),
			idempotencyKey: job.key,
		});
		return complete({ lastCustodyEventHash: event.hash, evidenceStatus: move.toStatus });
	},
};

function integrityProblem(
	item: { sealNumber?: string | null; sha256?: string | null },
	sealNo: string | undefined,
	sha256: string | undefined,
	variables: Record<string, unknown>,
): { code: "SEAL_BROKEN" | "HASH_MISMATCH"; message: string } | undefined {
	const sealDiffers = sealNo !== undefined && item.sealNumber != null && sealNo !== item.sealNumber;
	if (sealDiffers)
		return { code: "SEAL_BROKEN", message: `Seal ${sealNo} is not the recorded seal ${item.sealNumber}` };
	if (variables.sealIntact === false) return { code: "SEAL_BROKEN", message: "The seal is not intact" };
	const hashDiffers = sha256 !== undefined && item.sha256 != null && sha256.toLowerCase() !== item.sha256;
	if (hashDiffers || variables.hashVerified === false) {
		return { code: "HASH_MISMATCH", message: "The SHA-256 does not match the one recorded at acquisition" };
	}
	return undefined;
}
