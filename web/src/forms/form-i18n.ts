import type { Locale } from "../i18n/i18n";

type Json = Record<string, unknown>;

/**
 * A form's translation map as kept beside it in `forms/<formId>.i18n.json`: per language, flat keys —
 * `<key>` the label (date label of a datetime), `<key>.description`, `<key>.<VALUE>` an option's label,
 * `<key>.time` a datetime's time label, `$title` the form's heading.
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
	const label = pick(name ? texts[name] : undefined, custom[`label:${locale}`]);
	if (label) {
		if (component.type === "datetime" && typeof component.dateLabel === "string") component.dateLabel = label;
		else component.label = label;
	}
	const description = pick(name ? texts[`${name}.description`] : undefined, custom[`description:${locale}`]);
	if (description) component.description = description;
	const timeLabel = pick(name ? texts[`${name}.time`] : undefined);
	if (timeLabel && typeof component.timeLabel === "string") component.timeLabel = timeLabel;
	if (component.id === "Field_title" && typeof component.text === "string" && texts.$title) {
		component.text = component.text.replace(/^(#+\s*).*$/s, `$1${texts.$title}`);
	}
	if (Array.isArray(component.values) && name) {
		for (const option of component.values as Json[]) {
			const translated = texts[`${name}.${String(option.value)}`];
			if (translated) option.label = translated;
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
