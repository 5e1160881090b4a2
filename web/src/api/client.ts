/**
 * HTTP client of the Mizan API (`/v2`, Camunda 8 REST v2 conventions). The web app talks to the platform
 * only through this module.
 */

/** One field error of a problem: a JSON pointer (`/variables/nationalId`) and a message. */
export interface FieldError {
	field: string;
	location?: string;
	message: string;
}

/** An RFC 9457 problem answered by the API, with its stable `code`. */
export class ApiProblem extends Error {
	override name = "ApiProblem";
	constructor(
		readonly status: number,
		readonly code: string,
		readonly detail: string,
		readonly errors: FieldError[] = [],
		readonly body: Record<string, unknown> = {},
	) {
		super(`${status} ${code}: ${detail}`);
	}

	/** True when the route does not exist on this server yet (or the object is gone). */
	get isMissingRoute(): boolean {
		return this.status === 404 && (this.code === "ROUTE_NOT_FOUND" || this.code === "NOT_FOUND");
	}
}

/** The server could not be reached at all. */
export class NetworkError extends Error {
	override name = "NetworkError";
}

const tokenKey = "mizan.token";
let token: string | null = readToken();

function readToken(): string | null {
	try {
		return sessionStorage.getItem(tokenKey);
	} catch {
		// No storage (blocked, or not a browser): the session starts signed out.
		return null;
	}
}
let onUnauthenticated: (() => void) | null = null;

/** The bearer token of the session, or null when signed out. */
export function currentToken(): string | null {
	return token;
}

/** Keeps the token for this browser tab only (sessionStorage): closing the tab signs out. */
export function setToken(value: string | null): void {
	token = value;
	if (value) sessionStorage.setItem(tokenKey, value);
	else sessionStorage.removeItem(tokenKey);
}

/** Called when the API answers 401 to a signed-in request (expired or revoked token). */
export function setUnauthenticatedHandler(handler: () => void): void {
	onUnauthenticated = handler;
}

/** Options of {@link api}. */
export interface RequestOptions {
	method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
	body?: unknown;
	/** Sent as is (multipart uploads); `body` is ignored then. */
	formData?: FormData;
	signal?: AbortSignal;
	/** Answer the body as text (CSV, XML) instead of parsing JSON. */
	text?: boolean;
}

/**
 * Calls `path` (e.g. `/v2/user-tasks/search`) with the session's bearer token. Answers the parsed JSON body,
 * or undefined for 204.
 * @throws ApiProblem for every 4xx/5xx answer, NetworkError when the server is unreachable.
 */
export async function api<T = unknown>(path: string, options: RequestOptions = {}): Promise<T> {
	const headers: Record<string, string> = { accept: "application/json, application/problem+json" };
	if (token) headers.authorization = `Bearer ${token}`;
	let body: BodyInit | undefined;
	if (options.formData) body = options.formData;
	else if (options.body !== undefined) {
		headers["content-type"] = "application/json";
		body = JSON.stringify(options.body);
	}
	let response: Response;
	try {
		response = await fetch(path, {
			method: options.method ?? (body ? "POST" : "GET"),
			headers,
			body,
			signal: options.signal,
		});
	} catch (error) {
		if ((error as Error).name === "AbortError") throw error;
		throw new NetworkError(`Could not reach ${path}: ${(error as Error).message}`);
	}
	if (response.status === 204) return undefined as T;
	const text = await response.text();
	if (response.ok && options.text) return text as T;
	let parsed: unknown;
	try {
		parsed = text ? JSON.parse(text) : undefined;
	} catch {
		parsed = undefined;
	}
	if (!response.ok) {
		const problem = (parsed ?? {}) as Record<string, unknown>;
		const error = new ApiProblem(
			response.status,
			typeof problem.code === "string"
				? problem.code
				: response.status === 404
					? "ROUTE_NOT_FOUND"
					: `HTTP_${response.status}`,
			typeof problem.detail === "string" ? problem.detail : response.statusText,
			Array.isArray(problem.errors) ? (problem.errors as FieldError[]) : [],
			problem,
		);
		if (response.status === 401 && token && onUnauthenticated) onUnauthenticated();
		throw error;
	}
	return parsed as T;
}

/** A page of a v2 search answer. */
export interface SearchPage<T> {
	items: T[];
	page: { totalItems: number; endCursor: string | null };
}

/** A v2 search request. */
export interface SearchRequest {
	filter?: Record<string, unknown>;
	sort?: { field: string; order?: "ASC" | "DESC" }[];
	page?: { limit?: number; after?: string };
}

/** `POST {path}` with a v2 search body. */
export function search<T>(path: string, request: SearchRequest): Promise<SearchPage<T>> {
	return api<SearchPage<T>>(path, { method: "POST", body: request });
}
