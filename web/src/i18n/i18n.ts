import { ar, type MessageKey } from "./messages.ar";
import { en } from "./messages.en";

/** The UI languages: Arabic (default, right to left) and English. */
export type Locale = "ar" | "en";
/** Digit shapes in Arabic text: Arabic-Indic (٠١٢) or Latin (012). English always uses Latin. */
export type DigitStyle = "arab" | "latn";

const catalogues: Record<Locale, Record<MessageKey, string>> = { ar, en };
const localeKey = "mizan.locale";
const digitsKey = "mizan.digits";

let locale: Locale = readStored(localeKey, ["ar", "en"], "ar");
let digits: DigitStyle = readStored(digitsKey, ["arab", "latn"], "arab");
const listeners = new Set<() => void>();

function readStored<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
	try {
		const value = localStorage.getItem(key);
		return value && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
	} catch {
		// Storage can be blocked (private mode, sandboxed frames); the defaults still work.
		return fallback;
	}
}

function store(key: string, value: string): void {
	try {
		localStorage.setItem(key, value);
	} catch {
		// see readStored
	}
}

/** The current UI language. */
export function currentLocale(): Locale {
	return locale;
}

/** The digit style actually used: the user's choice in Arabic, Latin in English. */
export function currentDigits(): DigitStyle {
	return locale === "ar" ? digits : "latn";
}

/** The user's digit preference (applies to Arabic). */
export function digitPreference(): DigitStyle {
	return digits;
}

/** Text direction of the current language. */
export function currentDir(): "rtl" | "ltr" {
	return locale === "ar" ? "rtl" : "ltr";
}

/** BCP 47 tag for Intl with the numbering system, e.g. `ar-SA-u-nu-arab`. */
export function intlLocale(calendar?: "islamic-umalqura" | "gregory"): string {
	const base = locale === "ar" ? "ar-SA" : "en";
	const ca = calendar ? `-ca-${calendar}` : "";
	return `${base}-u${ca}-nu-${currentDigits()}`;
}

/** Switches language (persisted), sets `<html lang dir>` and re-renders. */
export function setLocale(next: Locale): void {
	locale = next;
	store(localeKey, next);
	applyToDocument();
	notify();
}

/** Sets the digit preference (persisted) and re-renders. */
export function setDigits(next: DigitStyle): void {
	digits = next;
	store(digitsKey, next);
	notify();
}

/** Writes `lang` and `dir` on `<html>` and the page title. */
export function applyToDocument(): void {
	document.documentElement.lang = locale;
	document.documentElement.dir = currentDir();
	document.title = `${t("app.name")} · ${t("app.tagline")}`;
}

/** Runs `listener` after every language or digit change; returns the unsubscribe function. */
export function onLocaleChange(listener: () => void): () => void {
	listeners.add(listener);
	return () => listeners.delete(listener);
}

function notify(): void {
	for (const listener of [...listeners]) listener();
}

/**
 * The message for `key` in the current language, with `{name}` replaced by `params.name`. Numbers are
 * formatted in the user's digits; strings are inserted as given (IDs stay as they are).
 */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
	const template = catalogues[locale][key] ?? key;
	return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
		const value = params[name];
		if (value === undefined) return whole;
		return typeof value === "number" ? formatNumber(value) : value;
	});
}

/** A number in the current language and digit style. */
export function formatNumber(value: number): string {
	return new Intl.NumberFormat(intlLocale()).format(value);
}

/** The message catalogue of a language (tests compare the two). */
export function catalogue(of: Locale): Record<MessageKey, string> {
	return catalogues[of];
}

export type { MessageKey };
