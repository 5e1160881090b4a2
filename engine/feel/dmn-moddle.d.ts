/** Minimal typing of `dmn-moddle` (the package ships no types). */
declare module "dmn-moddle" {
	export class DmnModdle {
		constructor(packages?: Record<string, unknown>);
		fromXML(xml: string, typeName?: string): Promise<{ rootElement: unknown; warnings: Array<{ message: string }> }>;
	}
}
