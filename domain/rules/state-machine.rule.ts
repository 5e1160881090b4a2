import { DomainError } from "../errors";

/** Arabic and English label of a state. */
export interface BilingualLabel {
	ar: string;
	en: string;
}

/** A state machine as data: labels per state and the allowed next states of each. */
export interface StateMachine<S extends string> {
	/** Name used in error messages, e.g. `case`. */
	name: string;
	initial: S;
	labels: Readonly<Record<S, BilingualLabel>>;
	transitions: Readonly<Record<S, readonly S[]>>;
}

/** Thrown when a record is asked to move along a transition its machine does not have. */
export class IllegalTransitionError extends DomainError {
	override name = "IllegalTransitionError";
	constructor(
		readonly machine: string,
		readonly from: string,
		readonly to: string,
		readonly allowed: readonly string[],
		readonly subject?: string,
	) {
		super(
			"INVALID_STATE",
			`Cannot move ${machine}${subject ? ` '${subject}'` : ""} from ${from} to ${to}: ${
				allowed.length === 0 ? `${from} is a final state` : `from ${from} it may only go to ${allowed.join(", ")}`
			}`,
			{ machine, from, to, allowed: [...allowed] },
		);
	}
}

/** Whether `from → to` is a transition of the machine. */
export function canTransition<S extends string>(machine: StateMachine<S>, from: S, to: S): boolean {
	return (machine.transitions[from] ?? []).includes(to);
}

/**
 * Returns `to` when `from → to` is allowed, otherwise throws {@link IllegalTransitionError} naming the
 * machine, the record (`subject`, e.g. the case number) and the allowed next states.
 */
export function assertTransition<S extends string>(machine: StateMachine<S>, from: S, to: S, subject?: string): S {
	if (!(to in machine.labels)) {
		throw new IllegalTransitionError(machine.name, from, to, machine.transitions[from] ?? [], subject);
	}
	if (!canTransition(machine, from, to)) {
		throw new IllegalTransitionError(machine.name, from, to, machine.transitions[from] ?? [], subject);
	}
	return to;
}

/** States with no way out. */
export function finalStates<S extends string>(machine: StateMachine<S>): S[] {
	return (Object.keys(machine.transitions) as S[]).filter((state) => machine.transitions[state].length === 0);
}

/** All states of a machine, in declaration order. */
export function statesOf<S extends string>(machine: StateMachine<S>): S[] {
	return Object.keys(machine.labels) as S[];
}
