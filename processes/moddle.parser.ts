import zeebe from "zeebe-bpmn-moddle/resources/zeebe.json";

/** A parsed model element (bpmn-moddle / dmn-moddle objects are untyped here on purpose). */
// biome-ignore lint/suspicious/noExplicitAny: moddle elements are dynamic, typed per access in the tests.
export type ModdleElement = any;

/** Result of a lax moddle parse: the root element and every warning (unknown elements, bad references). */
export interface ParseResult {
	rootElement: ModdleElement;
	warnings: Array<{ message: string }>;
}

interface Moddle {
	fromXML(xml: string): Promise<ParseResult>;
}

// bpmn-moddle and dmn-moddle ship ES modules without top-level type declarations; importing them
// through a variable keeps the type checker from requiring an ambient declaration here.
const BPMN_MODDLE = "bpmn-moddle";
const DMN_MODDLE = "dmn-moddle";

/** Parses a BPMN diagram with the Zeebe extensions, as Camunda Modeler and the engine do. */
export async function parseBpmn(xml: string): Promise<ParseResult> {
	const { BpmnModdle } = (await import(BPMN_MODDLE)) as { BpmnModdle: new (packages: object) => Moddle };
	return new BpmnModdle({ zeebe }).fromXML(xml);
}

/** Parses a DMN 1.3 file. */
export async function parseDmn(xml: string): Promise<ParseResult> {
	const { DmnModdle } = (await import(DMN_MODDLE)) as { DmnModdle: new () => Moddle };
	return new DmnModdle().fromXML(xml);
}
