import type { FastifyInstance } from "fastify";
import { ProblemError } from "./error-registry";

/** Deepest nesting of objects and arrays accepted in a JSON body (the engine takes variables up to 64 deep). */
export const MAX_JSON_BODY_DEPTH = 64;

/** Nesting depth of a JSON text, counted on the text (no recursion, so a million levels cost nothing). */
function nestingDepth(text: string): number {
	let depth = 0;
	let deepest = 0;
	let inString = false;
	for (let index = 0; index < text.length; index++) {
		const char = text.charCodeAt(index);
		if (inString) {
			if (char === 92) index++;
			else if (char === 34) inString = false;
		} else if (char === 34) inString = true;
		else if (char === 123 || char === 91) {
			depth++;
			if (depth > deepest) deepest = depth;
		} else if (char === 125 || char === 93) depth--;
	}
	return deepest;
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why PostgreSQL could not store this text (NUL, unpaired surrogate), or null. */
function unstorable(text: string): string | null {
	if (text.includes("\u0000")) return "contains the NUL character (U+0000)";
	if (loneSurrogate.test(text)) return "contains an unpaired UTF-16 surrogate (not valid Unicode)";
	return null;
}

const pointer = (path: string[]) =>
	`/${path.map((part) => part.replaceAll("~", "~0").replaceAll("/", "~1")).join("/")}`;

/** Refuses prototype-polluting keys and text PostgreSQL cannot store, naming the field. */
function checkValue(value: unknown, path: string[]): void {
	if (typeof value === "string") {
		const problem = unstorable(value);
		if (problem) {
			throw new ProblemError("VALIDATION_FAILED", `The body field ${pointer(path)} ${problem}; remove it.`, {
				errors: [{ field: pointer(path), location: "body", message: problem }],
			});
		}
		return;
	}
	if (value === null || typeof value !== "object") return;
	if (Array.isArray(value)) {
		for (const [index, item] of value.entries()) checkValue(item, [...path, String(index)]);
		return;
	}
	for (const [key, entry] of Object.entries(value)) {
		const field = [...path, key];
		const polluting =
			key === "__proto__" ||
			(key === "constructor" && entry !== null && typeof entry === "object" && "prototype" in entry);
		if (polluting) {
			throw new ProblemError(
				"MALFORMED_REQUEST",
				`The body has a '${key}' key at ${pointer(field)}, which is refused (it could change object prototypes); rename it.`,
			);
		}
		const problem = unstorable(key);
		if (problem) {
			throw new ProblemError("VALIDATION_FAILED", `A name in the body at ${pointer(path)} ${problem}; remove it.`, {
				errors: [{ field: pointer(field), location: "body", message: problem }],
			});
		}
		checkValue(entry, field);
	}
}

/**
 * Parses a JSON request body: broken JSON, nesting deeper than {@link MAX_JSON_BODY_DEPTH} and
 * `__proto__` / `constructor.prototype` keys are 400 MALFORMED_REQUEST; strings with NUL characters or
 * unpaired surrogates (which PostgreSQL refuses, failing the request late) are 400 VALIDATION_FAILED
 * naming the field.
 */
export function parseJsonBody(text: string): unknown {
	if (text.trim() === "") {
		throw new ProblemError(
			"MALFORMED_REQUEST",
			"The body is empty but the content type says JSON; send a JSON document, or no content-type header.",
		);
	}
	const depth = nestingDepth(text);
	if (depth > MAX_JSON_BODY_DEPTH) {
		throw new ProblemError(
			"MALFORMED_REQUEST",
			`The JSON body nests objects and arrays ${depth} levels deep; at most ${MAX_JSON_BODY_DEPTH} are accepted. Flatten the data.`,
		);
	}
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch (error) {
		throw new ProblemError("MALFORMED_REQUEST", `The body is not valid JSON: ${(error as Error).message}.`);
	}
	checkValue(parsed, []);
	return parsed;
}

/** Replaces Fastify's JSON body parser with {@link parseJsonBody} (same body limit). */
export function installJsonBodyParser(app: FastifyInstance): void {
	app.removeContentTypeParser("application/json");
	app.addContentTypeParser("application/json", { parseAs: "string" }, (_request, body, done) => {
		try {
			done(null, parseJsonBody(body as string));
		} catch (error) {
			done(error as Error, undefined);
		}
	});
}
