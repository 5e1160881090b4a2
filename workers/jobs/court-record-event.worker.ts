import type { EntityManager } from "@mikro-orm/postgresql";
import {
	type Appeal,
	AppealSchema,
	APPELLANTS,
	APPEAL_STATUSES,
	type Charge,
	ChargeSchema,
	DomainError,
	decideAppeal,
	finaliseCharge,
	JUDGMENT_OUTCOMES,
	type Judgment,
	JudgmentSchema,
	recordAppeal,
	recordHearing,
	recordJudgment,
	recordJudgmentCopyReceived,
	type Sentence,
} from "../../domain";
import { complete, type JobInput, type JobModule } from "../runtime/job-module";
import {
	findCaseRef,
	optionalChoice,
	optionalInstant,
	optionalString,
	requireChoice,
	requireHeader,
	requireInstant,
	requireString,
	riyadhIso,
} from "./job-variables";

/** The court events of trial-tracking (the `courtEvent` header), each written into the case file. */
export const COURT_EVENTS = ["HEARING", "JUDGMENT", "COPY_RECEIVED", "OBJECTION", "APPEAL_DECIDED", "FINAL"] as const;
export type CourtEvent = (typeof COURT_EVENTS)[number];

/** Sentences reviewed by the higher courts even when nobody objects (the `appeal-path` DMN's list). */
const GRAVE_PENALTIES = ["DEATH", "STONING", "AMPUTATION", "QISAS"];
/** How the appeal court may decide an objection (the `appealOutcome` of `AppealDecided`). */
const APPEAL_DECISIONS = APPEAL_STATUSES.filter((status) => status !== "FILED");
const DEFAULT_COURT = "المحكمة الجزائية";

type Outcome = (typeof JUDGMENT_OUTCOMES)[number];

/**
 * `court.record-event`: writes what the court (Najiz) reported into the case file, so the file holds the
 * judgments per accused per charge and their objections, not only the process variables. The `courtEvent`
 * header says which event; each reads the variables its message (or form) brings:
 * - HEARING: `hearingAt`, optional `courtName` → a hearing of the case
 * - JUDGMENT: `verdict`, `sentenceTypes`, optional `prisonDays`, `fineSar`, `accusedPersonId` (else every
 *   accused), `chargeVerdicts` (per offence code, when the court judged the charges differently),
 *   `judgmentPronouncedAt` (else now), `judgmentDeedNumber` → a FIRST_INSTANCE judgment on each indicted charge
 *   of the accused; grave penalties flag mandatory review
 * - COPY_RECEIVED: `judgmentCopyReceivedAt`, optional `judgmentDeedNumber` → the copy's receipt, which starts
 *   the 30-day objection window on each first-instance judgment
 * - OBJECTION: optional `appellant` (default ACCUSED; MANDATORY_REVIEW when `appealPath.mandatoryReview`),
 *   `objectionFiledAt` (else now) → an objection against each judgment not yet final; a late one is refused
 * - APPEAL_DECIDED: `appealOutcome` (default UPHELD), optional `verdict` (the outcome on appeal),
 *   `appealDecidedAt`, `appealDeedNumber` → the decision on each pending objection, moving the charges to the new
 *   outcome, and (upheld, overturned, amended) the appeal court's APPEAL-level judgment on each charge
 * - FINAL: optional `judgmentFinalAt` → every judgment of each judged charge final and the charge FINAL
 * Idempotent: records are keyed by the job key or by charge and level, and an event already applied is
 * left as it is, so a redelivery writes nothing twice.
 */
export const courtRecordEventWorker: JobModule = {
	type: "court.record-event",
	description:
		"Writes a court event (hearing, judgment, copy, objection, appeal decision, finality) into the case file",
	async handle(job, { em, services }) {
		const event = requireHeader(job, "courtEvent", COURT_EVENTS);
		const ref = await findCaseRef(em, requireString(job, "caseNumber"));
		if (!ref.caseRecord)
			throw new DomainError("INVALID_ARGUMENT", `${ref.number} is a report, not a case; only cases go to court`);
		const caseId = ref.caseRecord.id;
		const now = services.now();
		switch (event) {
			case "HEARING": {
				const scheduledAt = requireInstant(job, "hearingAt");
				await recordHearing(em, {
					caseId,
					court: optionalString(job, "courtName") ?? DEFAULT_COURT,
					scheduledAt,
					courtCaseNumber: optionalString(job, "courtCaseNumber"),
					idempotencyKey: job.key,
				});
				return complete({});
			}
			case "JUDGMENT": {
				const general = requireChoice(job, "verdict", JUDGMENT_OUTCOMES);
				const pronouncedAt = optionalInstant(job, "judgmentPronouncedAt") ?? now;
				const charges = await chargesOf(em, caseId, optionalString(job, "accusedPersonId"));
				const perCharge = chargeVerdictsOf(job, charges);
				const verdictOf = (charge: Charge) =>
					perCharge.get(charge.caseOffence.offence.code) ?? { verdict: general, job };
				const judged = charges.filter(
					(charge) => charge.disposition === "INDICTED" || charge.disposition === verdictOf(charge).verdict,
				);
				if (judged.length === 0) {
					throw new DomainError(
						"INVALID_STATE",
						`Case ${ref.number} has no indicted charge${job.variables.accusedPersonId ? ` of person ${String(job.variables.accusedPersonId)}` : ""} to judge (charges: ${describeCharges(charges)}); the PP's indictment must come first`,
					);
				}
				for (const charge of judged) {
					const { verdict, job: source } = verdictOf(charge);
					await recordJudgment(em, {
						chargeId: charge.id,
						level: "FIRST_INSTANCE",
						outcome: verdict,
						sentence: verdict === "CONVICTED" ? sentenceOf(source) : undefined,
						pronouncedAt,
						deedNumber: optionalString(job, "judgmentDeedNumber"),
					});
				}
				return complete({ judgmentPronouncedAt: riyadhIso(pronouncedAt) });
			}
			case "COPY_RECEIVED": {
				const receivedAt = requireInstant(job, "judgmentCopyReceivedAt");
				const deedNumber = optionalString(job, "judgmentDeedNumber");
				for (const judgment of await judgmentsOf(em, caseId)) {
					if (judgment.level !== "FIRST_INSTANCE" || judgment.final) continue;
					await recordJudgmentCopyReceived(em, judgment.id, receivedAt, services.clocks, deedNumber);
				}
				return complete({});
			}
			case "OBJECTION": {
				const mandatory =
					(job.variables.appealPath as { mandatoryReview?: unknown } | undefined)?.mandatoryReview === true;
				const appellant = mandatory ? "MANDATORY_REVIEW" : (optionalChoice(job, "appellant", APPELLANTS) ?? "ACCUSED");
				const filedAt = optionalInstant(job, "objectionFiledAt") ?? now;
				const open = (await judgmentsOf(em, caseId)).filter((judgment) => !judgment.final);
				if (open.length === 0)
					throw new DomainError("INVALID_STATE", `Case ${ref.number} has no judgment open to objection`);
				for (const judgment of open) {
					await recordAppeal(
						em,
						{
							judgmentId: judgment.id,
							appellant,
							kind: "APPEAL",
							filedAt,
							idempotencyKey: `${job.key}:${judgment.id}`,
						},
						services.clocks,
					);
				}
				return complete({ objectionFiledAt: riyadhIso(filedAt) });
			}
			case "APPEAL_DECIDED": {
				const status = optionalChoice(job, "appealOutcome", APPEAL_DECISIONS) ?? "UPHELD";
				const newOutcome = optionalChoice(job, "verdict", JUDGMENT_OUTCOMES);
				const decidedAt = optionalInstant(job, "appealDecidedAt") ?? now;
				for (const appeal of await pendingAppealsOf(em, caseId)) {
					const decided = await decideAppeal(em, appeal.id, { status, decidedAt, newOutcome });
					// The appeal court's own judgment on the charge, with the outcome the charge now has (REMANDED and
					// WITHDRAWN leave the first-instance judgment standing).
					if (status === "UPHELD" || status === "OVERTURNED" || status === "AMENDED") {
						const charge = decided.judgment.charge;
						const outcome = charge.disposition as Outcome;
						await recordJudgment(em, {
							chargeId: charge.id,
							level: "APPEAL",
							outcome: JUDGMENT_OUTCOMES.includes(outcome) ? outcome : decided.judgment.outcome,
							sentence: status === "UPHELD" ? (decided.judgment.sentence ?? undefined) : undefined,
							pronouncedAt: decidedAt,
							deedNumber: optionalString(job, "appealDeedNumber"),
						});
					}
				}
				return complete({});
			}
			case "FINAL": {
				const at = optionalInstant(job, "judgmentFinalAt") ?? now;
				const charges = new Set((await judgmentsOf(em, caseId)).map((judgment) => judgment.charge.id));
				for (const chargeId of charges) await finaliseCharge(em, chargeId, at);
				return complete({});
			}
		}
	},
};

/** The case's charges, of one accused (person id) when given. */
async function chargesOf(em: EntityManager, caseId: string, personId: string | undefined): Promise<Charge[]> {
	const where = personId
		? { party: { caseRecord: caseId, person: personId } }
		: { party: { caseRecord: caseId, role: { $in: ["SUSPECT", "ACCUSED"] } } };
	return em.find(ChargeSchema, where as never, { populate: ["caseOffence.offence"], orderBy: { createdAt: "asc" } });
}

/** The case's judgments, oldest first. */
async function judgmentsOf(em: EntityManager, caseId: string): Promise<Judgment[]> {
	return em.find(
		JudgmentSchema,
		{ charge: { party: { caseRecord: caseId } } },
		{ populate: ["charge.caseOffence"], orderBy: { pronouncedAt: "asc", createdAt: "asc" } },
	);
}

/** Objections of the case still waiting for the appeal court. */
async function pendingAppealsOf(em: EntityManager, caseId: string): Promise<Appeal[]> {
	return em.find(AppealSchema, { judgment: { charge: { party: { caseRecord: caseId } } }, status: "FILED" });
}

/**
 * Verdicts per offence (`chargeVerdicts: [{offenceCode, verdict, sentenceTypes?, prisonDays?, fineSar?}]`) when the
 * court judged the accused's charges differently; charges not listed take the general `verdict`. Each entry is
 * returned with a job view whose variables are the entry's, so the sentence is read from it.
 */
function chargeVerdictsOf(
	job: JobInput,
	charges: Charge[],
): Map<string, { verdict: (typeof JUDGMENT_OUTCOMES)[number]; job: JobInput }> {
	const listed = job.variables.chargeVerdicts;
	const verdicts = new Map<string, { verdict: (typeof JUDGMENT_OUTCOMES)[number]; job: JobInput }>();
	if (listed === undefined || listed === null) return verdicts;
	if (!Array.isArray(listed)) {
		throw new DomainError(
			"INVALID_ARGUMENT",
			`Job ${job.type} at '${job.elementId}': 'chargeVerdicts' must be a list of {offenceCode, verdict}`,
		);
	}
	const codes = new Set(charges.map((charge) => charge.caseOffence.offence.code));
	for (const [index, entry] of listed.entries()) {
		const item = (entry ?? {}) as Record<string, unknown>;
		const view: JobInput = { ...job, variables: item };
		const code = typeof item.offenceCode === "string" ? item.offenceCode : "";
		if (!codes.has(code)) {
			throw new DomainError(
				"INVALID_ARGUMENT",
				`Job ${job.type} at '${job.elementId}': chargeVerdicts[${index}] names offence '${code}', which is not charged here (charged: ${[...codes].join(", ") || "none"})`,
			);
		}
		verdicts.set(code, { verdict: requireChoice(view, "verdict", JUDGMENT_OUTCOMES), job: view });
	}
	return verdicts;
}

/** The sentence of a conviction from the judgment's variables. */
function sentenceOf(job: JobInput): Sentence {
	const types = Array.isArray(job.variables.sentenceTypes)
		? job.variables.sentenceTypes.filter((type): type is string => typeof type === "string")
		: [];
	const sentence: Sentence = {};
	const prisonDays = job.variables.prisonDays;
	const fineSar = job.variables.fineSar;
	if (typeof prisonDays === "number" && prisonDays > 0) sentence.prisonDays = prisonDays;
	if (typeof fineSar === "number" && fineSar > 0) sentence.fineSar = fineSar;
	if (types.includes("DEPORTATION")) sentence.deportation = true;
	if (types.some((type) => GRAVE_PENALTIES.includes(type))) sentence.gravePenalty = true;
	const other = types.filter((type) => type !== "DEPORTATION");
	if (other.length > 0) sentence.other = other.join(", ");
	return sentence;
}

function describeCharges(charges: Charge[]): string {
	return charges.length === 0 ? "none" : charges.map((charge) => charge.disposition).join(", ");
}
