import { definitionKeyOf, type UserTaskJob } from "./user-task-job";

/** Reads a process definition's BPMN XML by definition key (in embedded mode: `EngineQueries.getDefinition`). */
export type DefinitionXmlSource = (processDefinitionKey: string) => Promise<string | null | undefined>;

function decodeXml(text: string): string {
	return text
		.replace(/&#x([0-9a-f]+);/gi, (_m, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
		.replace(/&#([0-9]+);/g, (_m, dec: string) => String.fromCodePoint(Number(dec)))
		.replaceAll("&lt;", "<")
		.replaceAll("&gt;", ">")
		.replaceAll("&quot;", '"')
		.replaceAll("&apos;", "'")
		.replaceAll("&amp;", "&");
}

/** The `name` attribute of the element with this id in BPMN XML, if it has one. */
export function elementNameIn(xml: string, elementId: string): string | undefined {
	const id = elementId.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
	const tag = new RegExp(`<[A-Za-z_][\\w.-]*(?::[\\w.-]+)?\\s[^>]*\\bid\\s*=\\s*"${id}"[^>]*>`).exec(xml)?.[0];
	const name = tag ? /\sname\s*=\s*"([^"]*)"/.exec(tag)?.[1] : undefined;
	return name ? decodeXml(name).trim() || undefined : undefined;
}

/**
 * A `resolveName` for the user task worker: job records carry only the element id, so the display name is read
 * from the deployed XML, cached per definition (definitions never change once deployed).
 */
export function elementNameResolver(source: DefinitionXmlSource): (job: UserTaskJob) => Promise<string | undefined> {
	const cache = new Map<string, Promise<string | null | undefined>>();
	return async (job) => {
		const key = definitionKeyOf(job);
		let xml = cache.get(key);
		if (!xml) {
			xml = source(key).catch(() => undefined);
			cache.set(key, xml);
			if (cache.size > 500) cache.delete(cache.keys().next().value as string);
		}
		const text = await xml;
		if (!text) {
			cache.delete(key);
			return undefined;
		}
		return elementNameIn(text, job.elementId);
	};
}
