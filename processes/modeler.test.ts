import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ELEMENT_TEMPLATES_DIR, listDeploymentResources } from "./resource.catalog";

// Opens every diagram in camunda-bpmn-js's Camunda 8 modeler — the editor inside Camunda Desktop
// Modeler 5 and the web modeler — with the element templates of .camunda/, in Debian's chromium
// (CHROMIUM_PATH; Playwright's browser downloads are never used).

const require = createRequire(import.meta.url);
const modelerBundle = readFileSync(
	require.resolve("camunda-bpmn-js/dist/camunda-cloud-modeler.production.min.js"),
	"utf8",
);
const templates = readdirSync(ELEMENT_TEMPLATES_DIR).map((f) =>
	JSON.parse(readFileSync(join(ELEMENT_TEMPLATES_DIR, f), "utf8")),
);

interface ImportResult {
	warnings: string[];
	linked: number;
	unresolvedTemplates: string[];
	templateErrors: string[];
	savedLength: number;
}

let browser: Browser;
let page: Page;

beforeAll(async () => {
	browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
		args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
	});
	page = await browser.newPage();
	await page.setContent('<div id="canvas" style="width:1600px;height:900px"></div><div id="panel"></div>');
	await page.addScriptTag({ content: modelerBundle });
});

afterAll(async () => {
	await browser?.close();
});

describe("Camunda 8 modeler (camunda-bpmn-js)", () => {
	it.each(
		listDeploymentResources()
			.filter((r) => r.kind === "bpmn")
			.map((r) => [r.name, r.path]),
	)("%s imports without warnings and resolves every linked element template", async (_name, path) => {
		const result = await page.evaluate(
			async ([xml, elementTemplates]) => {
				// biome-ignore lint/suspicious/noExplicitAny: the UMD bundle's global is untyped.
				const Modeler = (window as any).BpmnModeler;
				const modeler = new Modeler({ container: "#canvas", propertiesPanel: { parent: "#panel" }, elementTemplates });
				const imported = await modeler.importXML(xml);
				const registry = modeler.get("elementRegistry");
				const elementTemplatesService = modeler.get("elementTemplates");
				// biome-ignore lint/suspicious/noExplicitAny: diagram-js elements are untyped here.
				const linked = registry.filter((e: any) => e.businessObject.modelerTemplate);
				const saved = await modeler.saveXML({ format: true });
				modeler.destroy();
				return {
					warnings: imported.warnings.map((w: { message: string }) => w.message),
					linked: linked.length,
					// biome-ignore lint/suspicious/noExplicitAny: see above.
					unresolvedTemplates: linked.filter((e: any) => !elementTemplatesService.get(e)).map((e: any) => e.id),
					templateErrors: (elementTemplatesService.getErrors?.() ?? []).map(String),
					savedLength: saved.xml.length,
				} satisfies ImportResult;
			},
			[readFileSync(path, "utf8"), templates] as const,
		);
		expect(result.warnings).toEqual([]);
		expect(result.templateErrors).toEqual([]);
		expect(result.unresolvedTemplates).toEqual([]);
		expect(result.linked).toBeGreaterThan(0);
		expect(result.savedLength).toBeGreaterThan(1000);
	});
});
