import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Absolute path of the `forms/` folder (Camunda Forms, one `<formId>.form` per user task). */
export const FORMS_DIR = dirname(fileURLToPath(import.meta.url));

/**
 * The translation map kept beside a form in `<formId>.i18n.json`: per language, flat keys — `<key>` the label
 * (date label of a datetime), `<key>.description`, `<key>.<VALUE>` an option's label, `<key>.time` a datetime's
 * time label, `$title` the heading (see forms/README.md; read by web/src/forms/form-i18n.ts).
 */
export interface FormTranslations {
	ar: Record<string, string>;
	en: Record<string, string>;
}

/** The parts of a Camunda Form (form-js schema) that Mizan relies on. */
export interface FormSchema {
	id: string;
	type: string;
	schemaVersion: number;
	executionPlatform: string;
	components: Array<Record<string, unknown>>;
	/** Source language of the labels (always "ar" here). */
	properties?: { language?: string };
}

/** A Camunda Form file. */
export interface FormResource {
	/** The form id, equal to the file name and to `zeebe:formDefinition formId` in the diagrams. */
	id: string;
	/** Absolute path of the `.form` file (deployed to the engine as is). */
	path: string;
}

/** Lists every form in `forms/`, sorted by id. */
export function listForms(dir: string = FORMS_DIR): FormResource[] {
	return readdirSync(dir)
		.filter((name) => name.endsWith(".form"))
		.sort()
		.map((name) => ({ id: name.slice(0, -".form".length), path: join(dir, name) }));
}

/**
 * Reads one form.
 * @throws Error naming the form and the expected file when it does not exist.
 */
export function loadForm(formId: string, dir: string = FORMS_DIR): FormSchema {
	const path = join(dir, `${formId}.form`);
	if (!existsSync(path)) {
		throw new Error(
			`Form '${formId}' does not exist: expected ${path}; a user task references a form that was not added.`,
		);
	}
	return JSON.parse(readFileSync(path, "utf8")) as FormSchema;
}

/**
 * Reads the translation map of a form.
 * @throws Error naming the form when the map is missing, so a form is never shown untranslated.
 */
export function loadFormTranslations(formId: string, dir: string = FORMS_DIR): FormTranslations {
	const path = join(dir, `${formId}.i18n.json`);
	if (!existsSync(path)) {
		throw new Error(`Form '${formId}' has no translation map: expected ${path}; add it next to the .form file.`);
	}
	return JSON.parse(readFileSync(path, "utf8")) as FormTranslations;
}
