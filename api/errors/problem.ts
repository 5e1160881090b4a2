import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { isDatabaseUnavailable } from "./database-unavailable";
import { type ErrorCode, errorRegistry, type FieldError, ProblemError } from "./error-registry";

/** JSON schema of a problem-details body; routes reference it as `{ $ref: "Problem#" }`. */
export const problemSchema = {
	$id: "Problem",
	type: "object",
	description: "RFC 9457 problem details with a stable `code` (see the error codes in api/README.md)",
	properties: {
		type: { type: "string" },
		title: { type: "string" },
		status: { type: "integer" },
		code: { type: "string", enum: Object.keys(errorRegistry) },
		detail: { type: "string" },
		instance: { type: "string" },
		requestId: { type: "string" },
		errors: {
			type: "array",
			items: {
				type: "object",
				properties: { field: { type: "string" }, location: { type: "string" }, message: { type: "string" } },
				required: ["field", "location", "message"],
			},
		},
	},
	required: ["type", "title", "status", "code", "detail"],
	additionalProperties: true,
} as const;

/** Response schemas for the problem statuses a route can answer, to spread into `schema.response`. */
export function problemResponses(...statuses: number[]): Record<number, { $ref: string }> {
	return Object.fromEntries([400, 401, 403, 429, 500, ...statuses].map((status) => [status, { $ref: "Problem#" }]));
}

/** Writes a problem-details answer. */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: ProblemError): FastifyReply {
	const entry = errorRegistry[error.code];
	return reply
		.code(entry.status)
		.type("application/problem+json")
		.send({
			type: `urn:mizan:problem:${error.code.toLowerCase().replaceAll("_", "-")}`,
			title: entry.title,
			status: entry.status,
			code: error.code,
			detail: error.detail,
			instance: request.url.split("?")[0],
			requestId: request.id,
			...error.extra,
		});
}

/** Turns Ajv errors into one field error each, naming the field by JSON pointer. */
export function fieldErrors(error: FastifyError): FieldError[] {
	const location = error.validationContext ?? "body";
	return (error.validation ?? []).map((item) => {
		const params = item.params as Record<string, unknown>;
		let field = item.instancePath || "";
		if (typeof params.missingProperty === "string") field = `${field}/${params.missingProperty}`;
		if (typeof params.additionalProperty === "string") field = `${field}/${params.additionalProperty}`;
		const message =
			typeof params.additionalProperty === "string"
				? "is not an allowed property"
				: typeof params.allowedValues === "object"
					? `must be one of ${(params.allowedValues as unknown[]).join(", ")}`
					: (item.message ?? "is not valid");
		return { field: field || "/", location, message };
	});
}

const fastifyCodes: Record<string, ErrorCode> = {
	FST_ERR_CTP_BODY_TOO_LARGE: "PAYLOAD_TOO_LARGE",
	FST_ERR_CTP_INVALID_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
	FST_ERR_CTP_INVALID_CONTENT_LENGTH: "MALFORMED_REQUEST",
	FST_ERR_CTP_EMPTY_JSON_BODY: "MALFORMED_REQUEST",
	FST_ERR_CTP_INVALID_JSON_BODY: "MALFORMED_REQUEST",
	// @fastify/multipart: a file, or the number of files, parts or fields, over the route's limits.
	FST_REQ_FILE_TOO_LARGE: "PAYLOAD_TOO_LARGE",
	FST_FILES_LIMIT: "PAYLOAD_TOO_LARGE",
	FST_PARTS_LIMIT: "PAYLOAD_TOO_LARGE",
	FST_FIELDS_LIMIT: "PAYLOAD_TOO_LARGE",
};

/**
 * Makes every error an RFC 9457 problem: ProblemErrors as they are, schema failures as 400 listing every
 * field error, Fastify's own client errors mapped to a code, anything else a 500 whose detail reveals nothing
 * but the request id (the log line carries the error).
 */
export function installProblemHandlers(
	app: FastifyInstance,
	/** Serves the web app's shell for browser navigation to unknown paths (see api/web). */
	webFallback?: { wants: (request: FastifyRequest) => boolean; send: (reply: FastifyReply) => unknown },
): void {
	app.addSchema(problemSchema);
	app.setErrorHandler((error: FastifyError, request, reply) => {
		if (error instanceof ProblemError) return sendProblem(request, reply, error);
		if (error.validation) {
			const errors = fieldErrors(error);
			const summary = errors.map((item) => `${item.field} ${item.message}`).join("; ");
			return sendProblem(
				request,
				reply,
				new ProblemError(
					"VALIDATION_FAILED",
					`The ${error.validationContext ?? "request"} is not valid: ${summary}. Fix these fields and retry.`,
					{
						errors,
					},
				),
			);
		}
		const mapped = error.code ? fastifyCodes[error.code] : undefined;
		if (mapped) return sendProblem(request, reply, new ProblemError(mapped, error.message));
		if (error.statusCode === 429) return sendProblem(request, reply, new ProblemError("RATE_LIMITED", error.message));
		if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
			return sendProblem(request, reply, new ProblemError("MALFORMED_REQUEST", error.message));
		}
		if (isDatabaseUnavailable(error)) {
			request.log.warn({ err: error }, "database unavailable");
			reply.header("retry-after", "1");
			return sendProblem(
				request,
				reply,
				new ProblemError(
					"DATABASE_UNAVAILABLE",
					"The database cannot be reached right now (restarting or down); nothing was changed. Retry in a moment.",
				),
			);
		}
		request.log.error({ err: error }, "request failed");
		return sendProblem(
			request,
			reply,
			new ProblemError(
				"INTERNAL_ERROR",
				`The server failed to handle this request; quote request id ${request.id} when reporting it.`,
			),
		);
	});
	app.setNotFoundHandler((request, reply) =>
		webFallback?.wants(request) ? webFallback.send(reply) : sendProblem(
			request,
			reply,
			new ProblemError(
				"ROUTE_NOT_FOUND",
				`There is no route ${request.method} ${request.url.split("?")[0]}; see /docs for the API.`,
			),
		),
	);
}
