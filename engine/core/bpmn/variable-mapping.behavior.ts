import type { VariableMapping } from "../../bpmn/executable-model";
import { evaluateProperty } from "../../feel/feel-evaluator";

/**
 * Input and output mappings (zeebe-behaviour.md §3.2). Zeebe compiles all mappings of an element into
 * one FEEL context; evaluating them in order against a growing context is equivalent: a later mapping
 * sees the targets of earlier ones, and dotted targets build (inputs) or merge into (outputs) objects.
 */

export type MappingResult = { ok: true; document: Record<string, unknown> } | { ok: false; message: string };

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Sets `value` at a dotted path of `target`, creating (or, when `merge`, keeping) intermediate objects. */
function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
	let node = target;
	for (let index = 0; index < path.length - 1; index++) {
		const next = node[path[index]];
		const child = isObject(next) ? { ...next } : {};
		node[path[index]] = child;
		node = child;
	}
	node[path[path.length - 1]] = value;
}

/**
 * Evaluates mappings against `variables`. For outputs (`mergeExisting`), a dotted target merges into
 * the visible object of that name instead of replacing it.
 */
export function evaluateMappings(
	mappings: VariableMapping[],
	variables: Record<string, unknown>,
	now: number,
	mergeExisting: boolean,
): MappingResult {
	const document: Record<string, unknown> = {};
	const scope: Record<string, unknown> = { ...variables };
	for (const mapping of mappings) {
		let value: unknown = null;
		if (mapping.source !== null) {
			const result = evaluateProperty(mapping.source, scope, now);
			if (!result.ok) {
				return { ok: false, message: `Failed to evaluate the mapping to '${mapping.target}': ${result.message}` };
			}
			value = result.value;
		}
		const path = mapping.target.split(".");
		const root = path[0];
		if (path.length === 1) {
			document[root] = value;
		} else {
			if (!(root in document)) {
				const existing = mergeExisting ? scope[root] : undefined;
				document[root] = isObject(existing) ? { ...existing } : {};
			} else if (!isObject(document[root])) document[root] = {};
			setPath(document, path, value);
		}
		scope[root] = document[root];
	}
	return { ok: true, document };
}
