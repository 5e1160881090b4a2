import type { Locale } from "../i18n/i18n";

type Json = Record<string, unknown>;

/**
 * A form's translation map as kept beside it in `forms/<formId>.i18n.json`: per language, flat keys —
 * `<key>` the label (the date label of a datetime, the time label of a time-only datetime), `<key>.date` /
 * `<key>.time` a datetime's date and time labels, `<key>.description`, `<key>.placeholder`, `<key>.prefix` /
 * `<key>.suffix` the adorners, `<key>.<VALUE>` an option's label, `<key>.<column>` a table column's label,
 * `$<componentId>` the label of a component without key (a button), `$title` the form's heading.
 */
export type TranslationMap = Partial<Record<Locale, Record<string, string>>>;

// The maps of forms/ bundled at build time, by form id (the file name).
const bundled = import.meta.glob<TranslationMap>("../../../forms/*.i18n.json", { eager: true, import: "default" });
const mapsById: Record<string, TranslationMap> = Object.fromEntries(
	Object.entries(bundled).map(([path, map]) => [path.slice(path.lastIndexOf("/") + 1, -".i18n.json".length), map]),
);

/** The translation map of a form: embedded in the schema (`schema.translations`) or the one of forms/. */
export function translationsOf(schema: Json): TranslationMap | undefined {
	const embedded = schema.translations as TranslationMap | undefined;
	if (embedded && typeof embedded === "object") return embedded;
	return typeof schema.id === "string" ? mapsById[schema.id] : undefined;
}

/**
 * The form with its texts in `locale`. Camunda Forms carry one label per field; ours are written in Arabic and
 * translated by their map (see {@link TranslationMap}). Older hand-made forms may instead carry
 * `properties["label:en"]`. Texts without a translation stay as written rather than disappearing.
 */
export function localizeSchema(
	schema: Json,
	locale: Locale,
	map: TranslationMap | undefined = translationsOf(schema),
): Json {
	const source = ((schema.properties as Json | undefined)?.language as string | undefined) ?? "ar";
	if (locale === source && !map?.[locale]) return schema;
	const texts = map?.[locale] ?? {};
	const copy = structuredClone(schema);
	walk(copy, (component) => translateComponent(component, texts, locale));
	return copy;
}

function walk(node: Json, visit: (component: Json) => void): void {
	const components = node.components;
	if (!Array.isArray(components)) return;
	for (const component of components as Json[]) {
		visit(component);
		walk(component, visit);
	}
}

function pick(...candidates: unknown[]): string | undefined {
	return candidates.find((candidate): candidate is string => typeof candidate === "string" && candidate !== "");
}

function translateComponent(component: Json, texts: Record<string, string>, locale: Locale): void {
	const name = (component.key ?? component.path) as string | undefined;
	const custom = (component.properties as Json | undefined) ?? {};
	const text = (suffix: string, property?: string): string | undefined =>
		pick(name ? texts[`${name}${suffix}`] : undefined, property ? custom[`${property}:${locale}`] : undefined);
	const label = pick(
		text("", "label"),
		typeof component.id === "string" && !name ? texts[`$${component.id}`] : undefined,
	);
	if (component.type === "datetime") {
		// form-js draws a datetime's `dateLabel` and `timeLabel`, never `label`: a date-and-time field has both,
		// a time field only the time label (its `<key>` text names the time then).
		const subtype = component.subtype as string | undefined;
		const dateLabel = pick(text(".date", "dateLabel"), subtype === "time" ? undefined : label);
		const timeLabel = pick(text(".time", "timeLabel"), subtype === "time" ? label : undefined);
		if (dateLabel && subtype !== "time") component.dateLabel = dateLabel;
		if (timeLabel && subtype !== "date") component.timeLabel = timeLabel;
	} else if (label) component.label = label;
	const description = text(".description", "description");
	if (description) component.description = description;
	const placeholder = text(".placeholder", "placeholder");
	if (placeholder && typeof component.placeholder === "string") component.placeholder = placeholder;
	const appearance = component.appearance as Json | undefined;
	for (const [suffix, property] of [
		[".prefix", "prefixAdorner"],
		[".suffix", "suffixAdorner"],
	] as const) {
		const adorner = text(suffix);
		if (adorner && appearance && typeof appearance[property] === "string") appearance[property] = adorner;
	}
	if (component.id === "Field_title" && typeof component.text === "string" && texts.$title) {
		component.text = component.text.replace(/^(#+\s*).*$/s, `$1${texts.$title}`);
	}
	if (Array.isArray(component.values) && name) {
		for (const option of component.values as Json[]) {
			const translated = texts[`${name}.${String(option.value)}`];
			if (translated) option.label = translated;
		}
	}
	if (Array.isArray(component.columns) && name) {
		for (const column of component.columns as Json[]) {
			const translated = texts[`${name}.${String(column.key)}`];
			if (translated) column.label = translated;
		}
	}
}

/**
 * The form field a server field error points at: `/variables/nationalId`, `/nationalId`, `nationalId` or
 * `variables.nationalId` all name the variable `nationalId` (nested paths keep their dots: `suspect.phone`).
 */
export function variableOfField(field: string): string {
	let path = field.replace(/^\//, "").replace(/^variables[/.]/, "");
	path = path.replaceAll("/", ".");
	return path;
}
