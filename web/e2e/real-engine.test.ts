import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pino from "pino";
import type { Browser, Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZBClient } from "zeebe-node";
import { TaskEvents } from "../../api/tasks/task-events";
import { storeUserTaskJob } from "../../api/tasks/user-task.worker";
import { type ApiTestKit, createApiTestKit } from "../../api/testing/api-test-kit";
import { type EngineQueries, openEngineQueries } from "../../engine/query/index";
import { type EngineProcess, startEngineProcess } from "../../scripts/testing/engine-process";
import {
	cspViolations,
	launchBrowser,
	overflowingElements,
	screenshot,
	seriousAxeViolations,
	watchCsp,
} from "./browser";
import { proxyTo, startWebServer, type WebServer } from "./web-server";

/*
 * The built app against the real API on PostgreSQL and the real engine (its own process, reached over gRPC):
 * the analyst's modeler marks bpmnlint's problems on the diagram before deploying, speaks Arabic in its palette
 * and properties panel, deploys, and starts an instance with a case number and a start form whose date is
 * picked in the Umm al-Qura calendar; an officer's task form picks dates the same way and names its date and
 * time fields in English. Arabic screenshots of each.
 */

const configFile = fileURLToPath(new URL("../vite.config.ts", import.meta.url));
const formsDir = new URL("../../forms/", import.meta.url);
const thirdParty = [".modeler__canvas", ".modeler__properties", ".form-editor", ".fjs-container"];

// A process an analyst might try out: a start form (attend-scene of forms/), a one-hour wait, an end.
const trialProcess = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="Definitions_trial" targetNamespace="http://bpmn.io/schema/bpmn" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.6.0">
  <bpmn:process id="scene-visit-trial" name="تجربة معاينة موقع" isExecutable="true">
    <bpmn:startEvent id="SceneReported" name="بلاغ عن موقع">
      <bpmn:extensionElements><zeebe:formDefinition formId="attend-scene" /></bpmn:extensionElements>
      <bpmn:outgoing>Flow_1</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:intermediateCatchEvent id="WaitOneHour" name="انتظار ساعة">
      <bpmn:incoming>Flow_1</bpmn:incoming>
      <bpmn:outgoing>Flow_2</bpmn:outgoing>
      <bpmn:timerEventDefinition id="Timer_1"><bpmn:timeDuration xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="Done" name="انتهى">
      <bpmn:incoming>Flow_2</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="SceneReported" targetRef="WaitOneHour" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="WaitOneHour" targetRef="Done" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="scene-visit-trial">
      <bpmndi:BPMNShape id="SceneReported_di" bpmnElement="SceneReported"><dc:Bounds x="180" y="160" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="WaitOneHour_di" bpmnElement="WaitOneHour"><dc:Bounds x="300" y="160" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Done_di" bpmnElement="Done"><dc:Bounds x="420" y="160" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="Flow_1_di" bpmnElement="Flow_1"><di:waypoint x="216" y="178" /><di:waypoint x="300" y="178" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="Flow_2_di" bpmnElement="Flow_2"><di:waypoint x="336" y="178" /><di:waypoint x="420" y="178" /></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>`;

const events = new TaskEvents();
let kit: ApiTestKit;
let engine: EngineProcess;
let zbc: ZBClient;
let queries: EngineQueries;
let closeQueries: () => Promise<void>;
let outDir: string;
let server: WebServer;
let browser: Browser;

beforeAll(async () => {
	outDir = await mkdtemp(join(tmpdir(), "mizan-web-engine-"));
	const proxy = {} as { zbc?: ZBClient; queries?: EngineQueries };
	const [, testKit] = await Promise.all([
		build({ configFile, logLevel: "silent", build: { outDir, emptyOutDir: true } }),
		createApiTestKit("webengine", {
			api: {
				// The app is built before the engine runs; these forward to the client and queries made below.
				engine: {
					get zbc() {
						return proxy.zbc;
					},
					get queries() {
						return proxy.queries;
					},
				},
				tasks: {
					events,
					formResolver: async (formKey) =>
						JSON.parse(readFileSync(new URL(`${formKey.split(":").pop()}.form`, formsDir), "utf8")),
				},
			},
		}),
	]);
	kit = testKit;
	engine = await startEngineProcess(kit.db.url);
	zbc = new ZBClient(engine.gatewayAddress, { useTLS: false, loglevel: "NONE", retry: false });
	({ queries, close: closeQueries } = await openEngineQueries(kit.db.url));
	proxy.zbc = zbc;
	proxy.queries = queries;
	const apiUrl = await kit.app.listen({ port: 0, host: "127.0.0.1" });
	server = await startWebServer(outDir, proxyTo(apiUrl));
	browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
	await browser?.close();
	await server?.close();
	await zbc?.close();
	await closeQueries?.();
	await engine?.stop();
	await kit?.close();
	if (outDir) await rm(outDir, { recursive: true, force: true });
});

async function signedInPage(username: string): Promise<Page> {
	const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: "Asia/Riyadh" });
	const page = watchCsp(await context.newPage());
	page.setDefaultTimeout(15_000);
	await page.goto(server.url);
	await page.locator("#username").fill(username);
	await page.locator("#password").fill("mizan-demo-2026");
	await page.locator("form.sign-in__form button[type=submit]").click();
	await page.locator(".topbar").waitFor();
	return page;
}

/** The Umm al-Qura day, month and year of a Gregorian day, as Chromium's ICU gives them. */
async function hijriInBrowser(page: Page, isoDay: string): Promise<string> {
	return page.evaluate(
		(day) =>
			new Intl.DateTimeFormat("ar-SA-u-ca-islamic-umalqura-nu-arab", {
				timeZone: "Asia/Riyadh",
				day: "numeric",
				month: "long",
				year: "numeric",
			}).format(new Date(`${day}T12:00:00+03:00`)),
		isoDay,
	);
}

/** Opens the Hijri picker of the date field in `scope`, moves one month back and picks the 10th. */
async function pickHijriDay(page: Page, scope: ReturnType<Page["locator"]>): Promise<string> {
	await scope.locator(".hijri-picker__toggle").click();
	const popover = scope.locator(".hijri-picker__popover");
	await popover.waitFor();
	const title = await popover.locator(".hijri-picker__title").textContent();
	await popover.locator("[data-step='-1']").click();
	await expect.poll(() => popover.locator(".hijri-picker__title").textContent()).not.toBe(title);
	const day = popover.locator("[data-hijri-day='10']");
	const gregorian = (await day.getAttribute("data-gregorian"))!;
	await day.click();
	await popover.waitFor({ state: "hidden" });
	await expect.poll(() => scope.locator(".hijri-echo").textContent()).toBe(await hijriInBrowser(page, gregorian));
	expect(await scope.locator(".hijri-echo").textContent()).toContain("١٠ ");
	return gregorian;
}

describe("web app on the real API and engine", () => {
	it("should mark lint problems on the diagram, in Arabic panels, then deploy and start an instance with a start form", async () => {
		const page = await signedInPage("analyst");
		expect(
			await page
				.locator(".sidenav__link")
				.evaluateAll((links) => links.map((link) => link.getAttribute("data-screen"))),
		).toEqual(["modeler", "forms", "start"]);

		// The blank diagram's lone start event is marked before anything is deployed.
		const canvas = page.getByTestId("bpmn-canvas");
		const badge = canvas.locator("[data-lint-element=StartEvent_1]");
		await badge.waitFor();
		expect(await badge.getAttribute("data-lint-severity")).toBe("error");
		expect(await badge.getAttribute("title")).toContain("العنصر غير متصل بالتدفق");
		expect(await canvas.locator(".djs-element.lint-error[data-element-id=StartEvent_1]").count()).toBe(1);
		const summary = page.getByTestId("lint").locator(".lint__summary");
		expect(Number(await summary.getAttribute("data-errors"))).toBeGreaterThan(0);
		expect(await summary.textContent()).toContain("التحقق من المخطط");

		// bpmn-js speaks Arabic: palette, properties panel (right to left), context pad.
		expect(
			await canvas
				.locator(".djs-palette .entry")
				.evaluateAll((entries) => entries.map((entry) => entry.getAttribute("aria-label"))),
		).toContain("إنشاء مهمة");
		const properties = page.getByTestId("properties-panel");
		expect(await properties.getAttribute("dir")).toBe("rtl");
		expect(await properties.locator(".bio-properties-panel-group-header-title").allTextContents()).toContain("عام");
		expect(
			await properties.evaluate(
				(element) => getComputedStyle(element.querySelector(".bio-properties-panel")!).direction,
			),
		).toBe("rtl");
		await canvas.locator(".djs-element[data-element-id=StartEvent_1]").click();
		await canvas.locator(".djs-context-pad [title='إلحاق مهمة']").waitFor();
		expect(await canvas.evaluate((element) => getComputedStyle(element).direction)).toBe("ltr");
		await screenshot(page, "modeler-lint-ar");

		// A finished process: no error marks; deploy; its version offers "start".
		await page.locator("#modeler-file").setInputFiles({
			name: "scene-visit-trial.bpmn",
			mimeType: "application/xml",
			buffer: Buffer.from(trialProcess),
		});
		await canvas.locator(".djs-element[data-element-id=WaitOneHour]").waitFor();
		await expect.poll(() => page.getByTestId("lint").locator("[data-lint=clean], [data-errors='0']").count()).toBe(1);
		await expect.poll(() => canvas.locator(".lint-badge--error").count()).toBe(0);
		await page.getByTestId("deploy").click();
		await page.locator(".modeler__result .notice--success").waitFor();
		await page.getByTestId("start-version").first().click();

		// The start screen: the process's start form (forms/attend-scene) in Arabic, right to left.
		await page.locator("h1", { hasText: "بدء إجراء جديد" }).waitFor();
		const form = page.getByTestId("start-form");
		await form.locator(".fjs-form-field-datetime").waitFor();
		expect(await form.locator(".fjs-form-field-label").allTextContents()).toContainEqual(
			expect.stringContaining("وقت الوصول"),
		);
		const dateField = form.locator(".fjs-form-field-datetime");
		const picked = await pickHijriDay(page, dateField);
		await dateField.locator(".fjs-timepicker input").fill("10:00");
		await dateField.locator(".fjs-timepicker input").press("Tab");
		await form.locator("textarea").fill("الموقع مؤمّن والآثار محفوظة في مكانها.");
		await page.locator("#start-case-number").fill("RUH-OLY-1447-000201-3");

		// Variables that are not a JSON object are refused in the page.
		await page.locator("#start-variables").fill("[1, 2");
		await page.getByTestId("start-submit").click();
		await page.locator(".start__result .notice--error").waitFor();
		expect(await page.locator("#start-variables").getAttribute("aria-invalid")).toBe("true");
		await page.locator("#start-variables").fill('{"reportChannel": "WALK_IN"}');
		expect(await overflowingElements(page, thirdParty)).toEqual([]);
		expect(await seriousAxeViolations(page, thirdParty)).toEqual([]);
		await screenshot(page, "start-instance-ar");
		await page.getByTestId("start-submit").click();
		const started = page.locator(".start__result .notice--success");
		await started.waitFor();
		const key = (await started.getAttribute("data-instance-key"))!;

		// The engine holds the instance with the case number as its business key and the form's values.
		const headers = await kit.as("admin");
		const instance = (await kit.app.inject({ method: "GET", url: `/v2/process-instances/${key}`, headers })).json() as {
			state: string;
			processDefinitionId: string;
			variables: { name: string; value: string }[];
		};
		expect([instance.state, instance.processDefinitionId]).toEqual(["ACTIVE", "scene-visit-trial"]);
		const variables = Object.fromEntries(instance.variables.map((item) => [item.name, JSON.parse(item.value)]));
		expect(variables.caseNumber).toBe("RUH-OLY-1447-000201-3");
		expect(variables.reportChannel).toBe("WALK_IN");
		expect(variables.sceneDescription).toBe("الموقع مؤمّن والآثار محفوظة في مكانها.");
		// The Hijri day picked is stored as its Gregorian date, with the time typed (Riyadh, +03:00).
		expect(variables.arrivedAt).toMatch(new RegExp(`^${picked}T10:00(:00)?\\+03:00$`));
		await screenshot(page, "start-instance-done-ar");
		expect(cspViolations(page)).toEqual([]);
		await page.context().close();
	});

	it("should show the form editor's palette and properties in Arabic, right to left", async () => {
		const page = await signedInPage("analyst");
		await page.goto(`${server.url}/#/forms`);
		const editor = page.getByTestId("form-editor");
		await editor.locator(".fjs-palette-group-title").first().waitFor();
		expect(await editor.getAttribute("dir")).toBe("rtl");
		await expect.poll(() => editor.locator(".fjs-palette-group-title").allTextContents()).toContain("إدخال");
		expect(await editor.locator(".fjs-palette-field-text").allTextContents()).toContain("حقل نصي");
		expect(
			await editor.locator(".fjs-palette-container").evaluate((element) => getComputedStyle(element).direction),
		).toBe("rtl");
		await screenshot(page, "form-editor-panels-ar");
		// English is one click away, and the panels follow.
		await page.getByTestId("switch-language").click();
		await expect
			.poll(() => page.getByTestId("form-editor").locator(".fjs-palette-group-title").allTextContents())
			.toContain("Input");
		expect(await page.getByTestId("form-editor").getAttribute("dir")).toBe("ltr");
		await page.context().close();
	});

	it("should let an officer pick a task form's date in the Hijri calendar and see date and time labels in English", async () => {
		const stored = await storeUserTaskJob(
			{
				key: "2251799813699001",
				type: "io.camunda.zeebe:userTask",
				processInstanceKey: "2251799813698998",
				bpmnProcessId: "criminal-inquiry",
				processDefinitionVersion: 1,
				processKey: "2251799813684001",
				elementId: "take-statement",
				elementInstanceKey: "2251799813699000",
				customHeaders: {
					"io.camunda.zeebe:candidateGroups": '["investigation-officer:RUH-OLY"]',
					"io.camunda.zeebe:formKey": "camunda-forms:bpmn:take-statement",
				},
				deadline: String(Date.now() + 24 * 3600 * 1000),
				variables: { caseNumber: "RUH-OLY-1447-000205-1" },
			},
			{ orm: kit.orm, logger: pino({ level: "silent" }), events, resolveName: async () => "سماع الأقوال" },
		);
		const page = await signedInPage("officer.olaya");
		await page.goto(`${server.url}/#/tasks/${stored.task.key}`);
		const form = page.getByTestId("task-form");
		const dateField = form.locator(".fjs-form-field-datetime");
		await dateField.waitFor();
		const picked = await pickHijriDay(page, dateField);
		// The form-js date input shows the same day in Gregorian.
		const [year, month, day] = picked.split("-").map(Number) as [number, number, number];
		expect(await dateField.locator("input").first().inputValue()).toContain(String(day));
		expect(await dateField.locator("input").first().inputValue()).toContain(String(year));
		expect(month).toBeGreaterThan(0);
		await dateField.locator(".hijri-picker__toggle").click();
		await dateField.locator(".hijri-picker__popover").waitFor();
		expect(await dateField.locator(`[data-gregorian='${picked}']`).getAttribute("aria-pressed")).toBe("true");
		expect(await seriousAxeViolations(page, [".fjs-container .fjs-input"])).toEqual([]);
		await screenshot(page, "task-hijri-picker-ar");
		await page.keyboard.press("Escape");

		const english = JSON.parse(readFileSync(new URL("take-statement.i18n.json", formsDir), "utf8")).en as Record<
			string,
			string
		>;
		await page.getByTestId("switch-language").click();
		await expect
			.poll(() => form.locator(".fjs-form-field-datetime .fjs-form-field-label").allTextContents())
			.toEqual([`${english.statementGivenAt}*`, `${english["statementGivenAt.time"]}*`]);
		expect(cspViolations(page)).toEqual([]);
		await page.context().close();
	});

	it("should let an admin search instances by several variables at once", async () => {
		await zbc.deployResource({ name: "scene-visit-trial.bpmn", process: Buffer.from(trialProcess) });
		const headers = await kit.as("admin");
		const start = async (caseNumber: string, reportChannel: string) => {
			const response = await kit.app.inject({
				method: "POST",
				url: "/v2/process-instances",
				headers,
				payload: { processDefinitionId: "scene-visit-trial", caseNumber, variables: { reportChannel, urgent: true } },
			});
			expect(response.statusCode, response.body).toBe(200);
			return response.json().processInstanceKey as string;
		};
		const walkIn = await start("RUH-OLY-1447-000301-7", "WALK_IN");
		await start("RUH-OLY-1447-000302-5", "PHONE");
		const page = await signedInPage("admin");
		await page.goto(`${server.url}/#/monitor`);
		const variables = page.locator("#search-variables");
		await variables.waitFor();
		// A malformed condition is refused in the page.
		await variables.fill("WALK_IN");
		expect(await variables.getAttribute("aria-invalid")).toBe("true");
		await variables.fill("reportChannel=WALK_IN; urgent=true");
		await page.locator("#instance-search-title ~ form button[type=submit]").click();
		const rows = page.getByTestId("instance-results").locator("tbody tr");
		await expect.poll(() => rows.count()).toBe(1);
		expect(await rows.first().textContent()).toContain(walkIn);
		await variables.fill("reportChannel=WALK_IN; urgent=false");
		await page.locator("#instance-search-title ~ form button[type=submit]").click();
		await expect.poll(() => rows.count()).toBe(0);
		await screenshot(page, "monitor-variable-search-ar");
		await page.context().close();
	});
});
