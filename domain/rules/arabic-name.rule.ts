/** Harakat, tanwin, shadda, sukun, superscript alef and Quranic marks (U+0610–061A, U+064B–065F, U+0670, U+06D6–06ED). */
const DIACRITICS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED]/g;
const TATWEEL = /\u0640/g;

/**
 * Normalises an Arabic (or Latin) name for search, so the spellings people actually type meet
 * (domain.md §3.3):
 * - diacritics and tatweel are removed (مُحَمَّد, محـمد → محمد)
 * - alef with hamza or madda, and wasla, become bare alef (أحمد, إبراهيم, آل → احمد, ابراهيم, ال)
 * - hamza on waw/ya become waw/ya (مؤمن → مومن, هانئ → هاني)
 * - ta marbuta becomes ha (فاطمة → فاطمه), alef maqsura becomes ya (مصطفى → مصطفي)
 * - Persian/Urdu letter forms become Arabic ones (ک → ك, ی → ي)
 * - Latin is lower-cased with accents removed; spaces collapse; `عبد الله` and `عبدالله` both become `عبدالله`.
 * Use it on both the stored search column and the query; never show the result to people.
 */
export function normaliseNameForSearch(name: string): string {
	const arabic = name
		.normalize("NFC")
		.replace(DIACRITICS, "")
		.replace(TATWEEL, "")
		.replace(/[أإآٱ]/g, "ا")
		.replace(/ؤ/g, "و")
		.replace(/ئ/g, "ي")
		.replace(/ة/g, "ه")
		.replace(/ى/g, "ي")
		.replace(/ک/g, "ك")
		.replace(/ی/g, "ي");
	const latin = arabic
		.normalize("NFD")
		.replace(/[\u0300-\u036f]/g, "")
		.toLowerCase()
		.replace(/['’ʿʻ`-]/g, "");
	return (
		latin
			.replace(/\s+/g, " ")
			.trim()
			// Compound names are written joined or split: عبد الله / عبدالله, Abd Allah / Abdallah.
			.replace(/(^| )عبد (?=\S)/g, "$1عبد")
			.replace(/(^| )abd (?=\S)/g, "$1abd")
	);
}

/** Name parts of a person, Arabic required, Latin optional (as on the Iqama or passport). */
export interface NameParts {
	first: string;
	father?: string | null;
	grandfather?: string | null;
	family?: string | null;
}

/** Joins name parts in order, skipping empty ones: «فهد عبدالله محمد القحطاني». */
export function joinNameParts(parts: NameParts): string {
	return [parts.first, parts.father, parts.grandfather, parts.family]
		.filter((part): part is string => !!part && part.trim() !== "")
		.map((part) => part.trim())
		.join(" ");
}
