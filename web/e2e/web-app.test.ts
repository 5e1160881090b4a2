import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
	cspViolations,
	launchBrowser,
	overflowingElements,
	screenshot,
	seriousAxeViolations,
	watchCsp,
} from "./browser";
import { createFixtureApi, type FixtureApi } from "./fixture-api";
import { startWebServer, type WebServer } from "./web-server";

/*
 * Drives the built app in Debian's chromium against an in-memory stand-in of the /v2 routes (fixture-api.ts),
 * in Arabic and English. Nothing here touches the network: the server listens on 127.0.0.1 and the browser
 * runs with background networking off.
 */

const configFile = fileURLToPath(new URL("../vite.config.ts", import.meta.url));
// Third-party widgets whose markup and layout are not ours.
const thirdParty = [".modeler__canvas", ".modeler__properties", ".form-editor", ".monitor__canvas", ".fjs-container"];

/** How many templates the files of processes/.camunda/element-templates/ hold (a file holds one or a list). */
function elementTemplateCount(): number {
	const dir = new URL("../../processes/.camunda/element-templates/", import.meta.url);
	let files: string[] = [];
	try {
		files = readdirSync(dir).filter((name) => name.endsWith(".json"));
	} catch {
		return 0;
	}
	return files.reduce((sum, name) => {
		const content = JSON.parse(readFileSync(new URL(name, dir), "utf8")) as unknown;
		return sum + (Array.isArray(content) ? content.length : 1);
	}, 0);
}

let outDir: string;
let server: WebServer;
let browser: Browser;
let fixture: FixtureApi;

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({
		viewport: { width: 1280, height: 860 },
		locale: "ar-SA",
		timezoneId: "Asia/Riyadh",
	});
	const page = watchCsp(await context.newPage());
	page.setDefaultTimeout(10_000);
	return { context, page };
}

async function signIn(page: Page, username: string): Promise<void> {
	await page.goto(server.url);
	await page.locator("#username").fill(username);
	await page.locator("#password").fill("mizan-demo-2026");
	await page.locator("form.sign-in__form button[type=submit]").click();
	await page.locator(".topbar").waitFor();
}

async function expectClean(page: Page, exclude: string[] = thirdParty): Promise<void> {
	expect(await overflowingElements(page, exclude)).toEqual([]);
	expect(await seriousAxeViolations(page, exclude)).toEqual([]);
	expect(cspViolations(page)).toEqual([]);
}

beforeAll(async () => {
	outDir = await mkdtemp(join(tmpdir(), "mizan-web-"));
	await build({ configFile, logLevel: "silent", build: { outDir, emptyOutDir: true } });
	fixture = createFixtureApi();
	server = await startWebServer(outDir, (request, response) => fixture.handle(request, response));
	browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
	await browser?.close();
	await server?.close();
	if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe("web app", () => {
	it("should open in Arabic, right to left, and switch to English and back, persisted across reloads", async () => {
		const { context, page } = await newPage();
		await page.goto(server.url);
		await page.locator("#username").waitFor();
		expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([
			"ar",
			"rtl",
		]);
		expect(await page.locator("h1").textContent()).toBe("تسجيل الدخول");
		await expectClean(page);
		await screenshot(page, "sign-in-ar");

		await page.locator("#username").fill("officer.olaya");
		await page.locator("#password").fill("wrong");
		await page.locator("form.sign-in__form button[type=submit]").click();
		await expect.poll(() => page.locator("#sign-in-error").textContent()).toContain("غير صحيحة");

		await page.getByTestId("switch-language").click();
		expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([
			"en",
			"ltr",
		]);
		expect(await page.locator("h1").textContent()).toBe("Sign in");
		await page.reload();
		await page.locator("#username").waitFor();
		expect(await page.evaluate(() => document.documentElement.dir)).toBe("ltr");
		await expectClean(page);
		await page.getByTestId("switch-language").click();
		expect(await page.evaluate(() => document.documentElement.dir)).toBe("rtl");
		await context.close();
	});

	it("should let an officer see tasks with Hijri and Gregorian dates, deadline badges, and the case panel", async () => {
		const { context, page } = await newPage();
		await signIn(page, "officer.olaya");
		// The navigation offers only what an officer may use.
		expect(
			await page
				.locator(".sidenav__link")
				.evaluateAll((links) => links.map((link) => link.getAttribute("data-screen"))),
		).toEqual(["tasks"]);
		await page.locator(".task-card").first().waitFor();
		expect(await page.locator(".task-card").count()).toBe(1);
		expect(await page.locator("[data-badge=overdue]").count()).toBe(1);

		await page.locator("[data-view=groups]").click();
		await expect.poll(() => page.locator(".task-card").count()).toBe(3);
		expect(await page.locator("[data-badge=near]").count()).toBe(1);
		await page.locator("[data-view=all]").click();
		await expect.poll(() => page.locator(".task-card").count()).toBe(4);
		await page.locator("[data-view=groups]").click();
		await expect.poll(() => page.locator(".task-card").count()).toBe(3);

		// Hijri (Umm al-Qura) first, then Gregorian, in Arabic-Indic digits by default.
		const due = await page
			.locator(".task-card")
			.first()
			.locator("time")
			.evaluate((time) => ({
				iso: time.getAttribute("datetime")!,
				hijri: time.querySelector(".date__hijri")!.textContent!,
				gregorian: time.querySelector(".date__gregorian")!.textContent!,
			}));
		const expectedHijri = new Intl.DateTimeFormat("ar-SA-u-ca-islamic-umalqura-nu-arab", {
			timeZone: "Asia/Riyadh",
			day: "numeric",
			month: "long",
			year: "numeric",
		}).format(new Date(due.iso));
		expect(due.hijri).toBe(expectedHijri);
		expect(due.hijri).toMatch(/هـ$/);
		expect(due.gregorian).toMatch(/^[٠-٩]+ \S+ [٠-٩]{4} م$/);

		// The due-date filter's day can be picked in the Umm al-Qura calendar; the field keeps the Gregorian day.
		const dueFilter = page.locator(".field", { has: page.locator("#filter-dueBefore") });
		await dueFilter.locator(".hijri-picker__toggle").click();
		const popover = dueFilter.locator(".hijri-picker__popover");
		await popover.waitFor();
		const tenth = popover.locator("[data-hijri-day='10']");
		const picked = (await tenth.getAttribute("data-gregorian"))!;
		await tenth.click();
		await popover.waitFor({ state: "hidden" });
		expect(await page.locator("#filter-dueBefore").inputValue()).toBe(picked);
		expect(await dueFilter.locator(".filter-echo").textContent()).toContain("١٠ ");
		await page.locator("form.filters .filters__actions button.btn--ghost").click();

		// Case numbers keep their Latin shape and order inside Arabic text.
		const caseNumber = page.locator(".task-card__case bdi").first();
		expect(await caseNumber.textContent()).toBe("RUH-OLY-1447-000153-9");
		expect(await caseNumber.getAttribute("dir")).toBe("ltr");

		await page.locator(".task-card__name").first().click();
		await page.locator(".case-panel .clock").waitFor();
		// From the case file (GET /v2/cases/{caseNumber}): title, both parties with their roles, the offence.
		const panelText = await page.locator(".case-panel").textContent();
		expect(panelText).toContain("سرقة محل تجاري في العليا");
		expect(panelText).toContain("خالد سعد محمد الحربي");
		expect(panelText).toContain("مجني عليه");
		expect(await page.locator(".case-panel .clock").textContent()).toMatch(/متبقٍّ/);
		await expectClean(page);
		await screenshot(page, "tasks-ar");

		// Latin digits on request, still Hijri and Gregorian.
		await page.locator("#digits").selectOption("latn");
		await page.locator(".task-card").first().waitFor();
		await expect.poll(() => page.locator(".task-card .date__hijri").first().textContent()).toMatch(/^\d+ .+ \d{4} هـ$/);
		await page.locator("#digits").selectOption("arab");
		await context.close();
	});

	it("should render the task's form right to left, show the server's field errors on the field, and complete", async () => {
		const { context, page } = await newPage();
		await signIn(page, "officer.olaya");
		await page.goto(`${server.url}/#/tasks/2251799813685301`);
		const form = page.getByTestId("task-form");
		await form.locator(".fjs-form-field-label").first().waitFor();
		expect(await form.locator(".fjs-form-field-label").first().textContent()).toContain("رقم الهوية الوطنية");
		expect(await form.locator(".fjs-container").evaluate((element) => getComputedStyle(element).direction)).toBe("rtl");

		// form-js's hard-coded "Select" gives way to the page's own word.
		expect(
			await form.locator(".fjs-select-placeholder").evaluate((element) => getComputedStyle(element, "::after").content),
		).toBe('"اختر…"');
		// The Gregorian date picker echoes the Umm al-Qura date.
		expect(await form.locator(".hijri-echo").textContent()).toBe("١٨ جمادى الآخرة ١٤٤٨ هـ");
		await form.getByLabel("رقم الهوية الوطنية").fill("12345");
		await page.getByTestId("complete").click();
		await expect
			.poll(() => form.locator(".fjs-form-field-error").first().textContent())
			.toContain("رقم الهوية غير صالح");
		expect(fixture.calls).toContain("POST /v2/user-tasks/2251799813685301/completion");
		await expectClean(
			page,
			thirdParty.filter((selector) => selector !== ".fjs-container"),
		);
		await screenshot(page, "task-form-errors-ar");

		// The same form in English, from the form's own translations.
		await page.getByTestId("switch-language").click();
		await form.locator(".fjs-form-field-label").first().waitFor();
		await expect
			.poll(() => form.locator(".fjs-form-field-label").first().textContent())
			.toContain("National ID number");
		// What the officer typed survives the language switch.
		expect(await form.getByLabel("National ID number").inputValue()).toBe("12345");
		expect(await form.locator(".hijri-echo").textContent()).toBe("Jumada II 18, 1448 AH");
		await expectClean(
			page,
			thirdParty.filter((selector) => selector !== ".fjs-container"),
		);
		await screenshot(page, "task-detail-en");
		await page.getByTestId("switch-language").click();

		await form.locator(".fjs-form-field-label").first().waitFor();
		await form.getByLabel("رقم الهوية الوطنية").fill("1000000008");
		await page.locator("#new-comment").fill("تم سماع الأقوال بحضور المحقق.");
		await page.locator(".comments__form button[type=submit]").click();
		await expect.poll(() => page.locator(".comment").count()).toBe(2);
		expect(await page.locator(".comment__text").last().textContent()).toBe("تم سماع الأقوال بحضور المحقق.");
		await page.getByTestId("complete").click();
		await expect.poll(() => page.locator("[data-task-key='2251799813685301']").count()).toBe(0);
		await context.close();
	});

	it("should let an officer claim a group task", async () => {
		const { context, page } = await newPage();
		await signIn(page, "officer.olaya");
		await page.goto(`${server.url}/#/tasks/2251799813685302`);
		await page.getByTestId("claim").click();
		await page.getByTestId("unclaim").waitFor();
		expect(fixture.calls).toContain("POST /v2/user-tasks/2251799813685302/assignment");
		await context.close();
	});

	it("should give an analyst the modeler with an LTR canvas in the RTL page and show deployment problems", async () => {
		const { context, page } = await newPage();
		await signIn(page, "analyst");
		expect(
			await page
				.locator(".sidenav__link")
				.evaluateAll((links) => links.map((link) => link.getAttribute("data-screen"))),
		).toEqual(["modeler", "forms", "start"]);
		const canvas = page.getByTestId("bpmn-canvas");
		await canvas.locator(".djs-element").first().waitFor();
		expect(await canvas.evaluate((element) => getComputedStyle(element).direction)).toBe("ltr");
		expect(await page.evaluate(() => document.documentElement.dir)).toBe("rtl");
		await page.locator(".modeler__properties .bio-properties-panel").waitFor();
		// Every element template of processes/.camunda/element-templates/ is offered.
		expect(Number(await page.locator(".toolbar__note").getAttribute("data-templates"))).toBe(elementTemplateCount());

		// A case process opens with its Arabic labels on the left-to-right canvas.
		const firstProcess = await page.locator("#case-process option").nth(1).getAttribute("value");
		expect(firstProcess).toMatch(/\.bpmn$/);
		await page.locator("#case-process").selectOption(firstProcess!);
		await expect.poll(() => canvas.locator(".djs-label").count()).toBeGreaterThan(3);
		expect(await canvas.locator(".djs-element text").allTextContents()).toContainEqual(
			expect.stringMatching(/[\u0600-\u06FF]/),
		);
		await screenshot(page, "modeler-case-process-ar");
		await page.locator(".toolbar button.btn--secondary").first().click();
		await expect.poll(() => canvas.locator(".djs-label").count()).toBe(0);

		await page.getByTestId("deploy").click();
		await page.getByTestId("deploy-problems").waitFor();
		expect(await page.getByTestId("deploy-problems").textContent()).toContain("StartEvent_1");
		expect(await page.getByTestId("deploy-problems").textContent()).toContain("end-event-required");
		await expectClean(page);
		await screenshot(page, "modeler-ar");

		await page.locator("[data-screen=forms]").click();
		await page.getByTestId("form-editor").locator(".fjs-editor-container, .fjs-form-editor").first().waitFor();
		await expectClean(page);
		await screenshot(page, "form-editor-ar");
		await context.close();
	});

	it("should give an admin the monitor: counts, diagram overlays, an instance's tokens, resolve and cancel", async () => {
		const { context, page } = await newPage();
		await signIn(page, "admin");
		await page.goto(`${server.url}/#/monitor`);
		await page.locator("#definitions-title + .table-wrap tbody tr").first().waitFor();
		// The custody-clock board: the running clock, its deadline and the time left.
		await page.getByTestId("custody-board").locator(".clock-card").waitFor();
		const clock = await page.getByTestId("custody-board").locator(".clock-card").textContent();
		expect(clock).toContain("RUH-OLY-1447-000160-4");
		expect(clock).toContain("نهاية مهلة الحجز لدى الشرطة");
		expect(clock).toMatch(/متبقٍّ [٠-٩]+ س/);
		expect(await page.locator("#definitions-title + .table-wrap tbody tr td.num--alert").textContent()).toBe("١");
		await page.locator("#definitions-title + .table-wrap a").first().click();
		const diagram = page.getByTestId("monitor-diagram");
		await diagram.locator(".overlay--incident").waitFor();
		expect(await diagram.evaluate((element) => getComputedStyle(element).direction)).toBe("ltr");
		await page.getByTestId("heatmap").check();
		expect(await diagram.getAttribute("class")).toContain("heat-on");
		expect(await diagram.locator(".heat-4").count()).toBeGreaterThan(0);
		await expectClean(page);

		await page.locator("a[href$='/2251799813685290']").click();
		await diagram.locator(".mizan-incident").first().waitFor({ state: "attached" });
		expect(await page.locator(".table").last().textContent()).toContain("RUH-OLY-1447-000153-9");
		await expectClean(page);
		await screenshot(page, "monitor-instance-ar");
		// Variables are edited as JSON; broken JSON is refused in the browser.
		await page.locator("[data-variable=reviewDue]").click();
		const editor = page.getByLabel("reviewDue");
		await editor.fill("2026-12-05");
		await page.locator("td:has(textarea) .btn--primary").click();
		expect(await page.locator("td:has(textarea) .field-error").textContent()).toContain("JSON");
		await editor.fill('"2026-12-05"');
		await page.locator("td:has(textarea) .btn--primary").click();
		await expect.poll(() => page.locator(".table").last().textContent()).toContain('"2026-12-05"');
		await page.locator(".incident button").click();
		await expect.poll(() => page.locator(".incident button").count()).toBe(0);
		expect(fixture.calls).toContain("POST /v2/incidents/2251799813685400/resolution");
		const cancel = page.locator(".panel:has(#instance-title) .page-head .btn--danger");
		await cancel.click();
		await expect.poll(() => cancel.count()).toBe(0);

		// Instance search, CSV export, batch operations with a result per item.
		await page.goto(`${server.url}/#/monitor`);
		await page.locator("#search-case").fill("RUH-OLY-1447-000153-9");
		await page.locator("#search-from").fill("2026-11-01");
		expect(await page.locator("#instance-search-title ~ form .filter-echo").textContent()).toContain("١٤٤٨ هـ");
		await page.locator("#instance-search-title ~ form button[type=submit]").click();
		await page.getByTestId("instance-results").waitFor();
		expect(await page.getByTestId("instance-results").locator("tbody tr").count()).toBe(1);
		await page.getByTestId("export-csv").click();
		await expect.poll(() => fixture.calls.includes("POST /v2/process-instances/export")).toBe(true);
		await page.getByTestId("batch-retry").click();
		expect(await page.locator("[role=alert]").last().textContent()).toContain("معرّف الإجراء");
		await page.getByTestId("batch-cancel").click();
		await page.getByTestId("batch-cancel").click();
		await page.getByTestId("batch-results").waitFor();
		expect(await page.getByTestId("batch-results").textContent()).toContain("Instance is not active");
		await expectClean(page);
		await screenshot(page, "monitor-search-ar");

		// While the API lacks a route, the screen says so instead of showing an empty list.
		fixture.missing.add("/v2/process-definitions");
		await page.goto(`${server.url}/#/monitor`);
		await page.reload();
		await page.getByTestId("not-available").first().waitFor();
		expect(await page.getByTestId("not-available").first().textContent()).toContain("غير متاح بعد");
		fixture.missing.clear();
		await context.close();
	});

	it("should show an auditor the audit log in both languages", async () => {
		const auditor = await newPage();
		await signIn(auditor.page, "auditor");
		await auditor.page.locator(".table tbody tr").first().waitFor();
		await auditor.page.getByTestId("verify").click();
		await auditor.page.locator(".notice--success").waitFor();
		await expectClean(auditor.page);
		await screenshot(auditor.page, "audit-ar");
		await auditor.page.getByTestId("switch-language").click();
		await auditor.page.locator(".table tbody tr").first().waitFor();
		expect(await auditor.page.locator("h1").textContent()).toBe("Audit log");
		await expectClean(auditor.page);
		await auditor.context.close();
	});
});
