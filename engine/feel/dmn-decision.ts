import { DmnModdle } from "dmn-moddle";
import {
	evaluateFeel,
	evaluateUnaryTests,
	type FeelResult,
	feelSyntaxError,
	feelUnaryTestsSyntaxError,
} from "./feel-evaluator";

/**
 * DMN decisions as plain data, parsed with dmn-moddle and evaluated with feelin: decision tables (all
 * hit policies, COLLECT aggregations) and literal expressions, with required decisions evaluated first
 * and their results visible under their decision ids.
 */

export interface DecisionTable {
	kind: "table";
	hitPolicy: string;
	aggregation: string | null;
	/** `name`: the input's label, else its expression (what Zeebe reports as `inputName`). */
	inputs: Array<{ id: string; name: string; expression: string }>;
	/** `priorities`: the output's allowed values in priority order (`outputValues`), for PRIORITY and OUTPUT ORDER. */
	outputs: Array<{ id: string; name: string; priorities?: unknown[] }>;
	rules: Array<{ id: string; inputEntries: string[]; outputEntries: string[] }>;
}

export interface LiteralDecision {
	kind: "literal";
	expression: string;
}

export interface DecisionModel {
	decisionId: string;
	decisionName: string;
	/** Ids of decisions this one requires (same DRG). */
	required: string[];
	logic: DecisionTable | LiteralDecision;
}

export interface ParsedDmnResource {
	decisionRequirementsId: string;
	decisionRequirementsName: string;
	decisions: DecisionModel[];
	problems: Array<{ elementId: string | null; message: string }>;
}

// biome-ignore lint/suspicious/noExplicitAny: dmn-moddle's object graph is untyped.
type Moddle = any;

const text = (value: Moddle): string => (typeof value?.text === "string" ? value.text.trim() : "");

/**
 * Parses a DMN resource; problems are returned, never thrown. `checkFeel` (at deployment) parses every FEEL text of
 * the decisions; recovery turns it off, as the stored resources passed that check when they were deployed.
 */
export async function parseDmnResource(
	xml: string,
	options: { checkFeel: boolean } = { checkFeel: true },
): Promise<ParsedDmnResource> {
	const empty = { decisionRequirementsId: "", decisionRequirementsName: "", decisions: [] };
	if (/<!DOCTYPE|<!ENTITY/i.test(xml)) {
		return {
			...empty,
			problems: [{ elementId: null, message: "the XML declares a DOCTYPE or ENTITY, which is refused; remove it" }],
		};
	}
	let definitions: Moddle;
	try {
		definitions = (await new DmnModdle().fromXML(xml, "dmn:Definitions")).rootElement;
	} catch (error) {
		return {
			...empty,
			problems: [
				{
					elementId: null,
					message: `the resource is not readable DMN 1.3 XML (${error instanceof Error ? error.message.split("\n")[0] : String(error)})`,
				},
			],
		};
	}
	const problems: ParsedDmnResource["problems"] = [];
	const decisions: DecisionModel[] = [];
	for (const element of (definitions?.drgElement ?? []) as Moddle[]) {
		if (element.$type !== "dmn:Decision") continue;
		const id: string = element.id;
		const required = ((element.informationRequirement ?? []) as Moddle[])
			.map((requirement) => requirement.requiredDecision?.href?.replace(/^#/, ""))
			.filter((value): value is string => typeof value === "string" && value !== "");
		const logic = element.decisionLogic;
		if (logic?.$type === "dmn:DecisionTable") {
			const inputs = ((logic.input ?? []) as Moddle[]).map((input, index) => {
				const expression = text(input.inputExpression);
				return { id: input.id ?? `input${index + 1}`, name: input.label ?? expression, expression };
			});
			const outputs = ((logic.output ?? []) as Moddle[]).map((output, index) => {
				const column: { id: string; name: string; priorities?: unknown[] } = {
					id: output.id ?? `output${index + 1}`,
					name: output.name ?? `output${index + 1}`,
				};
				const allowed = text(output.outputValues);
				if (allowed !== "") {
					// The list of output values (`"high","medium","low"`) orders the outputs for PRIORITY and OUTPUT ORDER.
					const listed = evaluateFeel(`[${allowed}]`, {}, 0);
					if (listed.ok && Array.isArray(listed.value)) column.priorities = listed.value;
					else
						problems.push({
							elementId: column.id,
							message: `decision '${id}', output '${column.name}': the output values '${allowed}' are not a list of values`,
						});
				}
				return column;
			});
			if (outputs.length === 0) problems.push({ elementId: id, message: "the decision table has no output column" });
			const rules = ((logic.rule ?? []) as Moddle[]).map((rule, index) => ({
				id: rule.id ?? `rule${index + 1}`,
				inputEntries: ((rule.inputEntry ?? []) as Moddle[]).map(text),
				outputEntries: ((rule.outputEntry ?? []) as Moddle[]).map(text),
			}));
			// Every FEEL text of the table is parsed now, as Zeebe's DMN engine does at deployment: a syntax error is a
			// rejected deployment naming the rule and column, not an incident at the first evaluation.
			if (options.checkFeel) problems.push(...tableSyntaxProblems(id, inputs, outputs, rules));
			decisions.push({
				decisionId: id,
				decisionName: element.name ?? id,
				required,
				logic: {
					kind: "table",
					hitPolicy: logic.hitPolicy ?? "UNIQUE",
					aggregation: logic.aggregation ?? null,
					inputs,
					outputs,
					rules,
				},
			});
		} else if (logic?.$type === "dmn:LiteralExpression") {
			const error = options.checkFeel ? feelSyntaxError(text(logic)) : null;
			if (error) problems.push({ elementId: id, message: `decision '${id}': ${error}` });
			decisions.push({
				decisionId: id,
				decisionName: element.name ?? id,
				required,
				logic: { kind: "literal", expression: text(logic) },
			});
		} else {
			problems.push({
				elementId: id,
				message: "only decision tables and literal expressions are supported as decision logic",
			});
		}
	}
	if (decisions.length === 0 && problems.length === 0)
		problems.push({ elementId: null, message: "the resource contains no decision" });
	return {
		decisionRequirementsId: definitions?.id ?? "",
		decisionRequirementsName: definitions?.name ?? definitions?.id ?? "",
		decisions,
		problems,
	};
}

/** The syntax errors of a decision table's FEEL texts: input expressions, input entries, output entries. */
function tableSyntaxProblems(
	decisionId: string,
	inputs: DecisionTable["inputs"],
	outputs: DecisionTable["outputs"],
	rules: DecisionTable["rules"],
): ParsedDmnResource["problems"] {
	const problems: ParsedDmnResource["problems"] = [];
	for (const input of inputs) {
		const error = input.expression === "" ? "the input expression is empty" : feelSyntaxError(input.expression);
		if (error)
			problems.push({ elementId: input.id, message: `decision '${decisionId}', input '${input.name}': ${error}` });
	}
	for (const rule of rules) {
		const at = (kind: string, column: string) => `decision '${decisionId}', rule '${rule.id}', ${kind} '${column}'`;
		rule.inputEntries.forEach((entry, column) => {
			const error = feelUnaryTestsSyntaxError(entry);
			if (error)
				problems.push({
					elementId: rule.id,
					message: `${at("input", inputs[column]?.name ?? String(column + 1))}: ${error}`,
				});
		});
		rule.outputEntries.forEach((entry, column) => {
			const error = entry === "" ? null : feelSyntaxError(entry);
			if (error)
				problems.push({
					elementId: rule.id,
					message: `${at("output", outputs[column]?.name ?? String(column + 1))}: ${error}`,
				});
		});
	}
	return problems;
}

/** One decision evaluated on the way to a result (Zeebe's EvaluatedDecision), values as plain JSON. */
export interface EvaluatedDecisionDetail {
	decisionId: string;
	decisionName: string;
	decisionType: "DECISION_TABLE" | "LITERAL_EXPRESSION";
	decisionOutput: unknown;
	evaluatedInputs: Array<{ inputId: string; inputName: string; inputValue: unknown }>;
	/** `ruleIndex` is 1-based, as in Zeebe. */
	matchedRules: Array<{
		ruleId: string;
		ruleIndex: number;
		evaluatedOutputs: Array<{ outputId: string; outputName: string; outputValue: unknown }>;
	}>;
}

/**
 * The outcome of evaluating a decision with its required decisions: the result, and every decision
 * evaluated (required ones first, the requested one last). On failure, `failedDecisionId` names the
 * decision that failed and `evaluated` holds those that succeeded before it.
 */
export type DecisionEvaluation =
	| { ok: true; value: unknown; evaluated: EvaluatedDecisionDetail[] }
	| { ok: false; message: string; failedDecisionId: string; evaluated: EvaluatedDecisionDetail[] };

type TableOutcome =
	| {
			ok: true;
			value: unknown;
			inputs: EvaluatedDecisionDetail["evaluatedInputs"];
			rules: EvaluatedDecisionDetail["matchedRules"];
	  }
	| { ok: false; message: string };

function evaluateTable(table: DecisionTable, variables: Record<string, unknown>, now: number): TableOutcome {
	const inputValues: unknown[] = [];
	for (const input of table.inputs) {
		const result = evaluateFeel(input.expression, variables, now);
		if (!result.ok) return { ok: false, message: `failed to evaluate input '${input.expression}': ${result.message}` };
		inputValues.push(result.value);
	}
	const matches: Array<Record<string, unknown> | unknown> = [];
	const matchedRules: EvaluatedDecisionDetail["matchedRules"] = [];
	for (let ruleIndex = 0; ruleIndex < table.rules.length; ruleIndex++) {
		const rule = table.rules[ruleIndex];
		let matched = true;
		for (let index = 0; index < table.inputs.length && matched; index++) {
			const entry = rule.inputEntries[index] ?? "-";
			if (entry === "" || entry === "-") continue;
			const result = evaluateUnaryTests(entry, inputValues[index], variables, now);
			if (!result.ok) return result;
			matched = result.value === true;
		}
		if (!matched) continue;
		const output: Record<string, unknown> = {};
		const evaluatedOutputs: EvaluatedDecisionDetail["matchedRules"][number]["evaluatedOutputs"] = [];
		for (let index = 0; index < table.outputs.length; index++) {
			const column = table.outputs[index];
			const entry = rule.outputEntries[index] ?? "";
			let value: unknown = null;
			if (entry !== "") {
				const result = evaluateFeel(entry, variables, now);
				if (!result.ok) return { ok: false, message: `failed to evaluate output '${entry}': ${result.message}` };
				value = result.value;
			}
			output[column.name] = value;
			evaluatedOutputs.push({ outputId: column.id, outputName: column.name, outputValue: value });
		}
		matches.push(table.outputs.length === 1 ? output[table.outputs[0].name] : output);
		matchedRules.push({ ruleId: rule.id, ruleIndex: ruleIndex + 1, evaluatedOutputs });
		if (table.hitPolicy === "FIRST") break;
	}
	const inputs = table.inputs.map((input, index) => ({
		inputId: input.id,
		inputName: input.name,
		inputValue: inputValues[index] ?? null,
	}));
	const done = (value: unknown, rules = matchedRules): TableOutcome => ({ ok: true, value, inputs, rules });
	switch (table.hitPolicy) {
		case "UNIQUE":
			if (matches.length > 1)
				return { ok: false, message: `the UNIQUE hit policy allows one matching rule, but ${matches.length} matched` };
			return done(matches[0] ?? null);
		case "FIRST":
			return done(matches[0] ?? null);
		case "ANY": {
			const distinct = new Set(matches.map((match) => JSON.stringify(match)));
			if (distinct.size > 1)
				return {
					ok: false,
					message: `the ANY hit policy requires all matching rules to have equal outputs, but ${distinct.size} different outputs matched`,
				};
			return done(matches[0] ?? null, matchedRules.slice(0, 1));
		}
		case "PRIORITY": {
			const [first] = byPriority(table, matches, matchedRules);
			return first ? done(first.match, [first.rule]) : done(null, []);
		}
		case "OUTPUT ORDER": {
			const ordered = byPriority(table, matches, matchedRules);
			return done(
				ordered.map((item) => item.match),
				ordered.map((item) => item.rule),
			);
		}
		case "COLLECT": {
			if (!table.aggregation) return done(matches);
			if (table.aggregation === "COUNT") return done(matches.length);
			const numbers = matches.filter((value): value is number => typeof value === "number");
			if (numbers.length === 0) return done(null);
			if (table.aggregation === "SUM") return done(numbers.reduce((sum, value) => sum + value, 0));
			if (table.aggregation === "MIN") return done(Math.min(...numbers));
			return done(Math.max(...numbers));
		}
		default:
			return done(matches);
	}
}

/**
 * The matches ordered by output priority (DMN PRIORITY / OUTPUT ORDER): by the position of the first output's value
 * in its list of output values, then the next output's, and so on; a value not in the list comes last, rule order
 * breaks ties.
 */
function byPriority(
	table: DecisionTable,
	matches: unknown[],
	rules: EvaluatedDecisionDetail["matchedRules"],
): Array<{ match: unknown; rule: EvaluatedDecisionDetail["matchedRules"][number] }> {
	const rank = (rule: EvaluatedDecisionDetail["matchedRules"][number]) =>
		table.outputs.map((output, index) => {
			if (!output.priorities) return 0;
			const value = JSON.stringify(rule.evaluatedOutputs[index]?.outputValue ?? null);
			const position = output.priorities.findIndex((candidate) => JSON.stringify(candidate) === value);
			return position < 0 ? Number.MAX_SAFE_INTEGER : position;
		});
	return matches
		.map((match, index) => ({ match, rule: rules[index]!, key: rank(rules[index]!), index }))
		.sort((a, b) => {
			for (let i = 0; i < a.key.length; i++) if (a.key[i] !== b.key[i]) return a.key[i]! - b.key[i]!;
			return a.index - b.index;
		})
		.map(({ match, rule }) => ({ match, rule }));
}

/**
 * Evaluates a decision with `variables` and reports every decision evaluated; `lookup` finds required
 * decisions of the same DRG, whose results are added to the context under their ids.
 */
export function evaluateDecisionWithDetails(
	decision: DecisionModel,
	variables: Record<string, unknown>,
	now: number,
	lookup: (decisionId: string) => DecisionModel | undefined,
): DecisionEvaluation {
	const evaluated: EvaluatedDecisionDetail[] = [];
	const visit = (current: DecisionModel, depth: number): FeelResult & { failedDecisionId?: string } => {
		if (depth > 32)
			return {
				ok: false,
				message: "the decision requirements are nested too deeply (a cycle?)",
				failedDecisionId: current.decisionId,
			};
		const context = { ...variables };
		for (const requiredId of current.required) {
			const required = lookup(requiredId);
			if (!required)
				return {
					ok: false,
					message: `the required decision '${requiredId}' is not deployed`,
					failedDecisionId: current.decisionId,
				};
			const result = visit(required, depth + 1);
			if (!result.ok) return result;
			context[requiredId] = result.value;
		}
		const base = { decisionId: current.decisionId, decisionName: current.decisionName };
		if (current.logic.kind === "literal") {
			const result = evaluateFeel(current.logic.expression, context, now);
			if (!result.ok) return { ...result, failedDecisionId: current.decisionId };
			evaluated.push({
				...base,
				decisionType: "LITERAL_EXPRESSION",
				decisionOutput: result.value,
				evaluatedInputs: [],
				matchedRules: [],
			});
			return result;
		}
		const table = evaluateTable(current.logic, context, now);
		if (!table.ok) return { ...table, failedDecisionId: current.decisionId };
		evaluated.push({
			...base,
			decisionType: "DECISION_TABLE",
			decisionOutput: table.value,
			evaluatedInputs: table.inputs,
			matchedRules: table.rules,
		});
		return { ok: true, value: table.value };
	};
	const result = visit(decision, 0);
	if (result.ok) return { ok: true, value: result.value, evaluated };
	return {
		ok: false,
		message: result.message,
		failedDecisionId: result.failedDecisionId ?? decision.decisionId,
		evaluated,
	};
}

/**
 * Evaluates a decision with `variables`; `lookup` finds required decisions of the same DRG, whose
 * results are added to the context under their ids.
 */
export function evaluateDecision(
	decision: DecisionModel,
	variables: Record<string, unknown>,
	now: number,
	lookup: (decisionId: string) => DecisionModel | undefined,
): FeelResult {
	const result = evaluateDecisionWithDetails(decision, variables, now, lookup);
	return result.ok ? { ok: true, value: result.value } : { ok: false, message: result.message };
}
