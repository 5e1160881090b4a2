import { evaluate, parseDate, parseDateTime, parseExpression, unaryTest } from "feelin";

/**
 * FEEL with Zeebe's semantics on top of `feelin`: a value starting with `=` is an expression, anything
 * else a static value; results are plain JSON-compatible values; failures are data (a message that says
 * what went wrong), never exceptions. FEEL's `now()` and `today()` read the engine clock passed in, so
 * evaluation is deterministic and replayable.
 */

/** The outcome of evaluating an expression. */
export type FeelResult = { ok: true; value: unknown } | { ok: false; message: string };

/** Longest expression text we agree to evaluate: a guard against pathological input (feelin has no timeout). */
export const MAX_EXPRESSION_LENGTH = 20_000;

/** true when the text is a FEEL expression (`=…`) rather than a static value. */
export function isFeelExpression(text: string): boolean {
	return text.startsWith("=");
}

/** Turns feelin's temporal and other wrapper values into JSON-compatible values. */
function toPlain(value: unknown, depth = 0): unknown {
	if (value === null || value === undefined) return null;
	if (depth > 64) return null;
	const type = typeof value;
	if (type === "string" || type === "boolean") return value;
	if (type === "number") return Number.isFinite(value as number) ? value : null;
	if (type === "function") return null;
	if (Array.isArray(value)) return value.map((item) => toPlain(item, depth + 1));
	if (type === "object") {
		const object = value as Record<string, unknown> & { iso?: unknown };
		// FeelDate, FeelTime, FeelDateTime and FeelDuration carry their canonical ISO text in `iso`.
		if (typeof object.iso === "string" && Object.getPrototypeOf(object) !== Object.prototype) return object.iso;
		if (Object.getPrototypeOf(object) !== Object.prototype && Object.getPrototypeOf(object) !== null) {
			return String(object);
		}
		const plain: Record<string, unknown> = {};
		for (const [key, entry] of Object.entries(object)) plain[key] = toPlain(entry, depth + 1);
		return plain;
	}
	return null;
}

/** The evaluation context: variables plus `now`/`today` bound to the engine clock. */
function clockContext(variables: Record<string, unknown>, now: number): Record<string, unknown> {
	const instant = new Date(now).toISOString();
	return {
		now: () => parseDateTime(instant.replace(/\.\d{3}Z$/, "Z")),
		today: () => parseDate(instant.slice(0, 10)),
		...variables,
	};
}

/**
 * Evaluates a FEEL expression (text without the leading `=`).
 * @param variables the visible variables, innermost scope already winning
 * @param now the engine clock (epoch ms) for `now()` / `today()`
 */
export function evaluateFeel(expression: string, variables: Record<string, unknown>, now: number): FeelResult {
	if (expression.length > MAX_EXPRESSION_LENGTH) {
		return {
			ok: false,
			message: `the expression is ${expression.length} characters long; at most ${MAX_EXPRESSION_LENGTH} are evaluated. Shorten it or move the logic into a job worker.`,
		};
	}
	if (expression.trim() === "") return { ok: false, message: "the expression is empty" };
	try {
		const result = evaluate(expression, clockContext(variables, now));
		return { ok: true, value: toPlain(result.value) };
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		return { ok: false, message: `failed to evaluate expression '${expression}': ${reason}` };
	}
}

/**
 * Evaluates FEEL unary tests (a DMN input entry such as `> 5, < 10`) against `input`.
 * A null result (nothing comparable) counts as "no match".
 */
export function evaluateUnaryTests(
	tests: string,
	input: unknown,
	variables: Record<string, unknown>,
	now: number,
): FeelResult {
	try {
		const result = unaryTest(tests, { ...clockContext(variables, now), "?": input });
		return { ok: true, value: result.value === true };
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		return { ok: false, message: `failed to evaluate unary tests '${tests}': ${reason}` };
	}
}

/** A value that may be static or `=expression`, evaluated into the value Zeebe expects. */
export function evaluateProperty(text: string, variables: Record<string, unknown>, now: number): FeelResult {
	if (!isFeelExpression(text)) return { ok: true, value: text };
	return evaluateFeel(text.slice(1), variables, now);
}

/** Names a JSON value's FEEL type for error messages ("Expected result … to be 'BOOLEAN', but was 'NULL'"). */
export function feelTypeName(value: unknown): string {
	if (value === null || value === undefined) return "NULL";
	if (Array.isArray(value)) return "ARRAY";
	switch (typeof value) {
		case "string":
			return "STRING";
		case "number":
			return "NUMBER";
		case "boolean":
			return "BOOLEAN";
		default:
			return "OBJECT";
	}
}

/** Evaluates a condition: only `true`/`false` are results; null or another type is an error (Zeebe §7). */
export function evaluateCondition(expression: string, variables: Record<string, unknown>, now: number): FeelResult {
	const text = expression.startsWith("=") ? expression.slice(1) : expression;
	const result = evaluateFeel(text, variables, now);
	if (!result.ok) return result;
	if (typeof result.value !== "boolean") {
		return {
			ok: false,
			message: `Expected result of the expression '${text}' to be 'BOOLEAN', but was '${feelTypeName(result.value)}'.`,
		};
	}
	return result;
}

/**
 * Checks the syntax of an expression (text without `=`) without evaluating it: null when it parses,
 * else a message. Used at deploy time, as Zeebe validates expressions before accepting a model.
 */
export function feelSyntaxError(expression: string): string | null {
	if (expression.trim() === "") return "the expression is empty";
	try {
		const tree = parseExpression(expression, {}, undefined);
		let errorAt = -1;
		tree.iterate({
			enter: (node) => {
				if (errorAt < 0 && node.type.isError) errorAt = node.from;
			},
		});
		return errorAt < 0 ? null : `the FEEL expression '${expression}' has a syntax error at position ${errorAt + 1}`;
	} catch (error) {
		return `the FEEL expression '${expression}' cannot be parsed: ${error instanceof Error ? error.message : String(error)}`;
	}
}
