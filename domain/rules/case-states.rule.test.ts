import { describe, expect, it } from "vitest";
import { CASE_MACHINE, CHARGE_MACHINE, CUSTODY_MACHINE, EVIDENCE_MACHINE, REPORT_MACHINE } from "./case-states.rule";
import {
	assertTransition,
	canTransition,
	finalStates,
	IllegalTransitionError,
	type StateMachine,
} from "./state-machine.rule";

const MACHINES: StateMachine<string>[] = [
	REPORT_MACHINE,
	CASE_MACHINE,
	CHARGE_MACHINE,
	CUSTODY_MACHINE,
	EVIDENCE_MACHINE,
];

describe("state machines (domain.md §2.5)", () => {
	it.each(MACHINES.map((m) => [m.name, m] as const))(
		"%s: every state has both labels and only known targets",
		(_name, machine) => {
			for (const [state, targets] of Object.entries(machine.transitions)) {
				expect(machine.labels[state]?.ar, state).toMatch(/[\u0600-\u06FF]/);
				expect(machine.labels[state]?.en, state).toMatch(/[A-Za-z]/);
				for (const target of targets) expect(machine.labels[target], `${state} → ${target}`).toBeDefined();
			}
			expect(Object.keys(machine.labels).sort()).toEqual(Object.keys(machine.transitions).sort());
		},
	);

	it.each(MACHINES.map((m) => [m.name, m] as const))(
		"%s: every state is reachable from the initial state",
		(_name, machine) => {
			const seen = new Set([machine.initial]);
			const queue = [machine.initial];
			while (queue.length > 0) {
				for (const next of machine.transitions[queue.shift()!]) {
					if (!seen.has(next)) {
						seen.add(next);
						queue.push(next);
					}
				}
			}
			expect([...seen].sort()).toEqual(Object.keys(machine.labels).sort());
		},
	);

	it("should walk the C3 case path from OPEN to CLOSED", () => {
		const path = [
			"OPEN",
			"UNDER_INQUIRY",
			"REFERRED_TO_PP",
			"INDICTED",
			"IN_TRIAL",
			"JUDGMENT_ISSUED",
			"UNDER_APPEAL",
			"FINAL_JUDGMENT",
			"IN_EXECUTION",
			"CLOSED",
		] as const;
		for (let i = 1; i < path.length; i++) expect(canTransition(CASE_MACHINE, path[i - 1]!, path[i]!)).toBe(true);
		expect(finalStates(CASE_MACHINE)).toEqual(["CLOSED"]);
	});

	it("should reject skipping the PP and name the allowed next states", () => {
		expect(() => assertTransition(CASE_MACHINE, "UNDER_INQUIRY", "INDICTED", "RUH-OLY-1447-000153-9")).toThrow(
			"Cannot move case 'RUH-OLY-1447-000153-9' from UNDER_INQUIRY to INDICTED: from UNDER_INQUIRY it may only go to SUSPENDED_UNKNOWN_OFFENDER, REFERRED_TO_PP, CLOSED",
		);
	});

	it("should reject leaving a final state and an unknown target", () => {
		const error = (() => {
			try {
				assertTransition(CUSTODY_MACHINE, "RELEASED", "DETAINED");
			} catch (caught) {
				return caught;
			}
		})();
		expect(error).toBeInstanceOf(IllegalTransitionError);
		expect((error as Error).message).toMatch(/RELEASED is a final state/);
		expect(() => assertTransition(REPORT_MACHINE, "DRAFT", "BOGUS" as never)).toThrow(IllegalTransitionError);
	});

	it("should keep evidence in the room ⇄ checked-out loop and allow an integrity alert from custody states", () => {
		expect(canTransition(EVIDENCE_MACHINE, "IN_EVIDENCE_ROOM", "CHECKED_OUT")).toBe(true);
		expect(canTransition(EVIDENCE_MACHINE, "CHECKED_OUT", "IN_EVIDENCE_ROOM")).toBe(true);
		expect(canTransition(EVIDENCE_MACHINE, "CHECKED_OUT", "DESTROYED")).toBe(false);
		expect(canTransition(EVIDENCE_MACHINE, "SEALED", "INTEGRITY_ALERT")).toBe(true);
		expect(canTransition(CHARGE_MACHINE, "PENDING", "CONVICTED")).toBe(false);
	});
});
