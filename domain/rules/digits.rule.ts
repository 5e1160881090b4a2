/** Arabic-Indic (U+0660–0669) and Extended Arabic-Indic / Persian (U+06F0–06F9) digits. */
const NON_ASCII_DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/g;

/**
 * Replaces Arabic-Indic and Extended Arabic-Indic digits with ASCII digits; everything else is kept.
 * Officers type identifiers with whichever keyboard they have (domain.md §3.3), so every validator
 * normalises first.
 * @example toAsciiDigits("١٠٠٠٠٠٠١٠٧") // "1000000107"
 */
export function toAsciiDigits(text: string): string {
	// Both blocks end in 0..9 in their low nibble: U+0660 & 0xF = 0, U+06F0 & 0xF = 0.
	return text.replace(NON_ASCII_DIGITS, (ch) => String(ch.charCodeAt(0) & 0xf));
}

/**
 * Luhn (mod 10) check digit for a string of ASCII digits: the digit that, appended, makes the whole
 * number Luhn-valid.
 * @example luhnCheckDigit("1447000153") // 9
 */
export function luhnCheckDigit(payload: string): number {
	assertDigits(payload, "luhnCheckDigit");
	let sum = 0;
	for (let i = 0; i < payload.length; i++) {
		// Counting from the right of the payload, every first, third, … digit is doubled, because the
		// check digit will take the rightmost (undoubled) position.
		let digit = payload.charCodeAt(payload.length - 1 - i) - 48;
		if (i % 2 === 0) {
			digit *= 2;
			if (digit > 9) digit -= 9;
		}
		sum += digit;
	}
	return (10 - (sum % 10)) % 10;
}

/** Whether a string of ASCII digits (check digit last) passes the Luhn test. */
export function isLuhnValid(number: string): boolean {
	if (!/^\d{2,}$/.test(number)) return false;
	return luhnCheckDigit(number.slice(0, -1)) === number.charCodeAt(number.length - 1) - 48;
}

function assertDigits(value: string, where: string): void {
	if (!/^\d+$/.test(value)) {
		throw new Error(`${where}: expected ASCII digits only, got '${value}'; normalise with toAsciiDigits() first`);
	}
}
