import type { Locale } from "../i18n/i18n";

type Json = Record<string, unknown>;

/** Component properties that carry text a person reads. */
const textProperties = ["label", "description", "text", "placeholder", "title"] as const;

/**
 * Picks the form's labels for `locale` (Camunda Forms have one label per field; ours carry both languages).
 * Accepted shapes, so that the forms of `forms/` and hand-made ones work alike:
 *
 * 1. `schema.translations[locale]` keyed by component `key` or `id`: `{ nationalId: { label: "National ID" } }`;
 * 2. `schema.translations[locale]` keyed by the source (Arabic) text: `{ "رقم الهوية": "National ID" }`;
 * 3. per component, `properties["label:en"]` / `properties["label_en"]` (form-js custom properties).
 *
 * The source language of the labels is `schema.properties.language` (default Arabic); asking for it returns the
 * schema unchanged. Values that are not found stay in the source language rather than disappearing.
 */
export function localizeSchema(schema: Json, locale: Locale): Json {
	const source = ((schema.properties as Json | undefined)?.language as string | undefined) ?? "ar";
	if (locale === source) return schema;
	const translations = ((schema.translations as Json | undefined)?.[locale] as Json | undefined) ?? {};
	const copy = structuredClone(schema);
	walk(copy, (component) => translateComponent(component, translations, locale));
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

function translateComponent(component: Json, translations: Json, locale: Locale): void {
	const byKey = (translations[component.key as string] ?? translations[component.id as string]) as
		| Json
		| string
		| undefined;
	const custom = (component.properties as Json | undefined) ?? {};
	for (const property of textProperties) {
		const original = component[property];
		if (typeof original !== "string") continue;
		const translated =
			(typeof byKey === "object" && typeof byKey[property] === "string" ? byKey[property] : undefined) ??
			(property === "label" && typeof byKey === "string" ? byKey : undefined) ??
			custom[`${property}:${locale}`] ??
			custom[`${property}_${locale}`] ??
			translations[original];
		if (typeof translated === "string") component[property] = translated;
	}
	if (Array.isArray(component.values)) {
		const valueLabels = typeof byKey === "object" ? (byKey.values as Json | undefined) : undefined;
		for (const option of component.values as Json[]) {
			const translated = valueLabels?.[option.value as string] ?? translations[option.label as string];
			if (typeof translated === "string") option.label = translated;
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
