import { addDaysInRiyadh, computeCustodyDeadlines, elapsedDays, legalClockRules } from "../../domain";
import { complete, type JobModule } from "../runtime/job-module";
import { optionalString, requireHeader, requireInstant, riyadhIso } from "./job-variables";

/** Hearing the arrestee's statement is due this long after arrest (policy, domain.md §4 P3). */
const HEARING_DUE_HOURS = 2;

/**
 * `custody.compute-deadlines`: the custody clocks of domain.md §1.3 from the legal-clock table of the
 * governing law (`governingLaw`, default LCP-1435), as ISO-8601 instants with offset that the BPMN timers
 * of custody-clock read (`timeDate = deadline24h` …). Hour limits are exact elapsed time; day limits are
 * calendar days in Riyadh. Pure: nothing is written, so a redelivery computes the same values.
 * - POLICE_HOLD: deadline24h, warning12hAt, warning20hAt, hearingDueAt
 * - DETENTION: detentionExpiresAt (the order's expiry, capped at arrest + 5 days), extensionWarningAt, cumulativeDaysFromArrest
 * - EXTENSION_CHECK: cumulativeDaysFromArrest, requestedPeriodDays, governingLaw (inputs of the DMN)
 * - EXTENSION_APPLY: detentionExpiresAt = newExpiry, extensionWarningAt
 */
export const custodyComputeDeadlinesWorker: JobModule = {
	type: "custody.compute-deadlines",
	description: "Computes the custody clocks (24 h hold, warnings, detention expiry) from the legal-clock table",
	async handle(job, { services }) {
		const phase = requireHeader(job, "phase", ["POLICE_HOLD", "DETENTION", "EXTENSION_CHECK", "EXTENSION_APPLY"] as const);
		const governingLaw = optionalString(job, "governingLaw") ?? "LCP-1435";
		const rules = legalClockRules(governingLaw, services.clocks);
		const arrestedAt = requireInstant(job, "arrestedAt");
		const deadlines = computeCustodyDeadlines(rules, arrestedAt);
		const warningBefore = (expiry: Date) => riyadhIso(addDaysInRiyadh(expiry, -rules.detentionWarningDaysBefore));
		switch (phase) {
			case "POLICE_HOLD": {
				const [first, second] = deadlines.policeHoldWarnings;
				return complete({
					deadline24h: riyadhIso(deadlines.policeHoldDeadline),
					warning12hAt: riyadhIso(first ?? deadlines.policeHoldDeadline),
					warning20hAt: riyadhIso(second ?? first ?? deadlines.policeHoldDeadline),
					hearingDueAt: riyadhIso(new Date(arrestedAt.getTime() + HEARING_DUE_HOURS * 3_600_000)),
					governingLaw,
				});
			}
			case "DETENTION": {
				const ordered = requireInstant(job, "detentionExpiresAt");
				// The initial order cannot run past arrest + 5 days, whatever date it carries (Art. 113).
				const expiresAt = new Date(Math.min(ordered.getTime(), deadlines.detentionExpiresAt.getTime()));
				return complete({
					detentionExpiresAt: riyadhIso(expiresAt),
					extensionWarningAt: warningBefore(expiresAt),
					cumulativeDaysFromArrest: elapsedDays(arrestedAt, expiresAt),
				});
			}
			case "EXTENSION_CHECK": {
				const newExpiry = requireInstant(job, "newExpiry");
				const currentExpiry = requireInstant(job, "detentionExpiresAt");
				return complete({
					cumulativeDaysFromArrest: elapsedDays(arrestedAt, newExpiry),
					requestedPeriodDays: elapsedDays(currentExpiry, newExpiry),
					governingLaw,
				});
			}
			case "EXTENSION_APPLY": {
				const newExpiry = requireInstant(job, "newExpiry");
				return complete({ detentionExpiresAt: riyadhIso(newExpiry), extensionWarningAt: warningBefore(newExpiry) });
			}
		}
	},
};
