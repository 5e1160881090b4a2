/** Minimal typing of `bpmn-moddle` (its package exposes types only under a sub-path). */
declare module "bpmn-moddle" {
	export class BpmnModdle {
		constructor(packages?: Record<string, unknown>);
		fromXML(
			xml: string,
			typeName?: string,
		): Promise<{ rootElement: unknown; warnings: Array<{ message: string }>; elementsById: Record<string, unknown> }>;
	}
}
