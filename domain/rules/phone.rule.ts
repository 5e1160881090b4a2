import { type NumberType, parsePhoneNumberFromString } from "libphonenumber-js/max";
import { toAsciiDigits } from "./digits.rule";

/** A phone number checked with the full libphonenumber metadata (domain.md §3.4). */
export type PhoneParse =
	| {
			valid: true;
			/** Store this: `+966501234567`. */
			e164: string;
			type: NonNullable<NumberType>;
			/** Display in Arabic UIs inside an LTR isolate: `050 123 4567`. */
			national: string;
			/** Only mobile numbers can receive SMS. */
			smsCapable: boolean;
	  }
	| { valid: false; input: string; message: string };

/**
 * Parses a phone number, Saudi by default (`0501234567`, `+966 55 123 4567`, `920012345`).
 * Emergency short numbers (911, 999) are not party phone numbers and are rejected.
 */
export function parsePhone(raw: string, defaultCountry: "SA" | "AE" | "BH" | "KW" | "OM" | "QA" = "SA"): PhoneParse {
	const input = toAsciiDigits(raw).trim();
	const phone = parsePhoneNumberFromString(input, defaultCountry);
	if (!phone?.isValid()) {
		return {
			valid: false,
			input,
			message: `Phone number '${input}' is not a valid number; Saudi mobiles look like 05XXXXXXXX or +9665XXXXXXXX`,
		};
	}
	const type = phone.getType() ?? "FIXED_LINE_OR_MOBILE";
	return {
		valid: true,
		e164: phone.number,
		type,
		national: phone.formatNational(),
		smsCapable: type === "MOBILE" || type === "FIXED_LINE_OR_MOBILE",
	};
}

/** The E.164 form of a phone number; throws with the reason when it is invalid. */
export function toE164(raw: string): string {
	const result = parsePhone(raw);
	if (!result.valid) throw new Error(result.message);
	return result.e164;
}
