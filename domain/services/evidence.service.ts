import { LockMode } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import {
	type CUSTODY_ACTIONS,
	type EvidenceCustodyEvent,
	EvidenceCustodyEventSchema,
	type EvidenceItem,
	EvidenceItemSchema,
	type LOSS_TYPES,
	PersonSchema,
} from "../entities";
import { DomainError } from "../errors";
import { formatChildId } from "../rules/case-number.rule";
import { EVIDENCE_MACHINE, type EvidenceStatus } from "../rules/case-states.rule";
import { CHAIN_GENESIS, type ChainProblem, chainHash, verifyChain } from "../rules/custody-chain.rule";
import { assertTransition } from "../rules/state-machine.rule";
import { lockCase } from "./case.service";
import { findByIdempotencyKey } from "./idempotency";

/** Input of {@link registerEvidence}. */
export interface RegisterEvidenceInput {
	caseId: string;
	descriptionAr: string;
	descriptionEn?: string;
	quantity?: { value: number; unit: string };
	sealNumber?: string;
	digital?: boolean;
	/** SHA-256 (hex) of a digital item at acquisition. */
	sha256?: string;
	lossType: (typeof LOSS_TYPES)[number];
	valueSar?: number;
	ownerPersonId?: string;
	/** Who collected it (officer id), where and when: the first custody entry. */
	collectedBy: string;
	collectedAt: Date;
	location?: string;
	/** The job key: a redelivery returns the item registered the first time. */
	idempotencyKey?: string;
}

/**
 * Registers an evidence item (`…/E01`, numbered per case) and writes the first entry of its chain of
 * custody (COLLECTED) in the same transaction.
 */
export async function registerEvidence(em: EntityManager, input: RegisterEvidenceInput): Promise<EvidenceItem> {
	if (input.sha256 !== undefined && !/^[0-9a-f]{64}$/i.test(input.sha256)) {
		throw new DomainError(
			"INVALID_ARGUMENT",
			"sha256 must be 64 hexadecimal characters (the SHA-256 of the acquired image)",
		);
	}
	return em.transactional(async (tx) => {
		const caseRecord = await lockCase(tx, input.caseId);
		const previous = await findByIdempotencyKey(tx, EvidenceItemSchema, input.idempotencyKey);
		if (previous) return previous;
		const owner = input.ownerPersonId ? await tx.findOne(PersonSchema, input.ownerPersonId) : null;
		if (input.ownerPersonId && !owner)
			throw new DomainError("NOT_FOUND", `Owner ${input.ownerPersonId} does not exist`);
		caseRecord.evidenceCount += 1;
		const item = tx.create(EvidenceItemSchema, {
			evidenceNumber: formatChildId(caseRecord.caseNumber, "E", caseRecord.evidenceCount),
			caseRecord,
			descriptionAr: input.descriptionAr,
			descriptionEn: input.descriptionEn ?? null,
			quantityValue: input.quantity?.value ?? null,
			quantityUnit: input.quantity?.unit ?? null,
			sealNumber: input.sealNumber ?? null,
			digital: input.digital ?? false,
			sha256: input.sha256?.toLowerCase() ?? null,
			lossType: input.lossType,
			valueSar: input.valueSar ?? null,
			owner,
			status: "COLLECTED",
			custodyHeadHash: CHAIN_GENESIS,
			custodyEventCount: 0,
			idempotencyKey: input.idempotencyKey ?? null,
		});
		appendEntry(tx, item, {
			action: "COLLECTED",
			toStatus: "COLLECTED",
			toHolder: input.collectedBy,
			location: input.location,
			occurredAt: input.collectedAt,
		});
		await tx.flush();
		return item;
	});
}

/** One custody event to append. */
export interface CustodyEventInput {
	action: (typeof CUSTODY_ACTIONS)[number];
	/** The item's status after the event; omit for a holder change that keeps the status (TRANSFERRED). */
	toStatus?: EvidenceStatus;
	fromHolder?: string;
	toHolder: string;
	location?: string;
	note?: string;
	occurredAt: Date;
	/** The job key: a redelivered transfer returns the entry written the first time. */
	idempotencyKey?: string;
}

/**
 * Appends a custody event (transfer, seal, check-out …) to an item's chain. The item row is locked, so
 * concurrent appends are serialised; a status change must be a legal evidence transition, and a
 * transfer must start from the current holder.
 */
export async function appendCustodyEvent(
	em: EntityManager,
	evidenceItemId: string,
	input: CustodyEventInput,
): Promise<EvidenceCustodyEvent> {
	return em.transactional(async (tx) => {
		const item = await tx.findOne(EvidenceItemSchema, evidenceItemId, {
			lockMode: LockMode.PESSIMISTIC_WRITE,
			refresh: true,
		});
		if (!item) throw new DomainError("NOT_FOUND", `Evidence item ${evidenceItemId} does not exist`);
		// Checked under the item lock, so a concurrent redelivery waits and then finds this entry.
		const previous = await findByIdempotencyKey(tx, EvidenceCustodyEventSchema, input.idempotencyKey);
		if (previous) return previous;
		const toStatus = input.toStatus ?? item.status;
		if (toStatus !== item.status) assertTransition(EVIDENCE_MACHINE, item.status, toStatus, item.evidenceNumber);
		if (EVIDENCE_MACHINE.transitions[item.status].length === 0) {
			throw new DomainError(
				"INVALID_STATE",
				`${item.evidenceNumber} was disposed (${item.status}); no further custody is possible`,
			);
		}
		const last = await tx.findOne(EvidenceCustodyEventSchema, { evidenceItem: item, seq: item.custodyEventCount });
		if (input.fromHolder !== undefined && last && last.toHolder !== input.fromHolder) {
			throw new DomainError(
				"INVALID_ARGUMENT",
				`${item.evidenceNumber} is held by ${last.toHolder}, not ${input.fromHolder}; the transfer must start from the current holder`,
			);
		}
		const event = appendEntry(tx, item, { ...input, fromHolder: input.fromHolder ?? last?.toHolder ?? null, toStatus });
		await tx.flush();
		return event;
	});
}

/** Result of {@link verifyCustodyChain}. */
export interface ChainVerification {
	evidenceNumber: string;
	intact: boolean;
	entries: number;
	problems: ChainProblem[];
}

/**
 * Re-reads an item's chain of custody from the database and recomputes every hash: an edited entry, a
 * deleted entry (in the middle or the newest) or a moved entry is reported.
 */
export async function verifyCustodyChain(em: EntityManager, evidenceItemId: string): Promise<ChainVerification> {
	const fresh = em.fork();
	const item = await fresh.findOne(EvidenceItemSchema, evidenceItemId);
	if (!item) throw new DomainError("NOT_FOUND", `Evidence item ${evidenceItemId} does not exist`);
	const events = await fresh.find(EvidenceCustodyEventSchema, { evidenceItem: item }, { orderBy: { seq: "asc" } });
	const problems = verifyChain(item.evidenceNumber, events, {
		hash: item.custodyHeadHash,
		count: item.custodyEventCount,
	});
	return { evidenceNumber: item.evidenceNumber, intact: problems.length === 0, entries: events.length, problems };
}

/** The custody events of an item, oldest first. */
export async function custodyEventsOf(em: EntityManager, evidenceItemId: string): Promise<EvidenceCustodyEvent[]> {
	return em.find(EvidenceCustodyEventSchema, { evidenceItem: evidenceItemId }, { orderBy: { seq: "asc" } });
}

function appendEntry(
	tx: EntityManager,
	item: EvidenceItem,
	input: Omit<CustodyEventInput, "toStatus" | "fromHolder"> & { toStatus: EvidenceStatus; fromHolder?: string | null },
): EvidenceCustodyEvent {
	const seq = item.custodyEventCount + 1;
	const entry = {
		seq,
		action: input.action,
		toStatus: input.toStatus,
		fromHolder: input.fromHolder ?? null,
		toHolder: input.toHolder,
		location: input.location ?? null,
		note: input.note ?? null,
		// The database keeps microseconds, JavaScript milliseconds: hash what will be read back.
		occurredAt: new Date(input.occurredAt.getTime()),
	};
	const prevHash = item.custodyHeadHash;
	const hash = chainHash(prevHash, item.evidenceNumber, entry);
	const event = tx.create(EvidenceCustodyEventSchema, {
		...entry,
		evidenceItem: item,
		prevHash,
		hash,
		idempotencyKey: input.idempotencyKey ?? null,
	});
	item.custodyHeadHash = hash;
	item.custodyEventCount = seq;
	item.status = input.toStatus;
	return event;
}
