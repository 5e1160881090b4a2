import { LockMode } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import {
	type Appeal,
	type APPEAL_STATUSES,
	type APPELLANTS,
	AppealSchema,
	CaseRecordSchema,
	ChargeSchema,
	type COURT_LEVELS,
	type Hearing,
	HearingSchema,
	type Judgment,
	type JUDGMENT_OUTCOMES,
	JudgmentSchema,
	type Sentence,
} from "../entities";
import { DomainError } from "../errors";
import { CHARGE_MACHINE } from "../rules/case-states.rule";
import {
	appealDeadline,
	isWithinAppealWindow,
	LEGAL_CLOCKS,
	type LegalClockRules,
	legalClockRules,
} from "../rules/legal-clock.rule";
import { assertTransition } from "../rules/state-machine.rule";
import { findByIdempotencyKey } from "./idempotency";

/** Records a scheduled (or held) hearing of a case. */
export async function recordHearing(
	em: EntityManager,
	input: {
		caseId: string;
		court: string;
		scheduledAt: Date;
		courtCaseNumber?: string;
		heldAt?: Date;
		outcome?: string;
		/** The job key: a redelivery returns the hearing recorded the first time. */
		idempotencyKey?: string;
	},
): Promise<Hearing> {
	const previous = await findByIdempotencyKey(em, HearingSchema, input.idempotencyKey);
	if (previous) return previous;
	const caseRecord = await em.findOne(CaseRecordSchema, input.caseId);
	if (!caseRecord) throw new DomainError("NOT_FOUND", `Case ${input.caseId} does not exist`);
	const hearing = em.create(HearingSchema, {
		caseRecord,
		court: input.court,
		scheduledAt: input.scheduledAt,
		courtCaseNumber: input.courtCaseNumber ?? null,
		heldAt: input.heldAt ?? null,
		outcome: input.outcome ?? null,
		idempotencyKey: input.idempotencyKey ?? null,
	});
	await em.flush();
	return hearing;
}

/** Input of {@link recordJudgment}. */
export interface JudgmentInput {
	chargeId: string;
	level: (typeof COURT_LEVELS)[number];
	outcome: (typeof JUDGMENT_OUTCOMES)[number];
	sentence?: Sentence;
	pronouncedAt: Date;
	/** When known; the appeal window runs from it. */
	copyReceivedAt?: Date;
	deedNumber?: string;
}

/**
 * Records a judgment on one charge (one accused, one offence) and moves the charge's disposition to the
 * outcome. Grave penalties (death, amputation, stoning, qisas) are flagged for mandatory review. The
 * appeal deadline is set when the copy's receipt is known.
 */
export async function recordJudgment(
	em: EntityManager,
	input: JudgmentInput,
	clocks: Readonly<Record<string, LegalClockRules>> = LEGAL_CLOCKS,
): Promise<Judgment> {
	return em.transactional(async (tx) => {
		const charge = await tx.findOne(ChargeSchema, input.chargeId, {
			lockMode: LockMode.PESSIMISTIC_WRITE,
			refresh: true,
			populate: ["caseOffence"],
		});
		if (!charge) throw new DomainError("NOT_FOUND", `Charge ${input.chargeId} does not exist`);
		// One judgment per charge and level: a redelivery of the same judgment returns it.
		const existing = await tx.findOne(JudgmentSchema, { charge, level: input.level });
		if (existing) {
			if (existing.outcome === input.outcome) return existing;
			throw new DomainError(
				"ALREADY_EXISTS",
				`Charge ${input.chargeId} already has a ${input.level} judgment (${existing.outcome}); a different outcome comes from an appeal decision`,
			);
		}
		if (charge.disposition !== input.outcome) {
			assertTransition(CHARGE_MACHINE, charge.disposition, input.outcome, input.chargeId);
			charge.disposition = input.outcome;
			charge.dispositionAt = input.pronouncedAt;
		}
		const rules = legalClockRules(charge.caseOffence.governingLaw, clocks);
		const judgment = tx.create(JudgmentSchema, {
			charge,
			level: input.level,
			outcome: input.outcome,
			sentence: input.sentence ?? null,
			pronouncedAt: input.pronouncedAt,
			copyReceivedAt: input.copyReceivedAt ?? null,
			appealDeadline: input.copyReceivedAt ? appealDeadline(rules, input.copyReceivedAt) : null,
			deedNumber: input.deedNumber ?? null,
			mandatoryReview: input.sentence?.gravePenalty === true,
			final: false,
		});
		await tx.flush();
		return judgment;
	});
}

/**
 * Records receipt of the judgment copy, which starts the 30-day objection window; `deedNumber` (on the copy) is kept
 * when the judgment has none yet.
 */
export async function recordJudgmentCopyReceived(
	em: EntityManager,
	judgmentId: string,
	receivedAt: Date,
	clocks: Readonly<Record<string, LegalClockRules>> = LEGAL_CLOCKS,
	deedNumber?: string,
): Promise<Judgment> {
	const judgment = await loadJudgment(em, judgmentId);
	const rules = legalClockRules(judgment.charge.caseOffence.governingLaw, clocks);
	if (deedNumber && !judgment.deedNumber) judgment.deedNumber = deedNumber;
	judgment.copyReceivedAt = receivedAt;
	judgment.appealDeadline = appealDeadline(rules, receivedAt);
	await em.flush();
	return judgment;
}

/**
 * Records an objection against a judgment. One filed after the window (30 days from receipt of the copy)
 * is refused with DEADLINE_PASSED; mandatory review needs no window.
 */
export async function recordAppeal(
	em: EntityManager,
	input: {
		judgmentId: string;
		appellant: (typeof APPELLANTS)[number];
		kind: Appeal["kind"];
		filedAt: Date;
		/** The job key: a redelivery returns the objection recorded the first time. */
		idempotencyKey?: string;
	},
	clocks: Readonly<Record<string, LegalClockRules>> = LEGAL_CLOCKS,
): Promise<Appeal> {
	const previous = await findByIdempotencyKey(em, AppealSchema, input.idempotencyKey);
	if (previous) return previous;
	const judgment = await loadJudgment(em, input.judgmentId);
	if (judgment.final)
		throw new DomainError("INVALID_STATE", `Judgment ${judgment.id} is final; it can no longer be objected to`);
	if (input.appellant === "MANDATORY_REVIEW") {
		if (!judgment.mandatoryReview) {
			throw new DomainError(
				"INVALID_ARGUMENT",
				`Judgment ${judgment.id} carries no grave penalty; it is not subject to mandatory review`,
			);
		}
	} else {
		if (!judgment.copyReceivedAt) {
			throw new DomainError(
				"INVALID_STATE",
				`The receipt of the copy of judgment ${judgment.id} is not recorded; record it first`,
			);
		}
		const rules = legalClockRules(judgment.charge.caseOffence.governingLaw, clocks);
		if (!isWithinAppealWindow(rules, judgment.copyReceivedAt, input.filedAt)) {
			throw new DomainError(
				"DEADLINE_PASSED",
				`The objection window of judgment ${judgment.id} closed at ${judgment.appealDeadline?.toISOString()}; an objection filed at ${input.filedAt.toISOString()} is late`,
			);
		}
	}
	const appeal = em.create(AppealSchema, {
		judgment,
		appellant: input.appellant,
		kind: input.kind,
		filedAt: input.filedAt,
		status: "FILED",
		idempotencyKey: input.idempotencyKey ?? null,
	});
	await em.flush();
	return appeal;
}

/**
 * Records the appeal court's decision. OVERTURNED or AMENDED with a new outcome moves the charge to it;
 * a decision on appeal is recorded as an APPEAL-level judgment by the caller when a deed is issued.
 */
export async function decideAppeal(
	em: EntityManager,
	appealId: string,
	decision: {
		status: Exclude<(typeof APPEAL_STATUSES)[number], "FILED">;
		decidedAt: Date;
		newOutcome?: (typeof JUDGMENT_OUTCOMES)[number];
	},
): Promise<Appeal> {
	return em.transactional(async (tx) => {
		const appeal = await tx.findOne(AppealSchema, appealId, { populate: ["judgment.charge"] });
		if (!appeal) throw new DomainError("NOT_FOUND", `Appeal ${appealId} does not exist`);
		if (appeal.status !== "FILED")
			throw new DomainError("INVALID_STATE", `Appeal ${appealId} was already decided (${appeal.status})`);
		appeal.status = decision.status;
		appeal.decidedAt = decision.decidedAt;
		const charge = appeal.judgment.charge;
		if (decision.newOutcome && decision.newOutcome !== charge.disposition) {
			assertTransition(CHARGE_MACHINE, charge.disposition, decision.newOutcome, charge.id);
			charge.disposition = decision.newOutcome;
			charge.dispositionAt = decision.decidedAt;
		}
		await tx.flush();
		return appeal;
	});
}

/** Marks a judgment final (window expired or appeals exhausted) and its charge FINAL. */
export async function finaliseJudgment(
	em: EntityManager,
	judgmentId: string,
	at: Date = new Date(),
): Promise<Judgment> {
	return em.transactional(async (tx) => {
		const judgment = await loadJudgment(tx, judgmentId);
		const pending = await tx.count(AppealSchema, { judgment, status: "FILED" });
		if (pending > 0)
			throw new DomainError(
				"INVALID_STATE",
				`Judgment ${judgmentId} has an undecided objection; record the decision first`,
			);
		judgment.final = true;
		assertTransition(CHARGE_MACHINE, judgment.charge.disposition, "FINAL", judgment.charge.id);
		judgment.charge.disposition = "FINAL";
		judgment.charge.dispositionAt = at;
		await tx.flush();
		return judgment;
	});
}

/**
 * Makes a charge's judgment final at every level it reached (first instance, appeal, supreme) and the charge FINAL.
 * Refused while an objection against any of them is undecided. A charge already FINAL is left as it is.
 */
export async function finaliseCharge(em: EntityManager, chargeId: string, at: Date = new Date()): Promise<Judgment[]> {
	return em.transactional(async (tx) => {
		const charge = await tx.findOne(ChargeSchema, chargeId, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
		if (!charge) throw new DomainError("NOT_FOUND", `Charge ${chargeId} does not exist`);
		const judgments = await tx.find(JudgmentSchema, { charge }, { orderBy: { pronouncedAt: "asc" } });
		if (charge.disposition === "FINAL") return judgments;
		if (judgments.length === 0)
			throw new DomainError("INVALID_STATE", `Charge ${chargeId} has no judgment; nothing can become final`);
		const pending = await tx.count(AppealSchema, { judgment: { $in: judgments }, status: "FILED" });
		if (pending > 0)
			throw new DomainError("INVALID_STATE", `Charge ${chargeId} has an undecided objection; record the decision first`);
		for (const judgment of judgments) judgment.final = true;
		assertTransition(CHARGE_MACHINE, charge.disposition, "FINAL", charge.id);
		charge.disposition = "FINAL";
		charge.dispositionAt = at;
		await tx.flush();
		return judgments;
	});
}

async function loadJudgment(em: EntityManager, judgmentId: string): Promise<Judgment> {
	const judgment = await em.findOne(JudgmentSchema, judgmentId, { populate: ["charge.caseOffence"] });
	if (!judgment) throw new DomainError("NOT_FOUND", `Judgment ${judgmentId} does not exist`);
	return judgment;
}
