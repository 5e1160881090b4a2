import { LockMode } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import {
	type CaseLocation,
	type CaseOffence,
	CaseOffenceSchema,
	type CaseParty,
	CasePartySchema,
	type CaseRecord,
	CaseRecordSchema,
	type Charge,
	ChargeSchema,
	type Classification,
	type ExternalRef,
	ExternalRefSchema,
	OffenceSchema,
	type PartyRole,
	type Person,
	PersonSchema,
	type Report,
	ReportSchema,
	UnitSchema,
} from "../entities";
import type { EXTERNAL_REF_KINDS, REPORT_CHANNELS, REPORT_KINDS } from "../entities";
import { DomainError } from "../errors";
import { formatCaseNumber, formatReportNumber, parseUnitCode } from "../rules/case-number.rule";
import {
	CASE_MACHINE,
	type CaseStatus,
	CHARGE_MACHINE,
	type ChargeDisposition,
	type DismissalReason,
	REPORT_MACHINE,
	type ReportStatus,
} from "../rules/case-states.rule";
import { ageOn, hijriYearOf, parseIsoDay } from "../rules/hijri.rule";
import { assertTransition } from "../rules/state-machine.rule";
import { createOnce, findByIdempotencyKey } from "./idempotency";
import { allocateSequence } from "./sequence.service";

/** Input of {@link registerCase}. */
export interface RegisterCaseInput {
	/** Issuing unit, e.g. `RUH-OLY`. */
	unitCode: string;
	/** When the case is opened; its Hijri year (Riyadh) picks the sequence. */
	openedAt: Date;
	classification?: Classification;
	reportId?: string;
	titleAr?: string;
	titleEn?: string;
	location?: CaseLocation;
	synthetic?: boolean;
	/** The job key (or another stable key): a redelivery returns the case registered the first time. */
	idempotencyKey?: string;
}

/**
 * Registers a case and gives it the next number of its unit and Hijri year, `RUH-OLY-1447-000153-9`
 * (domain.md §2.6). Number allocation and insert are one transaction, so a failed registration leaves
 * no gap and concurrent registrations never share a number.
 */
export async function registerCase(em: EntityManager, input: RegisterCaseInput): Promise<CaseRecord> {
	const { region, unit: unitPart } = parseUnitCode(input.unitCode);
	const previous = await findByIdempotencyKey(em, CaseRecordSchema, input.idempotencyKey);
	if (previous) return previous;
	return createOnce(em, CaseRecordSchema, input.idempotencyKey, () =>
		em.transactional(async (tx) => {
			const unit = await tx.findOne(UnitSchema, { code: input.unitCode });
			if (!unit)
				throw new DomainError("NOT_FOUND", `Unit '${input.unitCode}' is not registered; seed or create the unit first`);
			if (!unit.active)
				throw new DomainError("INVALID_STATE", `Unit '${input.unitCode}' is inactive and cannot issue case numbers`);
			const report = input.reportId ? await tx.findOne(ReportSchema, input.reportId) : null;
			if (input.reportId && !report) throw new DomainError("NOT_FOUND", `Report ${input.reportId} does not exist`);
			const hijriYear = hijriYearOf(input.openedAt);
			const sequence = await allocateSequence(tx, input.unitCode, hijriYear);
			const caseRecord = tx.create(CaseRecordSchema, {
				caseNumber: formatCaseNumber({ region, unit: unitPart, hijriYear, sequence }),
				unit,
				hijriYear,
				sequence,
				report,
				openedAt: input.openedAt,
				classification: input.classification ?? "RESTRICTED",
				titleAr: input.titleAr ?? null,
				titleEn: input.titleEn ?? null,
				location: input.location ?? null,
				synthetic: input.synthetic ?? false,
				status: "OPEN",
				evidenceCount: 0,
				custodyCount: 0,
				idempotencyKey: input.idempotencyKey ?? null,
			});
			await tx.flush();
			return caseRecord;
		}),
	);
}

/** The case with this number, or a NOT_FOUND DomainError. */
export async function getCaseByNumber(em: EntityManager, caseNumber: string): Promise<CaseRecord> {
	const caseRecord = await em.findOne(CaseRecordSchema, { caseNumber });
	if (!caseRecord)
		throw new DomainError("NOT_FOUND", `Case ${caseNumber} does not exist; check the number and its check digit`);
	return caseRecord;
}

/** Options of a case transition that some targets need. */
export interface CaseTransitionOptions {
	/** Required for DISMISSED_BY_PP. */
	dismissalReason?: DismissalReason;
	/** A final dismissal cannot be reopened. @default false */
	dismissalFinal?: boolean;
	at?: Date;
}

/**
 * Moves a case along its state machine (domain.md §2.5); illegal moves throw IllegalTransitionError.
 * A dismissal needs a reason, and only a temporary dismissal may be reopened.
 */
export async function transitionCase(
	em: EntityManager,
	caseId: string,
	to: CaseStatus,
	options: CaseTransitionOptions = {},
): Promise<CaseRecord> {
	return em.transactional(async (tx) => {
		const caseRecord = await lockCase(tx, caseId);
		assertTransition(CASE_MACHINE, caseRecord.status, to, caseRecord.caseNumber);
		if (to === "DISMISSED_BY_PP") {
			if (!options.dismissalReason) {
				throw new DomainError("INVALID_ARGUMENT", `Dismissing case ${caseRecord.caseNumber} needs a dismissal reason`);
			}
			caseRecord.dismissalReason = options.dismissalReason;
			caseRecord.dismissalFinal = options.dismissalFinal ?? false;
		}
		if (caseRecord.status === "DISMISSED_BY_PP" && to === "UNDER_INQUIRY") {
			if (caseRecord.dismissalFinal) {
				throw new DomainError(
					"INVALID_STATE",
					`Case ${caseRecord.caseNumber} was dismissed finally and cannot be reopened; only a temporary dismissal reopens on new evidence`,
				);
			}
			caseRecord.dismissalReason = null;
			caseRecord.dismissalFinal = null;
		}
		caseRecord.status = to;
		if (to === "CLOSED") caseRecord.closedAt = options.at ?? new Date();
		await tx.flush();
		return caseRecord;
	});
}

/** Input of {@link addParty}. */
export interface AddPartyInput {
	caseId: string;
	personId: string;
	role: PartyRole;
	/** Age when the offence happened; computed from the person's date of birth when omitted. */
	ageAtOffence?: number;
	/** When the offence happened, for the computed age. @default the case's openedAt */
	offenceAt?: Date;
	/** Juvenile flag; defaults to age under 18 (domain.md §1.5). */
	isJuvenile?: boolean;
	guardianPartyId?: string;
	notes?: string;
}

/** Adds a person to a case in a role; adding the same person in the same role again returns the existing party. */
export async function addParty(em: EntityManager, input: AddPartyInput): Promise<CaseParty> {
	return em.transactional(async (tx) => {
		const caseRecord = await tx.findOne(CaseRecordSchema, input.caseId);
		if (!caseRecord) throw new DomainError("NOT_FOUND", `Case ${input.caseId} does not exist`);
		const person = await tx.findOne(PersonSchema, input.personId);
		if (!person)
			throw new DomainError("NOT_FOUND", `Person ${input.personId} does not exist; look them up or create them first`);
		const existing = await tx.findOne(CasePartySchema, { caseRecord, person, role: input.role });
		if (existing) return existing;
		const guardian = input.guardianPartyId ? await tx.findOne(CasePartySchema, input.guardianPartyId) : null;
		if (input.guardianPartyId && guardian?.role !== "GUARDIAN") {
			throw new DomainError(
				"INVALID_ARGUMENT",
				`Party ${input.guardianPartyId} is not a GUARDIAN of case ${caseRecord.caseNumber}`,
			);
		}
		const age = input.ageAtOffence ?? ageOfPerson(person, input.offenceAt ?? caseRecord.openedAt);
		const party = tx.create(CasePartySchema, {
			caseRecord,
			person,
			role: input.role,
			ageAtOffence: age,
			isJuvenile: input.isJuvenile ?? (age !== null && age < JUVENILE_AGE_LIMIT),
			guardian,
			notes: input.notes ?? null,
		});
		// Juvenile data is confidential (domain.md §1.5): the case is at least SECRET.
		if (party.isJuvenile && (caseRecord.classification === "PUBLIC" || caseRecord.classification === "RESTRICTED")) {
			caseRecord.classification = "SECRET";
		}
		await tx.flush();
		return party;
	});
}

/** Under this age a party is a juvenile (Juveniles Law 1439H: under 18). */
export const JUVENILE_AGE_LIMIT = 18;

/** Age of a person on a day from the recorded date of birth, or null when it is unknown or unreadable. */
function ageOfPerson(person: Person, at: Date): number | null {
	if (!person.dateOfBirth || !person.dobCalendar) return null;
	try {
		return ageOn(parseIsoDay(person.dateOfBirth), person.dobCalendar, at);
	} catch {
		return null;
	}
}

/** Records an offence of the catalogue on a case (idempotent per case and offence code). */
export async function addOffence(em: EntityManager, caseId: string, offenceCode: string): Promise<CaseOffence> {
	return em.transactional(async (tx) => {
		const caseRecord = await tx.findOne(CaseRecordSchema, caseId);
		if (!caseRecord) throw new DomainError("NOT_FOUND", `Case ${caseId} does not exist`);
		const offence = await tx.findOne(OffenceSchema, { code: offenceCode });
		if (!offence) throw new DomainError("NOT_FOUND", `Offence code '${offenceCode}' is not in the catalogue`);
		const existing = await tx.findOne(CaseOffenceSchema, { caseRecord, offence });
		if (existing) return existing;
		const caseOffence = tx.create(CaseOffenceSchema, {
			caseRecord,
			offence,
			governingLaw: offence.governingLaw,
			majorCrime: offence.majorCrime ?? null,
		});
		await tx.flush();
		return caseOffence;
	});
}

/**
 * Charges an accused (or suspect) party with an offence of the same case; outcomes are then tracked per
 * charge. Idempotent per party and offence.
 */
export async function addCharge(em: EntityManager, partyId: string, caseOffenceId: string): Promise<Charge> {
	return em.transactional(async (tx) => {
		const party = await tx.findOne(CasePartySchema, partyId);
		const caseOffence = await tx.findOne(CaseOffenceSchema, caseOffenceId);
		if (!party || !caseOffence)
			throw new DomainError("NOT_FOUND", `Party ${partyId} or case offence ${caseOffenceId} does not exist`);
		if (party.role !== "ACCUSED" && party.role !== "SUSPECT") {
			throw new DomainError(
				"INVALID_ARGUMENT",
				`Only a SUSPECT or ACCUSED party can be charged; party ${partyId} is ${party.role}`,
			);
		}
		if (party.caseRecord.id !== caseOffence.caseRecord.id) {
			throw new DomainError("INVALID_ARGUMENT", "The party and the offence belong to different cases");
		}
		const existing = await tx.findOne(ChargeSchema, { party, caseOffence });
		if (existing) return existing;
		const charge = tx.create(ChargeSchema, { party, caseOffence });
		await tx.flush();
		return charge;
	});
}

/** Moves one charge's disposition along its machine (PP decision, judgment, finality). */
export async function transitionCharge(
	em: EntityManager,
	chargeId: string,
	to: ChargeDisposition,
	options: { at?: Date; dismissalReason?: DismissalReason } = {},
): Promise<Charge> {
	return em.transactional(async (tx) => {
		const charge = await tx.findOne(ChargeSchema, chargeId, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
		if (!charge) throw new DomainError("NOT_FOUND", `Charge ${chargeId} does not exist`);
		assertTransition(CHARGE_MACHINE, charge.disposition, to, chargeId);
		if (to === "DISMISSED") {
			if (!options.dismissalReason)
				throw new DomainError("INVALID_ARGUMENT", `Dismissing charge ${chargeId} needs a reason`);
			charge.dismissalReason = options.dismissalReason;
		}
		charge.disposition = to;
		charge.dispositionAt = options.at ?? new Date();
		await tx.flush();
		return charge;
	});
}

/** Charge dispositions from which the PP's decision (indictment or dismissal) may still move a charge. */
const BEFORE_PP_DECISION: readonly ChargeDisposition[] = ["PENDING", "DETAINED", "RELEASED"];

/**
 * The PP's decision on a whole case, charge by charge: every suspect or accused is charged with every
 * offence of the case (if not already) and each charge still waiting for the decision moves to INDICTED
 * or DISMISSED. Charges already decided keep their disposition, so a redelivery changes nothing.
 * Returns the case's charges after the move. A dismissal of a case without a known suspect has no charge
 * to move; an indictment needs at least one suspect or accused and one offence.
 */
export async function applyProsecutionDecision(
	em: EntityManager,
	caseId: string,
	decision: { to: "INDICTED" } | { to: "DISMISSED"; dismissalReason: DismissalReason },
	at: Date = new Date(),
): Promise<Charge[]> {
	return em.transactional(async (tx) => {
		const caseRecord = await tx.findOne(CaseRecordSchema, caseId);
		if (!caseRecord) throw new DomainError("NOT_FOUND", `Case ${caseId} does not exist`);
		const parties = await tx.find(CasePartySchema, { caseRecord, role: { $in: ["SUSPECT", "ACCUSED"] } });
		const offences = await tx.find(CaseOffenceSchema, { caseRecord });
		if (parties.length === 0 || offences.length === 0) {
			if (decision.to === "DISMISSED") return [];
			throw new DomainError(
				"INVALID_STATE",
				`Case ${caseRecord.caseNumber} has ${parties.length} suspect(s) or accused and ${offences.length} offence(s); the PP's decision needs at least one of each`,
			);
		}
		const existing = await tx.find(ChargeSchema, { party: { caseRecord } }, { lockMode: LockMode.PESSIMISTIC_WRITE });
		const charges: Charge[] = [];
		for (const party of parties) {
			for (const caseOffence of offences) {
				const charge =
					existing.find((c) => c.party.id === party.id && c.caseOffence.id === caseOffence.id) ??
					tx.create(ChargeSchema, { party, caseOffence });
				if (BEFORE_PP_DECISION.includes(charge.disposition ?? "PENDING")) {
					assertTransition(CHARGE_MACHINE, charge.disposition ?? "PENDING", decision.to, charge.id ?? "new charge");
					charge.disposition = decision.to;
					charge.dispositionAt = at;
					if (decision.to === "DISMISSED") charge.dismissalReason = decision.dismissalReason;
				}
				charges.push(charge);
			}
		}
		await tx.flush();
		return charges;
	});
}

/** Records another system's reference for a case; the same kind and value on another case is refused. */
export async function addExternalRef(
	em: EntityManager,
	caseId: string,
	kind: (typeof EXTERNAL_REF_KINDS)[number],
	value: string,
): Promise<ExternalRef> {
	return em.transactional(async (tx) => {
		const existing = await tx.findOne(ExternalRefSchema, { kind, value });
		if (existing) {
			if (existing.caseRecord.id === caseId) return existing;
			throw new DomainError("ALREADY_EXISTS", `${kind} '${value}' is already attached to another case`);
		}
		const caseRecord = await tx.findOne(CaseRecordSchema, caseId);
		if (!caseRecord) throw new DomainError("NOT_FOUND", `Case ${caseId} does not exist`);
		const ref = tx.create(ExternalRefSchema, { caseRecord, kind, value });
		await tx.flush();
		return ref;
	});
}

/** Input of {@link registerReport}. */
export interface RegisterReportInput {
	unitCode: string;
	kind: (typeof REPORT_KINDS)[number];
	channel: (typeof REPORT_CHANNELS)[number];
	receivedAt: Date;
	summary: string;
	reporterPersonId?: string;
	classification?: Classification;
	synthetic?: boolean;
	/** See {@link RegisterCaseInput.idempotencyKey}. */
	idempotencyKey?: string;
}

/** Registers a report as SUBMITTED with a `BLG-` (or `MFQ-` for lost property) number of its Hijri year. */
export async function registerReport(em: EntityManager, input: RegisterReportInput): Promise<Report> {
	const previous = await findByIdempotencyKey(em, ReportSchema, input.idempotencyKey);
	if (previous) return previous;
	return createOnce(em, ReportSchema, input.idempotencyKey, () =>
		em.transactional(async (tx) => {
			const unit = await tx.findOne(UnitSchema, { code: input.unitCode });
			if (!unit) throw new DomainError("NOT_FOUND", `Unit '${input.unitCode}' is not registered`);
			const reporter = input.reporterPersonId ? await tx.findOne(PersonSchema, input.reporterPersonId) : null;
			const series = input.kind === "LOST_PROPERTY" || input.kind === "FOUND_PROPERTY" ? "MFQ" : "BLG";
			const hijriYear = hijriYearOf(input.receivedAt);
			const sequence = await allocateSequence(tx, series, hijriYear);
			const report = tx.create(ReportSchema, {
				reportNumber: formatReportNumber(series, hijriYear, sequence),
				kind: input.kind,
				channel: input.channel,
				status: "SUBMITTED",
				unit,
				reporter,
				receivedAt: input.receivedAt,
				summary: input.summary,
				classification: input.classification ?? "RESTRICTED",
				synthetic: input.synthetic ?? false,
				idempotencyKey: input.idempotencyKey ?? null,
			});
			await tx.flush();
			return report;
		}),
	);
}

/** Moves a report along its machine (triage and outcome). */
export async function transitionReport(em: EntityManager, reportId: string, to: ReportStatus): Promise<Report> {
	return em.transactional(async (tx) => {
		const report = await tx.findOne(ReportSchema, reportId, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
		if (!report) throw new DomainError("NOT_FOUND", `Report ${reportId} does not exist`);
		assertTransition(REPORT_MACHINE, report.status, to, report.reportNumber);
		report.status = to;
		await tx.flush();
		return report;
	});
}

/** Loads a case with a row lock (inside a transaction), for counters and transitions. */
export async function lockCase(em: EntityManager, caseId: string): Promise<CaseRecord> {
	// refresh: a case already in the identity map must be re-read under the lock so counters are current.
	const caseRecord = await em.findOne(CaseRecordSchema, caseId, {
		lockMode: LockMode.PESSIMISTIC_WRITE,
		refresh: true,
	});
	if (!caseRecord) throw new DomainError("NOT_FOUND", `Case ${caseId} does not exist`);
	return caseRecord;
}
