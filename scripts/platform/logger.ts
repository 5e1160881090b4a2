import pino, { type DestinationStream, type Logger } from "pino";
import { maskNationalIdsInText } from "../../api/audit/mask";

/** Options of {@link createLogger}. */
export interface LoggerOptions {
	level: string;
	/** auto = pretty when stdout is a terminal. */
	format: "auto" | "json" | "pretty";
	/** Where JSON lines go instead of stdout (tests). */
	destination?: DestinationStream;
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

/** Masks national IDs in a written JSON line; a bare ten-digit number becomes a string so the line stays JSON. */
function maskLine(line: string): string {
	return maskNationalIdsInText(line.replace(/([:[,])([12][0-9]{9})(?=[,}\]])/g, '$1"$2"'));
}

/**
 * The platform's root logger; each part logs through `logger.child({ part })`. Besides the redacted paths, every
 * national ID or Iqama number anywhere in a line (a URL, a message, an error) is masked (`1*****2345`) as the line
 * is written, as in the audit log.
 */
export function createLogger(options: LoggerOptions): Logger {
	const pretty = !options.destination && (options.format === "pretty" || (options.format === "auto" && process.stdout.isTTY));
	const settings = {
		level: options.level,
		redact: { paths: redactedPaths, censor: "[redacted]" },
		base: { app: "mizan" },
		hooks: { streamWrite: maskLine },
		...(pretty ? { transport: { target: "pino-pretty", options: { translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname,app" } } } : {}),
	};
	return options.destination ? pino(settings, options.destination) : pino(settings);
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
