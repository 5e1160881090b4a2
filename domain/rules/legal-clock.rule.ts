import { addDaysInRiyadh } from "./hijri.rule";

/** Governing laws with their own clock tables (domain.md §1.3: "a separate row set per governing law"). */
export type GoverningLaw = "LCP-1435" | "CTL-1439";

/** Who may order or extend detention. */
export type DetentionAuthority = "INVESTIGATOR" | "BRANCH_HEAD" | "ATTORNEY_GENERAL" | "COURT";

/**
 * The statutory clocks of one governing law. Durations live here, not in code or diagrams, so legal
 * staff can correct a value and tests can build compressed variants (domain.md key takeaways).
 */
export interface LegalClockRules {
	governingLaw: GoverningLaw;
	/** Bilingual name of the law, for messages and screens. */
	label: { ar: string; en: string };
	/** What detention periods are counted from. LCP: the arrest; special laws: referral to the PP. */
	detentionAnchor: "ARREST" | "REFERRAL_TO_PP";
	/** Police hold without a written investigator order, in hours (exact elapsed time). */
	policeHoldHours: number;
	/** Warnings before the police-hold limit, in hours after arrest. */
	policeHoldWarningHours: number[];
	/** Initial detention order limit, in days from the anchor. */
	initialDetentionDays: number;
	/** Warn this many days before any detention expiry. */
	detentionWarningDaysBefore: number;
	/** Cumulative limit of extensions the PP branch head may order, days from the anchor. */
	branchCapDays: number;
	/** Longest single extension period a branch head may order (undefined: no per-period limit). */
	branchMaxPeriodDays?: number;
	/** Longest single extension period the Attorney General may order. */
	attorneyGeneralMaxPeriodDays: number;
	/** Cumulative limit of AG extensions, days from the anchor; beyond it only a court order, else release. */
	attorneyGeneralCapDays: number;
	/** Days to object to a judgment, from receipt of the judgment copy. */
	appealWindowDays: number;
	/** Where each value comes from and how sure we are (domain.md confidence tags). */
	sources: string;
}

/**
 * Clock tables keyed by governing law. LCP-1435 is the Law of Criminal Procedure (Royal Decree M/2,
 * 22/1/1435H), Arts 34, 113, 114 and the objection articles; CTL-1439 is the counter-terrorism
 * regime, which domain.md rates (M) and which a legal SME must confirm before it is relied on.
 */
export const LEGAL_CLOCKS: Readonly<Record<GoverningLaw, LegalClockRules>> = Object.freeze({
	"LCP-1435": {
		governingLaw: "LCP-1435",
		label: { ar: "نظام الإجراءات الجزائية 1435هـ", en: "Law of Criminal Procedure 1435H" },
		detentionAnchor: "ARREST",
		policeHoldHours: 24,
		policeHoldWarningHours: [12, 20],
		initialDetentionDays: 5,
		detentionWarningDaysBefore: 1,
		branchCapDays: 40,
		attorneyGeneralMaxPeriodDays: 30,
		attorneyGeneralCapDays: 180,
		appealWindowDays: 30,
		sources: "domain.md §1.3 (H): 24 h hold Art. 34; 5 days Art. 113; 40/30/180 days Art. 114; 30-day objection",
	},
	"CTL-1439": {
		governingLaw: "CTL-1439",
		label: { ar: "نظام مكافحة جرائم الإرهاب وتمويله", en: "Counter-Terrorism Law" },
		detentionAnchor: "REFERRAL_TO_PP",
		policeHoldHours: 24,
		policeHoldWarningHours: [12, 20],
		initialDetentionDays: 30,
		detentionWarningDaysBefore: 3,
		branchCapDays: 180,
		branchMaxPeriodDays: 30,
		attorneyGeneralMaxPeriodDays: 30,
		attorneyGeneralCapDays: 365,
		appealWindowDays: 30,
		sources:
			"domain.md §1.3 special laws (M, [S31] [S32]): periods ≤ 30 d to 180 d (branch), 12 months (AG); SME to confirm",
	},
});

/** The clock table of a law; throws naming the known laws when it is not configured. */
export function legalClockRules(
	law: string,
	table: Readonly<Record<string, LegalClockRules>> = LEGAL_CLOCKS,
): LegalClockRules {
	const rules = table[law];
	if (!rules) {
		throw new Error(`No legal clock table for governing law '${law}'; configured: ${Object.keys(table).join(", ")}`);
	}
	return rules;
}

const HOUR_MS = 3_600_000;

/** The deadlines of a custody episode, computed when it opens. */
export interface CustodyDeadlines {
	/** End of the police hold without a written investigator order (`arrestedAt + 24 h`). */
	policeHoldDeadline: Date;
	/** Non-interrupting warnings before the hold deadline. */
	policeHoldWarnings: Date[];
	/** End of the initial detention period (`anchor + 5 days` under the LCP). */
	detentionExpiresAt: Date;
	/** When to start the "request extension or prepare release" task. */
	detentionWarningAt: Date;
	/** Branch-head cumulative limit. */
	branchCapAt: Date;
	/** Attorney General cumulative limit: after it, court order or release. */
	attorneyGeneralCapAt: Date;
}

/**
 * Computes the clocks of a custody episode (domain.md §1.3). Hour limits are exact elapsed time;
 * day limits add calendar days in Riyadh keeping the time of day. `anchorAt` is the referral to the
 * PP for laws that count from it; it defaults to the arrest.
 */
export function computeCustodyDeadlines(
	rules: LegalClockRules,
	arrestedAt: Date,
	anchorAt: Date = arrestedAt,
): CustodyDeadlines {
	assertInstant(arrestedAt, "arrestedAt");
	const anchor = rules.detentionAnchor === "ARREST" ? arrestedAt : anchorAt;
	const detentionExpiresAt = addDaysInRiyadh(anchor, rules.initialDetentionDays);
	return {
		policeHoldDeadline: new Date(arrestedAt.getTime() + rules.policeHoldHours * HOUR_MS),
		policeHoldWarnings: rules.policeHoldWarningHours.map((hours) => new Date(arrestedAt.getTime() + hours * HOUR_MS)),
		detentionExpiresAt,
		detentionWarningAt: addDaysInRiyadh(detentionExpiresAt, -rules.detentionWarningDaysBefore),
		branchCapAt: addDaysInRiyadh(anchor, rules.branchCapDays),
		attorneyGeneralCapAt: addDaysInRiyadh(anchor, rules.attorneyGeneralCapDays),
	};
}

/** Deadline to object to a judgment: receipt of the judgment copy + 30 days. */
export function appealDeadline(rules: LegalClockRules, judgmentCopyReceivedAt: Date): Date {
	assertInstant(judgmentCopyReceivedAt, "judgmentCopyReceivedAt");
	return addDaysInRiyadh(judgmentCopyReceivedAt, rules.appealWindowDays);
}

/** Whether an objection filed at `filedAt` is within the window (the deadline instant itself counts). */
export function isWithinAppealWindow(rules: LegalClockRules, judgmentCopyReceivedAt: Date, filedAt: Date): boolean {
	return (
		filedAt.getTime() <= appealDeadline(rules, judgmentCopyReceivedAt).getTime() && filedAt >= judgmentCopyReceivedAt
	);
}

/** A requested detention extension. */
export interface ExtensionRequest {
	/** Arrest (or referral, per the law's anchor) the cumulative limits count from. */
	anchorAt: Date;
	/** Expiry of the detention in force now. */
	currentExpiresAt: Date;
	/** Expiry the order would set. */
	newExpiresAt: Date;
	authority: DetentionAuthority;
	/** A court extension must be reasoned (Art. 114: "by reasoned order"). */
	reasoned?: boolean;
}

/** Result of {@link checkExtension}: the problems are data, so a DMN/worker can route on them. */
export interface ExtensionCheck {
	allowed: boolean;
	/** The lowest authority that may order this extension. */
	requiredAuthority: DetentionAuthority;
	/** Days from the anchor to the new expiry (a started day counts). */
	cumulativeDays: number;
	/** Days this order adds. */
	periodDays: number;
	problems: string[];
}

const AUTHORITY_RANK: Record<DetentionAuthority, number> = {
	INVESTIGATOR: 0,
	BRANCH_HEAD: 1,
	ATTORNEY_GENERAL: 2,
	COURT: 3,
};

/**
 * Checks a detention extension against the cumulative limits (domain.md §1.3, Art. 114): up to 40 days
 * from arrest by the branch head; then periods of at most 30 days by the Attorney General up to 180 days;
 * beyond that only a reasoned court order. The investigator orders only the initial detention.
 */
export function checkExtension(rules: LegalClockRules, request: ExtensionRequest): ExtensionCheck {
	const newExpiry = request.newExpiresAt.getTime();
	// Limits are compared as instants (anchor + N calendar days in Riyadh), exactly as the caps stored on
	// the custody episode are computed; the day counts are for people and DMN inputs.
	const branchCap = addDaysInRiyadh(request.anchorAt, rules.branchCapDays).getTime();
	const attorneyGeneralCap = addDaysInRiyadh(request.anchorAt, rules.attorneyGeneralCapDays).getTime();
	const cumulativeDays = elapsedDays(request.anchorAt, request.newExpiresAt);
	const periodDays = elapsedDays(request.currentExpiresAt, request.newExpiresAt);
	const problems: string[] = [];
	const requiredAuthority: DetentionAuthority =
		newExpiry <= branchCap ? "BRANCH_HEAD" : newExpiry <= attorneyGeneralCap ? "ATTORNEY_GENERAL" : "COURT";
	if (newExpiry <= request.currentExpiresAt.getTime()) {
		problems.push(
			`The new expiry must be after the current expiry (${request.currentExpiresAt.toISOString()}); a shorter detention is a release order`,
		);
	}
	if (request.authority === "INVESTIGATOR") {
		problems.push(
			"An investigator orders only the initial detention; extensions need the branch head, the Attorney General or a court",
		);
	} else if (AUTHORITY_RANK[request.authority] < AUTHORITY_RANK[requiredAuthority]) {
		const own = request.authority === "BRANCH_HEAD" ? rules.branchCapDays : rules.attorneyGeneralCapDays;
		problems.push(
			`A total of ${cumulativeDays} days from ${rules.detentionAnchor === "ARREST" ? "arrest" : "referral"} exceeds what the ${authorityName(request.authority)} may order (${own} days); it needs the ${authorityName(requiredAuthority)}`,
		);
	}
	const periodLimit =
		request.authority === "BRANCH_HEAD"
			? rules.branchMaxPeriodDays
			: request.authority === "ATTORNEY_GENERAL"
				? rules.attorneyGeneralMaxPeriodDays
				: undefined;
	if (periodLimit !== undefined && newExpiry > addDaysInRiyadh(request.currentExpiresAt, periodLimit).getTime()) {
		problems.push(
			`${request.authority === "BRANCH_HEAD" ? "A branch-head" : "An Attorney General"} extension period may be at most ${periodLimit} days; ${periodDays} were requested`,
		);
	}
	if (request.authority === "COURT" && !request.reasoned) {
		problems.push("A court extension beyond the statutory cap must be a reasoned order; record the reasons");
	}
	return { allowed: problems.length === 0, requiredAuthority, cumulativeDays, periodDays, problems };
}

/**
 * Days from one instant to another, counting a started day as a day (40 days and 1 minute is day 41).
 * Riyadh has no DST, so a calendar day is always 24 h.
 */
export function elapsedDays(from: Date, to: Date): number {
	return Math.ceil((to.getTime() - from.getTime()) / (24 * HOUR_MS));
}

function authorityName(authority: DetentionAuthority): string {
	return {
		INVESTIGATOR: "investigator",
		BRANCH_HEAD: "PP branch head",
		ATTORNEY_GENERAL: "Attorney General",
		COURT: "court",
	}[authority];
}

function assertInstant(value: Date, name: string): void {
	if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
		throw new Error(`${name} must be a valid instant (Date), got ${String(value)}`);
	}
}

/** ISO-8601 durations of a clock table, for BPMN timer expressions set from process variables. */
export interface ClockDurations {
	policeHold: string;
	policeHoldWarnings: string[];
	initialDetention: string;
	detentionWarningBefore: string;
	branchCap: string;
	attorneyGeneralMaxPeriod: string;
	attorneyGeneralCap: string;
	appealWindow: string;
}

/**
 * The clock table as ISO-8601 durations (`PT24H`, `P5D` …), so a worker can hand them to a process as
 * variables and diagrams carry no literals (domain.md §1.3).
 * @example clockDurations(LEGAL_CLOCKS["LCP-1435"]).policeHold // "PT24H"
 */
export function clockDurations(rules: LegalClockRules): ClockDurations {
	const hours = (n: number) => `PT${n}H`;
	const days = (n: number) => `P${n}D`;
	return {
		policeHold: hours(rules.policeHoldHours),
		policeHoldWarnings: rules.policeHoldWarningHours.map(hours),
		initialDetention: days(rules.initialDetentionDays),
		detentionWarningBefore: days(rules.detentionWarningDaysBefore),
		branchCap: days(rules.branchCapDays),
		attorneyGeneralMaxPeriod: days(rules.attorneyGeneralMaxPeriodDays),
		attorneyGeneralCap: days(rules.attorneyGeneralCapDays),
		appealWindow: days(rules.appealWindowDays),
	};
}
