import { createContext, Script } from "node:vm";
import { evaluate, parseDate, parseDateTime, parseExpression, parseUnaryTests, unaryTest } from "feelin";

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

/**
 * Longest time one evaluation of an expression that can iterate may take. feelin has no time-out of its
 * own, and `for x in 1..1000000000 return x` or a backtracking `matches()` pattern would otherwise stall
 * the engine's single processing loop; past this budget the evaluation is stopped and fails (→ incident).
 */
export const FEEL_TIME_LIMIT_MS = 200;

/**
 * Constructs that make evaluation time independent of the input size: iteration (`for`, `some`, `every`,
 * ranges), user-defined (possibly recursive) functions and regular expressions. Only expressions with one
 * of them run under the time limit; the rest (nearly all) are evaluated directly, which is cheaper.
 */
const mayRunLong = /\b(?:for|some|every|function|matches|replace|split)\b|\.\./;

// One context and one compiled script for every guarded evaluation: `vm`'s time-out interrupts whatever
// JavaScript runs inside the call, including feelin's code from this realm that the script calls.
const guardContext = createContext({ task: undefined as (() => unknown) | undefined });
const guardScript = new Script("task()", { filename: "feel-time-limit" });

class FeelTimeLimitExceeded extends Error {}

/** Longer expressions are always evaluated under the time limit: parsing alone can take long. */
const LONG_EXPRESSION = 1_000;

/** Deepest nesting of brackets (`(`, `[`, `{`) in an expression; deeper text is refused before parsing. */
export const MAX_EXPRESSION_NESTING = 64;

/**
 * Why an expression text is refused before it is parsed, or null: too long, or nested so deep that the
 * parser's error recovery takes seconds (18,000 `[` took 7 s) and evaluation would overflow the stack.
 */
function refusedText(text: string, what: string): string | null {
	if (text.length > MAX_EXPRESSION_LENGTH)
		return `the ${what} is ${text.length} characters long; at most ${MAX_EXPRESSION_LENGTH} are evaluated. Shorten it or move the logic into a job worker.`;
	let depth = 0;
	let deepest = 0;
	let quoted = false;
	for (let index = 0; index < text.length; index++) {
		const char = text[index];
		if (quoted) {
			if (char === "\\") index++;
			else if (char === '"') quoted = false;
		} else if (char === '"') quoted = true;
		else if (char === "(" || char === "[" || char === "{") deepest = Math.max(deepest, ++depth);
		else if (char === ")" || char === "]" || char === "}") depth--;
	}
	if (deepest > MAX_EXPRESSION_NESTING)
		return `the ${what} nests brackets ${deepest} levels deep; at most ${MAX_EXPRESSION_NESTING} are evaluated. Simplify it.`;
	return null;
}

/** Runs `task` under {@link FEEL_TIME_LIMIT_MS} when the expression text may iterate or is long (or `always`). */
function withinTimeLimit<T>(text: string, task: () => T, always = false): T {
	if (!always && text.length <= LONG_EXPRESSION && !mayRunLong.test(text)) return task();
	const outer = guardContext.task;
	guardContext.task = task;
	try {
		return guardScript.runInContext(guardContext, { timeout: FEEL_TIME_LIMIT_MS, breakOnSigint: false }) as T;
	} catch (error) {
		if ((error as { code?: string })?.code === "ERR_SCRIPT_EXECUTION_TIMEOUT") throw new FeelTimeLimitExceeded();
		throw error;
	} finally {
		guardContext.task = outer;
	}
}

/** The failure message of an evaluation that threw. */
function failureReason(error: unknown): string {
	if (error instanceof FeelTimeLimitExceeded)
		return `it did not finish within ${FEEL_TIME_LIMIT_MS} ms and was stopped (an iteration over a huge range or list, or a regular expression that backtracks); bound the iteration or move the logic into a job worker`;
	return error instanceof Error ? error.message : String(error);
}

/** true when the text is a FEEL expression (`=…`) rather than a static value. */
export function isFeelExpression(text: string): boolean {
	return text.startsWith("=");
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what is replaced.
const unstorable = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text PostgreSQL can store: NUL and unpaired surrogates (e.g. from `substring` cutting an emoji in half)
 * become U+FFFD. One unstorable string would otherwise fail the commit of the whole batch.
 */
function storableText(text: string): string {
	unstorable.lastIndex = 0;
	return unstorable.test(text) ? text.replace(unstorable, "\uFFFD") : text;
}

/** Turns feelin's temporal and other wrapper values into JSON-compatible values. */
function toPlain(value: unknown, depth = 0): unknown {
	if (value === null || value === undefined) return null;
	if (depth > 64) return null;
	const type = typeof value;
	if (type === "string") return storableText(value as string);
	if (type === "boolean") return value;
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
		for (const [key, entry] of Object.entries(object)) plain[storableText(key)] = toPlain(entry, depth + 1);
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
	const refused = refusedText(expression, "expression");
	if (refused) return { ok: false, message: refused };
	if (expression.trim() === "") return { ok: false, message: "the expression is empty" };
	try {
		const value = withinTimeLimit(expression, () => toPlain(evaluate(expression, clockContext(variables, now)).value));
		return { ok: true, value };
	} catch (error) {
		return { ok: false, message: `failed to evaluate expression '${expression}': ${failureReason(error)}` };
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
	const refused = refusedText(tests, "unary tests");
	if (refused) return { ok: false, message: refused };
	try {
		const value = withinTimeLimit(tests, () => unaryTest(tests, { ...clockContext(variables, now), "?": input }).value);
		return { ok: true, value: value === true };
	} catch (error) {
		return { ok: false, message: `failed to evaluate unary tests '${tests}': ${failureReason(error)}` };
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
	return syntaxError(expression, "expression");
}

/**
 * Checks the syntax of DMN unary tests (an input entry such as `> 5, < 10`) without evaluating them: null when
 * they parse, else a message. `-` (any value) and an empty entry are fine.
 */
export function feelUnaryTestsSyntaxError(tests: string): string | null {
	if (tests.trim() === "" || tests.trim() === "-") return null;
	return syntaxError(tests, "unary tests");
}

function syntaxError(text: string, kind: "expression" | "unary tests"): string | null {
	if (text.trim() === "") return kind === "expression" ? "the expression is empty" : "the unary tests are empty";
	const what = kind === "expression" ? "FEEL expression" : "FEEL unary tests";
	const refused = refusedText(text, kind);
	if (refused) return `the ${what} '${text.slice(0, 200)}…' is refused: ${refused}`;
	try {
		// Parsed under the time limit too: deployments are prepared on the engine's only thread.
		const parse = kind === "expression" ? parseExpression : parseUnaryTests;
		const tree = withinTimeLimit(text, () => parse(text, {}, undefined), true);
		let errorAt = -1;
		tree.iterate({
			enter: (node) => {
				if (errorAt < 0 && node.type.isError) errorAt = node.from;
			},
		});
		return errorAt < 0 ? null : `the ${what} '${text}' has a syntax error at position ${errorAt + 1}`;
	} catch (error) {
		return `the ${what} '${text}' cannot be parsed: ${failureReason(error)}`;
	}
}
