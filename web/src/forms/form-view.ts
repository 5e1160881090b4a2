import "@bpmn-io/form-js/dist/assets/form-js.css";
import { Form } from "@bpmn-io/form-js";
import type { FieldError } from "../api/client";
import { type Locale, t } from "../i18n/i18n";
import { formatHijri } from "../format/dates";
import { h } from "../ui/dom";
import { localizeSchema, variableOfField } from "./form-i18n";
import { todayInRiyadh } from "./hijri-calendar";
import { hijriPicker } from "./hijri-picker";

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
	hijriDates(form, container, registry.getAll());

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
 * form-js date pickers are Gregorian. Under each top-level date field the Umm al-Qura date of the value is
 * echoed, and a Hijri month grid ({@link hijriPicker}) picks the day: the form still stores the Gregorian ISO
 * date (the picked day goes through form-js's own date input, so a date-and-time field keeps its time). Fields
 * and their wrappers are paired in document order (form-js renders components in schema order).
 */
function hijriDates(form: Form, container: HTMLElement, fields: RegisteredField[]): void {
	const dateFields = fields.filter((field) => field.type === "datetime" && field.subtype !== "time" && field.key);
	const wrappers = [...container.querySelectorAll<HTMLElement>(".fjs-form-field-datetime")];
	if (dateFields.length === 0 || dateFields.length !== wrappers.length) return;
	const fieldValue = (field: RegisteredField) => (form._getState().data as Record<string, unknown>)[field.key!];
	// A date-and-time field has no value until its time is set too: the picked day is shown meanwhile.
	const picked: Array<string | null> = dateFields.map(() => null);
	const echoes = wrappers.map((wrapper, index) => {
		const field = dateFields[index]!;
		const echo = document.createElement("output");
		echo.className = "hijri-echo";
		const label = wrapper.querySelector("label")?.textContent?.trim() ?? field.key!;
		const picker = hijriPicker({
			label,
			selected: () => {
				const value = fieldValue(field);
				return typeof value === "string" && value ? localDay(value) : picked[index]!;
			},
			onPick: (day) => {
				picked[index] = day;
				const input = wrapper.querySelector<HTMLInputElement & { _flatpickr?: Flatpickr }>("input.flatpickr-input");
				const [year, month, date] = day.split("-").map(Number) as [number, number, number];
				// form-js reads the picked day as a local date (its own date picker does the same).
				input?._flatpickr?.setDate(new Date(year, month - 1, date), true);
				update();
			},
		});
		wrapper.append(h("div", { class: "hijri-field" }, echo, picker));
		return echo;
	});
	function update(): void {
		dateFields.forEach((field, index) => {
			const value = fieldValue(field);
			const day = picked[index];
			echoes[index]!.textContent =
				typeof value === "string" && value
					? formatHijri(value.length === 10 ? `${value}T12:00:00+03:00` : value)
					: day
						? formatHijri(`${day}T12:00:00+03:00`)
						: "";
		});
	}
	form.on("changed", update);
	update();
}

interface Flatpickr {
	setDate(date: Date, triggerChange: boolean): void;
}

/** The calendar day of a stored value: the date itself, or the Riyadh day of an instant. */
function localDay(value: string): string | null {
	if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
	const date = new Date(value);
	return Number.isNaN(date.getTime()) ? null : todayInRiyadh(date);
}
