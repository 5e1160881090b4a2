import { readFile } from "node:fs/promises";
import path from "node:path";
import type { FormDefinition } from "./form-schema";

/**
 * A `formResolver` over a folder of Camunda Forms (`<formId>.form`, e.g. the repository's `forms/`). The
 * engine hands a linked form's id (`zeebe:formDefinition formId`) in the form-key header; an embedded form's
 * key looks like `camunda-forms:bpmn:<id>`. Both resolve to `<folder>/<id>.form`. Files are read once.
 */
export function formFolderResolver(folder: string): (formKey: string) => Promise<FormDefinition | undefined> {
	const cache = new Map<string, Promise<FormDefinition | undefined>>();
	return (formKey) => {
		const id = formKey.replace(/^camunda-forms:bpmn:/, "");
		// Form ids are plain names; anything else (a path) is never looked up.
		if (!/^[A-Za-z0-9_.-]{1,200}$/.test(id) || id.startsWith(".")) return Promise.resolve(undefined);
		let form = cache.get(id);
		if (!form) {
			form = readFile(path.join(folder, `${id}.form`), "utf8").then(
				(text) => JSON.parse(text) as FormDefinition,
				() => undefined,
			);
			cache.set(id, form);
		}
		return form;
	};
}
