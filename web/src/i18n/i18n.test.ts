import { describe, expect, it } from "vitest";
import { catalogue, t } from "./i18n";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe("message catalogues", () => {
	it("should give every Arabic key an English text with the same placeholders", () => {
		const ar = catalogue("ar");
		const en = catalogue("en");
		expect(Object.keys(en).sort()).toEqual(Object.keys(ar).sort());
		for (const key of Object.keys(ar) as (keyof typeof ar)[]) {
			expect(en[key].trim(), key).not.toBe("");
			expect(ar[key].trim(), key).not.toBe("");
			expect(placeholders(en[key]), key).toEqual(placeholders(ar[key]));
		}
	});

	it("should write no digits into Arabic messages, so the digit preference decides their shape", () => {
		const withDigits = Object.entries(catalogue("ar")).filter(([, text]) =>
			/[0-9٠-٩]/.test(text.replace(/\{\w+\}/g, "")),
		);
		// The digit preference labels show both shapes on purpose.
		expect(withDigits.map(([key]) => key)).toEqual(["digits.arab", "digits.latn"]);
	});

	it("should format numbers in placeholders with Arabic-Indic digits by default", () => {
		expect(t("tasks.count", { count: 12 })).toBe("عدد المهام: ١٢");
	});
});
