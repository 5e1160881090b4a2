import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listForms } from "./form.catalog";

// Renders every form with form-js (viewer and editor, the libraries of Camunda's task list and
// Desktop Modeler) in Debian's chromium (CHROMIUM_PATH): no import error, required fields enforced,
// the Saudi ID pattern applied, and an editor save keeps the form's id, components and properties.

const require = createRequire(import.meta.url);
// The package exports its UMD bundles only under a "umd" condition; they sit next to its main file.
const formJsDist = dirname(require.resolve("@bpmn-io/form-js"));
const viewerBundle = readFileSync(join(formJsDist, "form-viewer.umd.js"), "utf8");
const editorBundle = readFileSync(join(formJsDist, "form-editor.umd.js"), "utf8");

let browser: Browser;
let page: Page;

beforeAll(async () => {
	browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
		args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
	});
	page = await browser.newPage();
	await page.setContent('<div id="viewer"></div><div id="editor"></div>');
	await page.addScriptTag({ content: viewerBundle });
	await page.addScriptTag({ content: editorBundle });
});

afterAll(async () => {
	await browser?.close();
});

interface RenderResult {
	error?: string;
	requiredErrors: string[];
	invalidIdErrors: string[];
	savedSameShape: boolean;
}

async function render(schema: unknown, invalidData: Record<string, unknown>): Promise<RenderResult> {
	return page.evaluate(
		async ([schema, invalidData]) => {
			// biome-ignore lint/suspicious/noExplicitAny: the UMD bundles' globals are untyped.
			const w = window as any;
			try {
				const viewer = document.getElementById("viewer")!;
				viewer.innerHTML = "";
				const empty = await w.FormViewer.createForm({ container: viewer, schema, data: {} });
				const requiredErrors = Object.keys(empty.submit().errors);
				empty.destroy();
				const filled = await w.FormViewer.createForm({ container: viewer, schema, data: invalidData });
				const invalidIdErrors = Object.keys(filled.submit().errors);
				filled.destroy();
				const editorContainer = document.getElementById("editor")!;
				editorContainer.innerHTML = "";
				const editor = await w.FormEditor.createFormEditor({ container: editorContainer, schema });
				const saved = editor.saveSchema();
				editor.destroy();
				const s = schema as { id: string; components: unknown[]; properties: unknown };
				const savedSameShape =
					saved.id === s.id &&
					saved.components.length === s.components.length &&
					JSON.stringify(saved.properties) === JSON.stringify(s.properties);
				return { requiredErrors, invalidIdErrors, savedSameShape };
			} catch (error) {
				return { error: String(error), requiredErrors: [], invalidIdErrors: [], savedSameShape: false };
			}
		},
		[schema, invalidData] as const,
	);
}

describe("form-js", () => {
	it.each(listForms().map((f) => [f.id, f.path]))(
		"%s renders, validates and survives an editor save",
		async (_id, path) => {
			const schema = JSON.parse(readFileSync(path, "utf8")) as { components: Array<Record<string, unknown>> };
			const inputs = schema.components.filter((c) => typeof c.key === "string");
			const required = inputs.filter(
				(c) => (c.validate as { required?: boolean } | undefined)?.required && !c.conditional,
			);
			const idFields = inputs.filter(
				(c) => (c.properties as Record<string, string> | undefined)?.["mizan:validate"] === "saudi-id-luhn",
			);
			const invalidIds = Object.fromEntries(idFields.map((c) => [c.key as string, "3000000001"]));

			const result = await render(schema, invalidIds);
			expect(result.error).toBeUndefined();
			expect(result.requiredErrors.sort()).toEqual(expect.arrayContaining(required.map((c) => c.id as string).sort()));
			const visibleIdFields = idFields.filter((c) => !c.conditional).map((c) => c.id as string);
			expect(result.invalidIdErrors).toEqual(expect.arrayContaining(visibleIdFields));
			expect(result.savedSameShape).toBe(true);
		},
	);
});
