import "@bpmn-io/form-js/dist/assets/form-js.css";
import { Form } from "@bpmn-io/form-js";
import type { FieldError } from "../api/client";
import type { Locale } from "../i18n/i18n";
import { localizeSchema, variableOfField } from "./form-i18n";

/** A Camunda Form shown with `@bpmn-io/form-js` (viewer). */
export interface FormView {
	/** Runs the form's own validation; answers the data to submit, or null when a field is invalid. */
	submit(): Record<string, unknown> | null;
	/** Shows server field errors on their fields; answers the errors that match no field. */
	showServerErrors(errors: FieldError[]): FieldError[];
	setReadOnly(readOnly: boolean): void;
	destroy(): void;
}

interface RegisteredField {
	id: string;
	key?: string;
	path?: string;
}

/**
 * Renders `schema` (form-js JSON) with `data` into `container`, with the labels of `locale`. The container
 * inherits `dir` from the page, so the form lays out right to left in Arabic.
 */
export async function renderForm(
	container: HTMLElement,
	schema: Record<string, unknown>,
	data: Record<string, unknown>,
	locale: Locale,
): Promise<FormView> {
	const form = new Form({ container });
	await form.importSchema(localizeSchema(schema, locale), data);
	const registry = form.get<{ getAll(): RegisteredField[] }>("formFieldRegistry");

	return {
		submit() {
			const result = form.submit();
			return Object.keys(result.errors).length > 0 ? null : (result.data as Record<string, unknown>);
		},
		showServerErrors(errors) {
			const byField: Record<string, string[]> = {};
			const unmatched: FieldError[] = [];
			const fields = registry.getAll();
			for (const error of errors) {
				const name = variableOfField(error.field);
				const field = fields.find(
					(candidate) => candidate.key === name || candidate.path === name || candidate.key === name.split(".").pop(),
				);
				if (field) (byField[field.id] ??= []).push(error.message);
				else unmatched.push(error);
			}
			// form-js keeps field errors in its state (by field id); validate() sets them the same way.
			const state = form._getState();
			form._setState({ errors: { ...state.errors, ...byField } });
			return unmatched;
		},
		setReadOnly(readOnly) {
			form.setProperty("readOnly", readOnly);
		},
		destroy() {
			form.destroy();
		},
	};
}
