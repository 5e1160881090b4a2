import { describe, expect, it } from "vitest";
import {
	evaluateCondition,
	FEEL_TIME_LIMIT_MS,
	feelSyntaxError,
	MAX_EXPRESSION_NESTING,
	evaluateFeel,
	evaluateProperty,
	evaluateUnaryTests,
	isFeelExpression,
} from "./feel-evaluator";

const now = Date.UTC(2026, 10, 28, 9, 30, 0);

describe("FEEL with Zeebe semantics", () => {
	it.each([
		["a + 1", { a: 1 }, 2],
		["{x: 1, y: x + 1}", {}, { x: 1, y: 2 }],
		["missing", {}, null],
		['upper case("abc")', {}, "ABC"],
		["[1, 2, 3][item > 1]", {}, [2, 3]],
		['date and time("2026-01-01T00:00:00Z") + duration("P1D")', {}, "2026-01-02T00:00:00Z"],
		["order.lines[1].sku", { order: { lines: [{ sku: "S1" }] } }, "S1"],
	])("should evaluate %s", (expression, variables, expected) => {
		expect(evaluateFeel(expression, variables, now)).toEqual({ ok: true, value: expected });
	});

	it("should read now() and today() from the engine clock, not the machine clock", () => {
		expect(evaluateFeel("now()", {}, now)).toEqual({ ok: true, value: "2026-11-28T09:30:00Z" });
		expect(evaluateFeel("today()", {}, now)).toEqual({ ok: true, value: "2026-11-28" });
	});

	it("should report a syntax error as a failure with the expression in the message", () => {
		const result = evaluateFeel("1 +", {}, now);
		expect(result.ok).toBe(false);
		expect(!result.ok && result.message).toContain("'1 +'");
	});

	it("should treat a null or non-boolean condition as an error, never as false", () => {
		expect(evaluateCondition("=x > 5", {}, now)).toEqual({
			ok: false,
			message: "Expected result of the expression 'x > 5' to be 'BOOLEAN', but was 'NULL'.",
		});
		expect(evaluateCondition("=x", { x: "yes" }, now).ok).toBe(false);
		expect(evaluateCondition("=x > 5", { x: 6 }, now)).toEqual({ ok: true, value: true });
	});

	it("should treat text without '=' as a static value", () => {
		expect(isFeelExpression("=a")).toBe(true);
		expect(evaluateProperty("plain text", {}, now)).toEqual({ ok: true, value: "plain text" });
		expect(evaluateProperty("=1 + 1", {}, now)).toEqual({ ok: true, value: 2 });
	});

	it("should evaluate unary tests against an input", () => {
		expect(evaluateUnaryTests("> 5, < 0", 7, {}, now)).toEqual({ ok: true, value: true });
		expect(evaluateUnaryTests("[1..3]", 7, {}, now)).toEqual({ ok: true, value: false });
		expect(evaluateUnaryTests('"a","b"', "b", {}, now)).toEqual({ ok: true, value: true });
	});

	it("should refuse pathologically long expressions", () => {
		expect(evaluateFeel("1+".repeat(20_000) + "1", {}, now).ok).toBe(false);
	});

	it.each([
		["count(for x in 1..1000000000 return x)", {}],
		["count(for a in 1..100000, b in 1..100000 return a * b)", {}],
		["some x in 1..1000000000 satisfies x < 0", {}],
		['matches(text, "^(a+)+$")', { text: `${"a".repeat(40)}!` }],
	])("should stop %s at the time limit instead of stalling the engine", (expression, variables) => {
		const started = performance.now();
		const result = evaluateFeel(expression, variables, now);
		const took = performance.now() - started;
		expect(result.ok).toBe(false);
		expect(!result.ok && result.message).toContain(`did not finish within ${FEEL_TIME_LIMIT_MS} ms`);
		expect(took).toBeLessThan(FEEL_TIME_LIMIT_MS + 1_000);
	});

	it("should stop looping unary tests and fail endless recursion as an error", () => {
		const tests = evaluateUnaryTests("count(for x in 1..1000000000 return x) > 0", 1, {}, now);
		expect(!tests.ok && tests.message).toContain("did not finish");
		const recursion = evaluateFeel("{f: function(n) f(n + 1)}.f(1)", {}, now);
		expect(recursion.ok).toBe(false);
		// Still evaluates normally afterwards, inside and outside the guard.
		expect(evaluateFeel("for x in 1..3 return x * 2", {}, now)).toEqual({ ok: true, value: [2, 4, 6] });
		expect(evaluateFeel("a + 1", { a: 1 }, now)).toEqual({ ok: true, value: 2 });
	});

	it("should give only text PostgreSQL can store: NUL and unpaired surrogates become U+FFFD", () => {
		expect(evaluateFeel("text", { text: "a\u0000b\ud800c" }, now)).toEqual({ ok: true, value: "a\uFFFDb\uFFFDc" });
		expect(evaluateFeel("{(k): 1}", { k: "x" }, now).ok).toBeDefined();
		expect(evaluateFeel("context", { context: { "\udc00": "😀" } }, now)).toEqual({
			ok: true,
			value: { "\uFFFD": "😀" },
		});
	});

	it.each([
		["(".repeat(9000) + "1" + ")".repeat(9000)],
		["[".repeat(9000) + "]".repeat(9000)],
		["{a:".repeat(5000) + "1" + "}".repeat(5000)],
		["-".repeat(19_000) + "1"],
	])("should refuse or stop pathological text quickly, at evaluation and at deployment (%#)", (text) => {
		const started = performance.now();
		expect(evaluateFeel(text, {}, now).ok).toBe(false);
		expect(evaluateUnaryTests(text, 1, {}, now).ok).toBe(false);
		expect(feelSyntaxError(text)).toBeTypeOf("string");
		// Three evaluations, each refused before parsing or stopped at the time limit.
		expect(performance.now() - started).toBeLessThan(3 * FEEL_TIME_LIMIT_MS + 1_500);
	});

	it("should name the nesting limit and still accept reasonable nesting", () => {
		const deep = evaluateFeel(
			`${"(".repeat(MAX_EXPRESSION_NESTING + 1)}1${")".repeat(MAX_EXPRESSION_NESTING + 1)}`,
			{},
			now,
		);
		expect(!deep.ok && deep.message).toContain(`at most ${MAX_EXPRESSION_NESTING}`);
		expect(
			evaluateFeel(`${"(".repeat(MAX_EXPRESSION_NESTING)}1${")".repeat(MAX_EXPRESSION_NESTING)}`, {}, now),
		).toEqual({ ok: true, value: 1 });
		expect(evaluateFeel('"((((" + x', { x: ")" }, now)).toEqual({ ok: true, value: "(((()" });
	});
});
