import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Absolute path of the `forms/` folder (Camunda Forms, one `<formId>.form` per user task). */
export const FORMS_DIR = dirname(fileURLToPath(import.meta.url));

/** Translations of one form: label texts keyed by field key (see forms/README.md). */
export interface FormTranslations {
	ar: Record<string, string>;
	en: Record<string, string>;
}

/** A Camunda Form file with its translation map. */
export interface FormResource {
	/** The form id, equal to the file name and to `zeebe:formDefinition formId` in the diagrams. */
	id: string;
	/** Absolute path of the `.form` file (deployed to the engine as is). */
	path: string;
	/** Absolute path of the sibling `<id>.i18n.json`. */
	translationsPath: string;
}

/** Lists every form in `forms/`, sorted by id. */
export function listForms(dir: string = FORMS_DIR): FormResource[] {
	return readdirSync(dir)
		.filter((name) => name.endsWith(".form"))
		.sort()
		.map((name) => {
			const id = name.slice(0, -".form".length);
			return { id, path: join(dir, name), translationsPath: join(dir, `${id}.i18n.json`) };
		});
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
