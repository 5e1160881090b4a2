import * as grpc from "@grpc/grpc-js";
import type { EngineRecord } from "../core/contract";
import { DEFAULT_TENANT } from "../core/protocol";
import { EngineBackPressureError, EngineProcessingError, EngineUnavailableError } from "../runtime/runtime-errors";

/** An error with a gRPC status, sent to the client as it is. */
export class GatewayError extends Error {
	constructor(
		readonly code: grpc.status,
		message: string,
	) {
		super(message);
	}
}

/** INVALID_ARGUMENT telling the client what to fix. */
export function invalidArgument(message: string): GatewayError {
	return new GatewayError(grpc.status.INVALID_ARGUMENT, message);
}

/** Largest `variables` document accepted by one request, in UTF-8 bytes of its JSON text. */
export const MAX_VARIABLES_BYTES = 1024 * 1024;

/** Deepest nesting of objects and arrays accepted in a `variables` document (`{"a": {"b": 1}}` is 2). */
export const MAX_VARIABLES_DEPTH = 64;

/**
 * The nesting depth of a JSON text, counted on the text without recursion (a value nested a million
 * levels deep must not overflow the stack of whoever looks at it later: JSON.stringify, PostgreSQL).
 */
export function jsonNestingDepth(text: string): number {
	let depth = 0;
	let deepest = 0;
	let inString = false;
	for (let index = 0; index < text.length; index++) {
		const char = text.charCodeAt(index);
		if (inString) {
			if (char === 92 /* \\ */) index++;
			else if (char === 34 /* " */) inString = false;
		} else if (char === 34) inString = true;
		else if (char === 123 /* { */ || char === 91 /* [ */) {
			depth++;
			if (depth > deepest) deepest = depth;
		} else if (char === 125 /* } */ || char === 93 /* ] */) depth--;
	}
	return deepest;
}

/**
 * A JSON-object text field (`variables`): empty means `{}`; anything that is not a JSON object is
 * INVALID_ARGUMENT, as in Zeebe's gateway. Documents larger than {@link MAX_VARIABLES_BYTES} or nested
 * deeper than {@link MAX_VARIABLES_DEPTH} are INVALID_ARGUMENT too.
 */
export function parseJsonObject(text: string | undefined, field: string): Record<string, unknown> {
	if (text === undefined || text.trim() === "") return {};
	const bytes = Buffer.byteLength(text, "utf8");
	if (bytes > MAX_VARIABLES_BYTES) {
		throw invalidArgument(
			`Expected '${field}' to be at most ${MAX_VARIABLES_BYTES} bytes of JSON, but it has ${bytes}. Keep large data (documents, files) outside the process and pass a reference.`,
		);
	}
	const depth = jsonNestingDepth(text);
	if (depth > MAX_VARIABLES_DEPTH) {
		throw invalidArgument(`Expected '${field}' to nest objects and arrays at most ${MAX_VARIABLES_DEPTH} levels deep, but it nests ${depth}. Flatten the data.`);
	}
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch (error) {
		throw invalidArgument(`Expected '${field}' to be a JSON object text such as '{"amount": 12}', but it is not valid JSON: ${(error as Error).message}`);
	}
	if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
		throw invalidArgument(`Expected '${field}' to be a JSON object text such as '{"amount": 12}', but got ${parsed === null ? "null" : Array.isArray(parsed) ? "an array" : `a ${typeof parsed}`}.`);
	}
	checkVariableText(parsed, field, "$");
	return parsed as Record<string, unknown>;
}

/** An int64 key from the wire (zeebe-node sends decimal strings). Zeebe keys are positive. */
export function parseKey(value: string | number | undefined, field: string): number {
	const key = typeof value === "number" ? value : Number(value ?? "0");
	if (!Number.isSafeInteger(key) || key <= 0) {
		throw invalidArgument(`Expected '${field}' to be a Zeebe key (a positive 64-bit integer as returned by the engine), but got '${value ?? ""}'.`);
	}
	return key;
}

/** A plain int64 number field (time-outs, back-offs). */
export function parseLong(value: string | number | undefined): number {
	const parsed = typeof value === "number" ? value : Number(value ?? "0");
	return Number.isFinite(parsed) ? parsed : 0;
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why a text cannot be stored, or null: PostgreSQL's JSON refuses the NUL character and unpaired UTF-16
 * surrogates (`"\\ud800"`), so one such string would make the commit of a whole batch fail (every
 * command in it answered UNAVAILABLE, again on each retry). They are refused at the gateway instead.
 */
export function unstorableText(text: string): string | null {
	if (text.includes("\u0000")) return "contains the NUL character (U+0000)";
	if (loneSurrogate.test(text)) return "contains an unpaired UTF-16 surrogate (not valid Unicode)";
	return null;
}

/** Every string of a request (field values, not bytes) must be storable; the error names the field. */
export function checkRequestText(value: unknown, path = "request", depth = 0): void {
	if (typeof value === "string") {
		const problem = unstorableText(value);
		if (problem) throw invalidArgument(`Expected '${path}' to be text that can be stored, but it ${problem}.`);
	} else if (Array.isArray(value)) {
		if (depth < 8) for (const [index, item] of value.entries()) checkRequestText(item, `${path}[${index}]`, depth + 1);
	} else if (value !== null && typeof value === "object" && !(value instanceof Uint8Array)) {
		if (depth < 8)
			for (const [key, entry] of Object.entries(value)) checkRequestText(entry, depth === 0 ? key : `${path}.${key}`, depth + 1);
	}
}

/** Every key and string value inside a parsed `variables` document must be storable. */
function checkVariableText(value: unknown, field: string, path: string): void {
	if (typeof value === "string") {
		const problem = unstorableText(value);
		if (problem) throw invalidArgument(`Expected '${field}' to hold only text that can be stored, but the value at '${path}' ${problem}.`);
	} else if (Array.isArray(value)) {
		for (const [index, item] of value.entries()) checkVariableText(item, field, `${path}[${index}]`);
	} else if (value !== null && typeof value === "object") {
		for (const [key, entry] of Object.entries(value)) {
			const problem = unstorableText(key);
			if (problem) throw invalidArgument(`Expected '${field}' to hold only text that can be stored, but a name inside '${path}' ${problem}.`);
			checkVariableText(entry, field, `${path}.${key}`);
		}
	}
}

/** Longest deployment resource name accepted (a file name, optionally with folders). */
export const MAX_RESOURCE_NAME_LENGTH = 255;

/**
 * A deployment resource: a printable name of bounded length and non-empty text content. Paths are
 * kept verbatim as Zeebe does (zbctl sends the path it was given); the name is a label, never used
 * as a file path — anything exporting resources to files must make its own file names.
 */
export function checkResource(resourceName: string, content: Uint8Array | undefined): void {
	const shown = JSON.stringify(resourceName.slice(0, 80));
	if (resourceName.length > MAX_RESOURCE_NAME_LENGTH)
		throw invalidArgument(`Expected the resource name ${shown}… to be at most ${MAX_RESOURCE_NAME_LENGTH} characters, but it has ${resourceName.length}.`);
	// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused.
	if (/[\u0000-\u001f\u007f]/.test(resourceName))
		throw invalidArgument(`Expected the resource name ${shown} to be a file name, but it contains control characters.`);
	if (!content || content.length === 0) throw invalidArgument(`Expected the resource ${shown} to have content, but it is empty.`);
	const text = Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString("utf8");
	if (text.includes("\u0000"))
		throw invalidArgument(`Expected the resource ${shown} to be a text file (BPMN or DMN XML, form JSON), but it contains NUL bytes; it looks binary.`);
	// XML character references to NUL or to a surrogate would put unstorable text into ids and names.
	if (unstorableCharacterReference(text))
		throw invalidArgument(`Expected the resource ${shown} to hold only valid XML characters, but it has a character reference to NUL or to a UTF-16 surrogate.`);
}

/** true when the XML text references the NUL character or a surrogate (`&#0;`, `&#xD800;`). */
function unstorableCharacterReference(text: string): boolean {
	for (const match of text.matchAll(/&#(x[0-9a-f]+|[0-9]+);/gi)) {
		const reference = match[1] as string;
		const code = reference[0] === "x" || reference[0] === "X" ? Number.parseInt(reference.slice(1), 16) : Number(reference);
		if (code === 0 || (code >= 0xd800 && code <= 0xdfff)) return true;
	}
	return false;
}

/** With multi-tenancy off, only the default tenant exists: `""` and `<default>` are accepted. */
export function checkTenant(tenantId: string | undefined): string {
	if (tenantId === undefined || tenantId === "" || tenantId === DEFAULT_TENANT) return DEFAULT_TENANT;
	throw invalidArgument(`Expected 'tenantId' to be empty or '${DEFAULT_TENANT}' because multi-tenancy is disabled, but got '${tenantId}'. Leave it empty.`);
}

/** Zeebe's rejection → gRPC status mapping (GrpcErrorMapper). */
const rejectionStatus: Record<string, grpc.status> = {
	INVALID_ARGUMENT: grpc.status.INVALID_ARGUMENT,
	NOT_FOUND: grpc.status.NOT_FOUND,
	ALREADY_EXISTS: grpc.status.ALREADY_EXISTS,
	INVALID_STATE: grpc.status.FAILED_PRECONDITION,
	PROCESSING_ERROR: grpc.status.INTERNAL,
	EXCEEDED_BATCH_RECORD_SIZE: grpc.status.RESOURCE_EXHAUSTED,
};

/** The answer record, or a GatewayError when it is a rejection. */
export function acceptedOrThrow(record: EngineRecord): EngineRecord {
	if (record.recordType !== "COMMAND_REJECTION") return record;
	const type = record.rejectionType ?? "PROCESSING_ERROR";
	throw new GatewayError(rejectionStatus[type] ?? grpc.status.INTERNAL, `Command '${record.intent}' rejected with code '${type}': ${record.rejectionReason ?? ""}`);
}

/** Any error thrown while serving a call, as a gRPC status object. */
export function toServiceError(error: unknown): Partial<grpc.StatusObject> {
	if (error instanceof GatewayError) return { code: error.code, details: error.message };
	if (error instanceof EngineBackPressureError) return { code: grpc.status.RESOURCE_EXHAUSTED, details: error.message };
	if (error instanceof EngineUnavailableError) return { code: grpc.status.UNAVAILABLE, details: error.message };
	if (error instanceof EngineProcessingError) return { code: grpc.status.INTERNAL, details: error.message };
	return { code: grpc.status.INTERNAL, details: `Unexpected error in the gateway: ${(error as Error)?.message ?? String(error)}` };
}
