import pino, { type Logger } from "pino";

/** Options of {@link createLogger}. */
export interface LoggerOptions {
	level: string;
	/** auto = pretty when stdout is a terminal. */
	format: "auto" | "json" | "pretty";
}

/**
 * Paths that never reach a log line: credentials, tokens and national identifiers (SECURITY: case data is
 * sensitive personal data under the PDPL).
 */
export const redactedPaths = [
	"password",
	"*.password",
	"token",
	"*.token",
	"secret",
	"*.secret",
	"req.headers.authorization",
	"req.headers.cookie",
	"headers.authorization",
	"nationalId",
	"*.nationalId",
	"idNumber",
	"*.idNumber",
	"DATABASE_URL",
	"databaseUrl",
	"*.databaseUrl",
];

/** The platform's root logger; each part logs through `logger.child({ part })`. */
export function createLogger(options: LoggerOptions): Logger {
	const pretty = options.format === "pretty" || (options.format === "auto" && process.stdout.isTTY);
	return pino({
		level: options.level,
		redact: { paths: redactedPaths, censor: "[redacted]" },
		base: { app: "mizan" },
		...(pretty ? { transport: { target: "pino-pretty", options: { translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname,app" } } } : {}),
	});
}

/** Hides the password of a connection URL for logs and errors. */
export function safeUrl(url: string): string {
	try {
		const parsed = new URL(url);
		if (parsed.password) parsed.password = "***";
		return parsed.toString();
	} catch {
		return "(unparsable URL)";
	}
}
