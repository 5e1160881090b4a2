import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type FormSchema, type FormTranslations, listForms, loadForm, loadFormTranslations } from "./form.catalog";

interface FormComponent {
	id?: string;
	type: string;
	key?: string;
	path?: string;
	label?: string;
	dateLabel?: string;
	description?: string;
	text?: string;
	values?: Array<{ label: string; value: string }>;
	validate?: Record<string, unknown>;
	properties?: Record<string, string>;
	components?: FormComponent[];
}

const ARABIC = /[\u0600-\u06FF]/;
const SAUDI_ID_PATTERN = "^[12][0-9]{9}$";
const SAUDI_MOBILE_PATTERN = "^(\\+9665|05)[0-9]{8}$";
const INPUT_TYPES = new Set([
	"textfield",
	"textarea",
	"number",
	"checkbox",
	"select",
	"radio",
	"datetime",
	"checklist",
]);

/**
 * Checks one form and its translation map against the conventions of forms/README.md and returns every
 * problem found: shape (components with key, type, label), Arabic labels equal to the `ar` map, an English
 * text for every label, description, option and heading, unique keys, and the domain validations.
 */
function checkForm(file: string, form: FormSchema, i18n: FormTranslations): string[] {
	const problems: string[] = [];
	const report = (what: string) => problems.push(`${file}: ${what}`);
	if (form.type !== "default") report(`type '${form.type}'`);
	if (!(form.schemaVersion >= 16)) report(`schemaVersion ${form.schemaVersion} < 16`);
	if (form.executionPlatform !== "Camunda Cloud") report("executionPlatform");
	if (form.properties?.language !== "ar") report("properties.language must be 'ar'");
	const seen = new Set<string>();
	const translated = (key: string, arabicText: string | undefined) => {
		if (arabicText !== undefined && !ARABIC.test(arabicText)) report(`'${key}' is not labelled in Arabic`);
		if (!i18n.ar?.[key]) report(`ar['${key}'] missing`);
		else if (arabicText !== undefined && i18n.ar[key] !== arabicText) report(`ar['${key}'] differs from the form`);
		if (!i18n.en?.[key]) report(`en['${key}'] missing`);
		else if (ARABIC.test(i18n.en[key])) report(`en['${key}'] is not English`);
	};
	translated("$title", undefined);

	const walk = (components: FormComponent[]) => {
		for (const c of components) {
			if (c.type === "text" || c.type === "spacer" || c.type === "separator") continue;
			const name = c.type === "dynamiclist" ? c.path : c.key;
			if (!name || !/^[a-z][A-Za-z0-9]*$/.test(name)) {
				report(`component ${c.id} has no camelCase key`);
				continue;
			}
			// The map is flat, so a key may appear only once per form (also inside dynamic lists).
			if (seen.has(name)) report(`key '${name}' is used twice`);
			seen.add(name);
			if (c.type === "dynamiclist") {
				if (!c.components?.length) report(`dynamic list ${name} without components`);
				translated(name, c.label);
				walk(c.components ?? []);
				continue;
			}
			if (!INPUT_TYPES.has(c.type)) report(`component ${c.id} has unexpected type '${c.type}'`);
			translated(name, c.type === "datetime" ? c.dateLabel : c.label);
			if (c.type === "datetime") translated(`${name}.time`, undefined);
			if (c.description) translated(`${name}.description`, c.description);
			for (const option of c.values ?? []) translated(`${name}.${option.value}`, option.label);
			if (c.properties?.["mizan:validate"] === "saudi-id-luhn" && c.validate?.pattern !== SAUDI_ID_PATTERN) {
				report(`'${name}' must use the Saudi ID/Iqama pattern`);
			}
			if (/NationalId$/.test(name) && c.properties?.["mizan:validate"] !== "saudi-id-luhn") {
				report(`'${name}' must ask the server for the Luhn check (properties mizan:validate)`);
			}
			if (/Phone$/.test(name) && c.validate?.pattern !== SAUDI_MOBILE_PATTERN)
				report(`'${name}' needs the mobile pattern`);
			const { min, max } = (c.validate ?? {}) as { min?: number; max?: number };
			if (c.type === "number" && (typeof min !== "number" || typeof max !== "number" || min > max)) {
				report(`'${name}' needs min and max`);
			}
		}
	};
	walk((form.components ?? []) as unknown as FormComponent[]);
	return problems;
}

const forms = listForms();

describe("Camunda forms", () => {
	it("there is one form per user task of the processes (38)", () => {
		expect(forms).toHaveLength(38);
	});

	it.each(forms.map((f) => [f.id, f.path]))(
		"%s parses, has the expected shape and ar/en texts for every label",
		(id, path) => {
			const form = JSON.parse(readFileSync(path, "utf8")) as FormSchema;
			expect(form.id).toBe(id);
			const problems = checkForm(`${id}.form`, form, loadFormTranslations(id));
			expect(problems, problems.join("\n")).toEqual([]);
		},
	);

	it("validates national IDs, phones and numeric limits where the domain needs them", () => {
		const text = forms.map((f) => readFileSync(f.path, "utf8")).join("\n");
		expect(text).toContain(JSON.stringify(SAUDI_ID_PATTERN));
		expect(text).toContain(JSON.stringify(SAUDI_MOBILE_PATTERN));
		const destroy = loadForm("destroy-evidence").components as unknown as FormComponent[];
		const witnesses = destroy.filter((c) => /^witness\dNationalId$/.test(c.key ?? ""));
		expect(witnesses.map((w) => w.validate?.required)).toEqual([true, true]);
		const extension = loadForm("prepare-extension").components as unknown as FormComponent[];
		expect(extension.find((c) => c.key === "requestedPeriodDays")?.validate).toMatchObject({ min: 1, max: 30 });
	});

	it("the checker reports a missing translation, a non-Arabic label and a weak ID field", () => {
		const form: FormSchema = {
			id: "x",
			type: "default",
			schemaVersion: 16,
			executionPlatform: "Camunda Cloud",
			properties: { language: "ar" },
			components: [
				{ id: "Field_title", type: "text", text: "### عنوان" },
				{ id: "a", type: "textfield", key: "ownerNationalId", label: "Owner", validate: { pattern: "^[0-9]+$" } },
			],
		};
		expect(checkForm("x.form", form, { ar: { $title: "عنوان" }, en: { $title: "عنوان" } })).toEqual([
			"x.form: en['$title'] is not English",
			"x.form: 'ownerNationalId' is not labelled in Arabic",
			"x.form: ar['ownerNationalId'] missing",
			"x.form: en['ownerNationalId'] missing",
			"x.form: 'ownerNationalId' must ask the server for the Luhn check (properties mizan:validate)",
		]);
		expect(() => loadForm("no-such-form")).toThrow(/no-such-form/);
		expect(() => loadFormTranslations("no-such-form")).toThrow(/no-such-form/);
	});
});
