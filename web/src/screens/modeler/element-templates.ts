/**
 * The element templates of `processes/.camunda/element-templates/` (the same folder Camunda Desktop Modeler
 * reads), bundled at build time. A file holds one template or an array of them.
 */
const files = import.meta.glob<unknown>("../../../../processes/.camunda/element-templates/**/*.json", {
	eager: true,
	import: "default",
});

/** Every template, flattened. */
export function elementTemplates(): Record<string, unknown>[] {
	return Object.values(files).flatMap((content) => (Array.isArray(content) ? content : [content])) as Record<
		string,
		unknown
	>[];
}
