import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
	evaluateCondition,
	evaluateFeel,
	evaluateProperty,
	evaluateUnaryTests,
	FEEL_TIME_LIMIT_MS,
	feelSyntaxError,
} from "./feel-evaluator";

/**
 * Properties of FEEL evaluation at its boundaries: any text as an expression, unary test or property
 * gives a result or a failure (never an exception, never a hang); results are JSON the store can keep;
 * and plain values pass through variables and simple expressions unchanged.
 */

const now = Date.UTC(2026, 11, 2, 9, 0, 0);
/** A generous bound: the time limit plus scheduling noise on a loaded 2-core machine. */
const HANG_BOUND_MS = FEEL_TIME_LIMIT_MS + 2_000;

/** FEEL-looking text: fragments of the grammar glued together at random, plus arbitrary strings. */
const feelText = fc.oneof(
	fc.string({ maxLength: 60 }),
	fc.string({ unit: "binary", maxLength: 40 }),
	fc
		.array(
			fc.constantFrom(
				"x",
				"y",
				"1",
				"-",
				"+",
				"*",
				"/",
				"**",
				"(",
				")",
				"[",
				"]",
				"{",
				"}",
				":",
				",",
				".",
				"..",
				" ",
				'"a"',
				"null",
				"true",
				"if",
				"then",
				"else",
				"for",
				"in",
				"return",
				"some",
				"every",
				"satisfies",
				"function",
				"(a)",
				"a",
				"count",
				"sum",
				"date(",
				'"2026-01-01"',
				"duration(",
				'"P1D"',
				"matches(",
				'"(a+)+$"',
				"string(",
				"<",
				">=",
				"=",
				"!=",
				"and",
				"or",
				"not(",
				"instance of",
				"number",
				"between",
				"?",
				"@",
				"#",
				"\\",
				"'",
				"\u0000",
				"\ud800",
			),
			{ maxLength: 25 },
		)
		.map((parts) => parts.join("")),
);

/** JSON values as variables arrive (the gateway refuses NUL and unpaired surrogates). */
const storableString = fc.string({ unit: "grapheme", maxLength: 20 }).filter((text) => !text.includes("\u0000"));
const jsonValue = fc.letrec((tie) => ({
	value: fc.oneof(
		{ depthSize: "small" },
		fc.constant(null),
		fc.boolean(),
		fc.integer(),
		fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
		storableString,
		fc.array(tie("value"), { maxLength: 3 }),
		fc.dictionary(
			fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 5 }).filter((key) => /^[a-z]\w*$/i.test(key)),
			tie("value"),
			{
				maxKeys: 3,
			},
		),
	),
})).value;

const variables = fc.dictionary(fc.constantFrom("x", "y", "a", "list", "text"), jsonValue, { maxKeys: 4 });

/** A result is `{ok: true, value}` with a JSON value PostgreSQL can store, or `{ok: false, message}`. */
function expectWellFormed(result: unknown): void {
	expect(result).toBeTypeOf("object");
	const outcome = result as { ok: boolean; value?: unknown; message?: unknown };
	if (outcome.ok) {
		const text = JSON.stringify(outcome.value ?? null);
		expect(JSON.parse(text)).toEqual(outcome.value ?? null);
		expect(text.includes("\\u0000")).toBe(false);
		expect(/\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])/i.test(text)).toBe(false);
	} else {
		expect(outcome.message).toBeTypeOf("string");
		expect((outcome.message as string).length).toBeGreaterThan(0);
	}
}

function timed<T>(task: () => T): { result: T; ms: number } {
	const started = performance.now();
	const result = task();
	return { result, ms: performance.now() - started };
}

describe("FEEL evaluation boundaries (properties)", () => {
	it("should answer any text as an expression with a storable result or a failure, never an exception or a hang", () => {
		fc.assert(
			fc.property(feelText, variables, (text, vars) => {
				const { result, ms } = timed(() => evaluateFeel(text, vars, now));
				expectWellFormed(result);
				expect(ms).toBeLessThan(HANG_BOUND_MS);
				expectWellFormed(evaluateProperty(`=${text}`, vars, now));
				expectWellFormed(evaluateCondition(text, vars, now));
				const syntax = feelSyntaxError(text);
				expect(syntax === null || typeof syntax === "string").toBe(true);
			}),
			{ numRuns: 400, seed: 20261202 },
		);
	});

	it("should answer any text as unary tests against any input with true, false or a failure", () => {
		fc.assert(
			fc.property(feelText, jsonValue, (tests, input) => {
				const { result, ms } = timed(() => evaluateUnaryTests(tests, input, {}, now));
				expectWellFormed(result);
				if (result.ok) expect(typeof result.value).toBe("boolean");
				expect(ms).toBeLessThan(HANG_BOUND_MS);
			}),
			{ numRuns: 300, seed: 20261202 },
		);
	});

	it("should pass plain values through a variable reference unchanged", () => {
		fc.assert(
			fc.property(jsonValue, (value) => {
				expect(evaluateFeel("x", { x: value }, now)).toEqual({ ok: true, value });
				expect(evaluateFeel("[x][1]", { x: value }, now)).toEqual({ ok: true, value });
				expect(evaluateFeel("{v: x}.v", { x: value }, now)).toEqual({ ok: true, value });
			}),
			{ numRuns: 300, seed: 20261202 },
		);
	});

	it("should keep number, string and null semantics of simple expressions", () => {
		fc.assert(
			fc.property(
				fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
				fc.integer({ min: -1_000_000, max: 1_000_000 }),
				(a, b) => {
					expect(evaluateFeel(String(a), {}, now)).toEqual({ ok: true, value: a });
					expect(evaluateFeel("a + b", { a, b }, now)).toEqual({ ok: true, value: a + b });
					expect(evaluateFeel("a - b", { a, b }, now)).toEqual({ ok: true, value: a - b });
					expect(evaluateFeel("a * b", { a, b }, now)).toEqual({ ok: true, value: a * b });
					expect(evaluateFeel("a < b", { a, b }, now)).toEqual({ ok: true, value: a < b });
					expect(evaluateFeel("a = b", { a, b }, now)).toEqual({ ok: true, value: a === b });
					// null propagates through arithmetic and comparison; a condition that gives null is an error, never false.
					expect(evaluateFeel("a + missing", { a }, now)).toEqual({ ok: true, value: null });
					expect(evaluateFeel("missing > a", { a }, now)).toEqual({ ok: true, value: null });
					expect(evaluateCondition("=missing > a", { a }, now).ok).toBe(false);
				},
			),
			{ numRuns: 200, seed: 20261202 },
		);
		fc.assert(
			fc.property(storableString, storableString, (s, t) => {
				expect(evaluateFeel("s + t", { s, t }, now)).toEqual({ ok: true, value: s + t });
				expect(evaluateFeel("string length(s) >= 0", { s }, now)).toEqual({ ok: true, value: true });
				expect(evaluateFeel("s = t", { s, t }, now)).toEqual({ ok: true, value: s === t });
				// Text without a leading '=' is a static value, whatever it holds.
				if (!s.startsWith("=")) expect(evaluateProperty(s, {}, now)).toEqual({ ok: true, value: s });
			}),
			{ numRuns: 200, seed: 20261202 },
		);
	});

	it("should stop iterations of any size within the time limit", () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 2_000_000_000 }),
				fc.constantFrom(
					"for i in 1..n return i",
					"count(for i in 1..n return i * 2)",
					"some i in 1..n satisfies i < 0",
					"sum(for i in 1..n, j in 1..n return 1)",
				),
				(n, expression) => {
					const { result, ms } = timed(() => evaluateFeel(expression, { n }, now));
					expectWellFormed(result);
					expect(ms).toBeLessThan(HANG_BOUND_MS);
				},
			),
			{ numRuns: 25, seed: 20261202 },
		);
	});
});
