/**
 * The case processes of `processes/` (BPMN XML), bundled at build time so an analyst can open one to change
 * it. Loaded lazily: the text is fetched only when a diagram is picked.
 */
const files = import.meta.glob<string>("../../../../processes/*.bpmn", { query: "?raw", import: "default" });

/** The bundled diagrams by file name (`report-intake.bpmn`), sorted. */
export function caseProcessNames(): string[] {
	return Object.keys(files)
		.map((path) => path.slice(path.lastIndexOf("/") + 1))
		.sort();
}

/** The XML of a bundled diagram. @throws Error naming the file when it is not bundled. */
export async function caseProcessXml(name: string): Promise<string> {
	const entry = Object.entries(files).find(([path]) => path.endsWith(`/${name}`));
	if (!entry)
		throw new Error(`No bundled process named ${name}; the bundled ones are ${caseProcessNames().join(", ")}.`);
	return entry[1]();
}
