/** Socket errors of a database connection that could not be made or was cut. */
const socketCodes = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);

/**
 * PostgreSQL SQLSTATEs that say the server is not serving right now: class 08 (connection exception), 57P01
 * admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now (starting up or shutting down).
 */
const unavailableStates = /^(08[0-9A-Z]{3}|57P0[123])$/;

/** Messages of pg and knex for a connection that is gone or could not be had from the pool. */
const unavailableMessages = [
	/Connection terminated/i,
	/Connection ended unexpectedly/i,
	/Client was closed and is not queryable/i,
	/Client has encountered a connection error/i,
	/Timeout acquiring a connection/i,
	/terminating connection due to administrator command/i,
	/the database system is (starting up|shutting down|in recovery mode)/i,
];

/**
 * True when `error` (or an error it wraps, as MikroORM's DriverException and `cause` do) means PostgreSQL
 * cannot be reached or is restarting: a 503 the client may retry, not a 500 bug.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
	const seen = new Set<unknown>();
	let current: unknown = error;
	while (current && typeof current === "object" && !seen.has(current)) {
		seen.add(current);
		const candidate = current as { code?: unknown; sqlState?: unknown; message?: unknown; cause?: unknown; previous?: unknown };
		for (const code of [candidate.code, candidate.sqlState]) {
			if (typeof code === "string" && (socketCodes.has(code) || unavailableStates.test(code))) return true;
		}
		if (typeof candidate.message === "string" && unavailableMessages.some((pattern) => pattern.test(candidate.message as string))) return true;
		current = candidate.cause ?? candidate.previous;
	}
	return false;
}
