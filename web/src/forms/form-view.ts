import "@bpmn-io/form-js/dist/assets/form-js.css";
import { Form } from "@bpmn-io/form-js";
import type { FieldError } from "../api/client";
import { type Locale, t } from "../i18n/i18n";
import { formatHijri } from "../format/dates";
import { localizeSchema, variableOfField } from "./form-i18n";

/** A Camunda Form shown with `@bpmn-io/form-js` (viewer). */
export interface FormView {
	/** Runs the form's own validation; answers the data to submit, or null when a field is invalid. */
	submit(): Record<string, unknown> | null;
	/** Shows server field errors on their fields; answers the errors that match no field. */
	showServerErrors(errors: FieldError[]): FieldError[];
	setReadOnly(readOnly: boolean): void;
	/** The values as typed so far (kept when the language changes). */
	data(): Record<string, unknown>;
	destroy(): void;
}

interface RegisteredField {
	id: string;
	type: string;
	key?: string;
	path?: string;
	subtype?: string;
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
	// form-js writes "Select" into empty selects; the page shows its own word instead (see app.css).
	container.style.setProperty("--select-placeholder", JSON.stringify(t("form.selectPlaceholder")));
	const form = new Form({ container });
	await form.importSchema(localizeSchema(schema, locale), data);
	const registry = form.get<{ getAll(): RegisteredField[] }>("formFieldRegistry");
	echoHijri(form, container, registry.getAll());

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
		data() {
			return { ...(form._getState().data as Record<string, unknown>) };
		},
		setReadOnly(readOnly) {
			form.setProperty("readOnly", readOnly);
		},
		destroy() {
			form.destroy();
		},
	};
}

/**
 * form-js date pickers are Gregorian; under each top-level date field the Umm al-Qura date of the value is
 * echoed, so every date the officer enters is also shown in Hijri. Fields and their wrappers are paired in
 * document order (form-js renders components in schema order).
 */
function echoHijri(form: Form, container: HTMLElement, fields: RegisteredField[]): void {
	const dateFields = fields.filter((field) => field.type === "datetime" && field.subtype !== "time" && field.key);
	const wrappers = [...container.querySelectorAll<HTMLElement>(".fjs-form-field-datetime")];
	if (dateFields.length === 0 || dateFields.length !== wrappers.length) return;
	const echoes = wrappers.map((wrapper) => {
		const echo = document.createElement("output");
		echo.className = "hijri-echo";
		wrapper.append(echo);
		return echo;
	});
	const update = () => {
		const data = form._getState().data as Record<string, unknown>;
		dateFields.forEach((field, index) => {
			const value = data[field.key!];
			echoes[index]!.textContent =
				typeof value === "string" && value ? formatHijri(value.length === 10 ? `${value}T12:00:00+03:00` : value) : "";
		});
	};
	form.on("changed", update);
	update();
}
