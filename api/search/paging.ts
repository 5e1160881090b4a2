import { ProblemError } from "../errors/error-registry";

/** Schema of `page` in a search request: `{limit, after}` (Camunda 8 REST v2). */
export const pageRequestSchema = {
	type: "object",
	additionalProperties: false,
	properties: {
		limit: { type: "integer", minimum: 1, maximum: 1000, default: 100 },
		after: { type: "string", description: "`endCursor` of the previous page" },
	},
} as const;

/** Schema of `page` in a search answer. */
export const pageResponseSchema = {
	type: "object",
	properties: { totalItems: { type: "integer" }, endCursor: { type: ["string", "null"] } },
	required: ["totalItems", "endCursor"],
} as const;

/** Schema of `sort`: a list of `{field, order}` over the given fields. */
export function sortRequestSchema(fields: readonly string[]) {
	return {
		type: "array",
		maxItems: 4,
		items: {
			type: "object",
			additionalProperties: false,
			properties: {
				field: { type: "string", enum: fields },
				order: { type: "string", enum: ["ASC", "DESC"], default: "ASC" },
			},
			required: ["field"],
		},
	} as const;
}

/** A search page as received. */
export interface PageRequest {
	limit?: number;
	after?: string;
}

/** One sort criterion as received. */
export interface SortRequest<F extends string = string> {
	field: F;
	order?: "ASC" | "DESC";
}

/**
 * Cursors are opaque to clients; they carry the offset of the next page. Offsets keep any sort order
 * pageable; a row inserted meanwhile can shift a page by one, which task lists tolerate.
 */
export function encodeCursor(offset: number): string {
	return Buffer.from(JSON.stringify({ o: offset })).toString("base64url");
}

/** The offset a cursor stands for; 0 without a cursor. @throws ProblemError VALIDATION_FAILED on a forged cursor. */
export function decodeCursor(after: string | undefined): number {
	if (after === undefined) return 0;
	try {
		const value = JSON.parse(Buffer.from(after, "base64url").toString()) as { o?: unknown };
		if (typeof value.o === "number" && Number.isInteger(value.o) && value.o >= 0) return value.o;
	} catch {
		// falls through to the problem below
	}
	throw new ProblemError(
		"VALIDATION_FAILED",
		`page.after "${after}" is not a cursor this API issued; pass the endCursor of the previous page.`,
		{
			errors: [{ field: "/page/after", location: "body", message: "is not a valid cursor" }],
		},
	);
}

/** The `page` of an answer: the cursor of the next page, or null on the last page. */
export function pageOf(
	offset: number,
	returned: number,
	totalItems: number,
): { totalItems: number; endCursor: string | null } {
	const next = offset + returned;
	return { totalItems, endCursor: returned > 0 && next < totalItems ? encodeCursor(next) : null };
}
