/**
 * The one registry of the API's error codes. Every problem-details answer carries one of these codes, and
 * `api/README.md` documents each (`error-registry.test.ts` keeps the two in step). Codes are stable: clients
 * may branch on them. Never rename or reuse a code; add a new one instead.
 */
export const errorRegistry = {
	VALIDATION_FAILED: { status: 400, title: "The request does not match the route's schema" },
	MALFORMED_REQUEST: { status: 400, title: "The request could not be read" },
	FORM_VALIDATION_FAILED: { status: 400, title: "The submitted variables do not satisfy the task's form" },
	UNAUTHENTICATED: { status: 401, title: "A valid bearer token is required" },
	INVALID_CREDENTIALS: { status: 401, title: "Unknown user or wrong password" },
	OIDC_LOGIN_FAILED: { status: 401, title: "The OIDC sign-in could not be completed" },
	FORBIDDEN: { status: 403, title: "Your roles do not allow this" },
	ROUTE_NOT_FOUND: { status: 404, title: "No such route" },
	USER_NOT_FOUND: { status: 404, title: "No such user" },
	CASE_NOT_FOUND: { status: 404, title: "No such case, or not one of your units' cases" },
	PROCESS_DEFINITION_NOT_FOUND: { status: 404, title: "No such process definition" },
	PROCESS_INSTANCE_NOT_FOUND: { status: 404, title: "No such process instance" },
	INCIDENT_NOT_FOUND: { status: 404, title: "No such incident" },
	ENGINE_NOT_FOUND: { status: 404, title: "The engine does not know the thing the command names" },
	USER_TASK_NOT_FOUND: { status: 404, title: "No such user task, or not visible to you" },
	OIDC_NOT_CONFIGURED: { status: 404, title: "OIDC sign-in is not configured" },
	SAVED_FILTER_NOT_FOUND: { status: 404, title: "No such saved filter, or not visible to you" },
	DEPLOYMENT_INVALID: { status: 400, title: "The uploaded files have problems; nothing was deployed" },
	ENGINE_REJECTED: { status: 400, title: "The engine rejected the command as invalid" },
	ENGINE_INVALID_STATE: { status: 409, title: "The engine rejected the command in the current state" },
	USERNAME_TAKEN: { status: 409, title: "The username is already in use" },
	OIDC_ACCOUNT_CONFLICT: { status: 409, title: "A local user already has this username" },
	USER_TASK_NOT_ACTIVE: { status: 409, title: "The user task is already completed or canceled" },
	USER_TASK_ALREADY_ASSIGNED: { status: 409, title: "The user task is assigned to someone else" },
	USER_TASK_NOT_ASSIGNED_TO_YOU: { status: 409, title: "Only the assignee may complete the user task" },
	USER_TASK_JOB_GONE: { status: 409, title: "The engine no longer has the task's job; the task is now canceled" },
	PAYLOAD_TOO_LARGE: { status: 413, title: "The request body is too large" },
	UNSUPPORTED_MEDIA_TYPE: { status: 415, title: "The request's content type is not supported" },
	RATE_LIMITED: { status: 429, title: "Too many requests" },
	INTERNAL_ERROR: { status: 500, title: "Internal error" },
	MONITORING_NOT_AVAILABLE: { status: 501, title: "Monitoring reads need the embedded engine" },
	DATABASE_UNAVAILABLE: { status: 503, title: "The database cannot be reached" },
	ENGINE_UNAVAILABLE: { status: 503, title: "The process engine cannot be reached" },
	OIDC_PROVIDER_UNAVAILABLE: { status: 503, title: "The OIDC provider cannot be reached" },
} as const satisfies Record<string, { status: number; title: string }>;

/** A stable error code. */
export type ErrorCode = keyof typeof errorRegistry;

/** One field error of a 400 answer. */
export interface FieldError {
	/** JSON pointer of the field in the part of the request named by `location` (e.g. `/filter/assignee`). */
	field: string;
	location: string;
	message: string;
}

/**
 * An error that becomes an RFC 9457 problem-details answer with a stable code. Throw it from any route;
 * the app's error handler turns it into `application/problem+json`.
 */
export class ProblemError extends Error {
	override name = "ProblemError";
	readonly statusCode: number;
	constructor(
		readonly code: ErrorCode,
		/** Human-readable explanation: what, why, and what to do. */
		readonly detail: string,
		readonly extra: { errors?: FieldError[]; [key: string]: unknown } = {},
	) {
		super(detail);
		this.statusCode = errorRegistry[code].status;
	}
}
