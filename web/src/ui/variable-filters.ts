/** One variable condition of a task or instance search: the variable's name and its value as JSON text. */
export interface VariableFilter {
	name: string;
	value: string;
}

/**
 * The variable conditions typed in a search form: `name=value` pairs separated by `;` or new lines, e.g.
 * `offenceType=THEFT; priorityLevel=2`. A value that is JSON (`2`, `true`, `"x"`, `{…}`) is sent as it is,
 * anything else as a JSON string, so `THEFT` and `"THEFT"` mean the same. All conditions must hold (AND).
 * @throws Error naming the part that has no `name=`.
 */
export function parseVariableFilters(text: string): VariableFilter[] {
	return text
		.split(/[;\n]/)
		.map((part) => part.trim())
		.filter(Boolean)
		.map((part) => {
			const equals = part.indexOf("=");
			const name = equals > 0 ? part.slice(0, equals).trim() : "";
			if (!name) throw new Error(`"${part}" is not name=value`);
			const raw = part.slice(equals + 1).trim();
			let value: string;
			try {
				JSON.parse(raw);
				value = raw;
			} catch {
				value = JSON.stringify(raw);
			}
			return { name, value };
		});
}
