import { DmnModdle } from "dmn-moddle";
import { evaluateFeel, evaluateUnaryTests, type FeelResult } from "./feel-evaluator";

/**
 * DMN decisions as plain data, parsed with dmn-moddle and evaluated with feelin: decision tables (all
 * hit policies, COLLECT aggregations) and literal expressions, with required decisions evaluated first
 * and their results visible under their decision ids.
 */

export interface DecisionTable {
	kind: "table";
	hitPolicy: string;
	aggregation: string | null;
	inputs: Array<{ expression: string }>;
	outputs: Array<{ name: string }>;
	rules: Array<{ inputEntries: string[]; outputEntries: string[] }>;
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

/** Parses a DMN resource; problems are returned, never thrown. */
export async function parseDmnResource(xml: string): Promise<ParsedDmnResource> {
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
			const inputs = ((logic.input ?? []) as Moddle[]).map((input) => ({ expression: text(input.inputExpression) }));
			const outputs = ((logic.output ?? []) as Moddle[]).map((output, index) => ({
				name: output.name ?? `output${index + 1}`,
			}));
			if (outputs.length === 0) problems.push({ elementId: id, message: "the decision table has no output column" });
			const rules = ((logic.rule ?? []) as Moddle[]).map((rule) => ({
				inputEntries: ((rule.inputEntry ?? []) as Moddle[]).map(text),
				outputEntries: ((rule.outputEntry ?? []) as Moddle[]).map(text),
			}));
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

function evaluateTable(table: DecisionTable, variables: Record<string, unknown>, now: number): FeelResult {
	const inputValues: unknown[] = [];
	for (const input of table.inputs) {
		const result = evaluateFeel(input.expression, variables, now);
		if (!result.ok) return { ok: false, message: `failed to evaluate input '${input.expression}': ${result.message}` };
		inputValues.push(result.value);
	}
	const matches: Array<Record<string, unknown> | unknown> = [];
	for (const rule of table.rules) {
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
		for (let index = 0; index < table.outputs.length; index++) {
			const entry = rule.outputEntries[index] ?? "";
			if (entry === "") {
				output[table.outputs[index].name] = null;
				continue;
			}
			const result = evaluateFeel(entry, variables, now);
			if (!result.ok) return { ok: false, message: `failed to evaluate output '${entry}': ${result.message}` };
			output[table.outputs[index].name] = result.value;
		}
		matches.push(table.outputs.length === 1 ? output[table.outputs[0].name] : output);
		if (table.hitPolicy === "FIRST") break;
	}
	switch (table.hitPolicy) {
		case "UNIQUE":
			if (matches.length > 1)
				return { ok: false, message: `the UNIQUE hit policy allows one matching rule, but ${matches.length} matched` };
			return { ok: true, value: matches[0] ?? null };
		case "FIRST":
		case "ANY":
		case "PRIORITY":
			return { ok: true, value: matches[0] ?? null };
		case "COLLECT": {
			if (!table.aggregation) return { ok: true, value: matches };
			if (table.aggregation === "COUNT") return { ok: true, value: matches.length };
			const numbers = matches.filter((value): value is number => typeof value === "number");
			if (numbers.length === 0) return { ok: true, value: null };
			if (table.aggregation === "SUM") return { ok: true, value: numbers.reduce((sum, value) => sum + value, 0) };
			if (table.aggregation === "MIN") return { ok: true, value: Math.min(...numbers) };
			return { ok: true, value: Math.max(...numbers) };
		}
		default:
			return { ok: true, value: matches };
	}
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
	depth = 0,
): FeelResult {
	if (depth > 32) return { ok: false, message: "the decision requirements are nested too deeply (a cycle?)" };
	const context = { ...variables };
	for (const requiredId of decision.required) {
		const required = lookup(requiredId);
		if (!required) return { ok: false, message: `the required decision '${requiredId}' is not deployed` };
		const result = evaluateDecision(required, variables, now, lookup, depth + 1);
		if (!result.ok) return result;
		context[requiredId] = result.value;
	}
	if (decision.logic.kind === "literal") return evaluateFeel(decision.logic.expression, context, now);
	return evaluateTable(decision.logic, context, now);
}
