// Saudi national IDs (1…) and Iqama numbers (2…) are ten digits (domain.md §3.1). Anything shaped like one is
// masked wherever it might be written to the audit log or a log line (PDPL: sensitive personal data).
const nationalIdPattern = /(?<![0-9])([12])[0-9]{5}([0-9]{4})(?![0-9])/g;

/** Replaces every national ID or Iqama number in a string with `1*****1234`. */
export function maskNationalIdsInText(text: string): string {
	return text.replace(nationalIdPattern, (_match, first: string, last: string) => `${first}*****${last}`);
}

/** A deep copy of a JSON-like value with national IDs masked in every string and every number of ten digits. */
export function maskNationalIds<T>(value: T): T {
	if (typeof value === "string") return maskNationalIdsInText(value) as T;
	if (typeof value === "number" && Number.isInteger(value) && /^[12][0-9]{9}$/.test(String(value))) {
		return maskNationalIdsInText(String(value)) as T;
	}
	if (Array.isArray(value)) return value.map((item) => maskNationalIds(item)) as T;
	if (value && typeof value === "object" && !(value instanceof Date)) {
		return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskNationalIds(item)])) as T;
	}
	return value;
}
