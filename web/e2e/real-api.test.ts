import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pino from "pino";
import type { Browser, Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TaskEvents } from "../../api/tasks/task-events";
import type { UserTaskJob } from "../../api/tasks/user-task-job";
import { storeUserTaskJob } from "../../api/tasks/user-task.worker";
import { type ApiTestKit, createApiTestKit } from "../../api/testing/api-test-kit";
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
 * The contract test: the built app against the real `/v2` API of api/ (buildApp on a test PostgreSQL with the
 * demo users), with user tasks stored the way the task worker stores engine jobs. This is the only place web/
 * touches api/ code, and only to start it; the app itself still talks HTTP only.
 */

const configFile = fileURLToPath(new URL("../vite.config.ts", import.meta.url));
const formsDir = new URL("../../forms/", import.meta.url);
const logger = pino({ level: "silent" });
let nextKey = 2251799813690000;

function userTaskJob(headers: Record<string, string>, variables: Record<string, unknown>): UserTaskJob {
	nextKey += 7;
	return {
		key: String(nextKey),
		type: "io.camunda.zeebe:userTask",
		processInstanceKey: String(nextKey - 3),
		bpmnProcessId: "criminal-inquiry",
		processDefinitionVersion: 1,
		processKey: "2251799813684001",
		elementId: "take-statement",
		elementInstanceKey: String(nextKey - 1),
		customHeaders: headers,
		deadline: String(Date.now() + 30 * 24 * 3600 * 1000),
		variables,
	};
}

const events = new TaskEvents();
let kit: ApiTestKit;
let outDir: string;
let server: WebServer;
let browser: Browser;

async function storeTask(
	name: string,
	caseNumber: string,
	dueInHours: number,
	group = "investigation-officer:RUH-OLY",
): Promise<string> {
	const job = userTaskJob(
		{
			"io.camunda.zeebe:candidateGroups": JSON.stringify([group]),
			"io.camunda.zeebe:dueDate": new Date(Date.now() + dueInHours * 3_600_000).toISOString(),
			"io.camunda.zeebe:formKey": "camunda-forms:bpmn:take-statement",
		},
		{
			caseNumber,
			arrestedAt: new Date(Date.now() - 10 * 3_600_000).toISOString(),
			offences: [{ ar: "سرقة", en: "Theft" }],
		},
	);
	const stored = await storeUserTaskJob(job, { orm: kit.orm, logger, events, resolveName: async () => name });
	return stored.task.key;
}

beforeAll(async () => {
	outDir = await mkdtemp(join(tmpdir(), "mizan-web-api-"));
	const [, testKit] = await Promise.all([
		build({ configFile, logLevel: "silent", build: { outDir, emptyOutDir: true } }),
		createApiTestKit("web", {
			api: {
				tasks: {
					events,
					// The forms of forms/, found by the id at the end of the form key, as the platform will resolve them.
					formResolver: async (formKey) =>
						JSON.parse(readFileSync(new URL(`${formKey.split(":").pop()}.form`, formsDir), "utf8")),
				},
			},
		}),
	]);
	kit = testKit;
	const apiUrl = await kit.app.listen({ port: 0, host: "127.0.0.1" });
	server = await startWebServer(outDir, proxyTo(apiUrl));
	browser = await launchBrowser();
}, 90_000);

afterAll(async () => {
	await browser?.close();
	await server?.close();
	await kit?.close();
	if (outDir) await rm(outDir, { recursive: true, force: true });
});

async function signIn(page: Page, username: string): Promise<void> {
	await page.goto(server.url);
	await page.locator("#username").fill(username);
	await page.locator("#password").fill("mizan-demo-2026");
	await page.locator("form.sign-in__form button[type=submit]").click();
	await page.locator(".topbar").waitFor();
}

describe("web app on the real API", () => {
	it("should sign an officer in, list the group's tasks, update live, open the form from forms/ and claim", async () => {
		const firstKey = await storeTask("سماع أقوال المبلّغ", "RUH-OLY-1447-000153-9", 30);
		const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, timezoneId: "Asia/Riyadh" });
		const page = watchCsp(await context.newPage());
		page.setDefaultTimeout(10_000);
		await signIn(page, "officer.olaya");
		expect(await page.locator(".user__name").textContent()).not.toBe("");

		await page.locator("[data-view=groups]").click();
		await page.locator(`[data-task-key='${firstKey}']`).waitFor();
		expect(await page.locator(`[data-task-key='${firstKey}'] .task-card__case bdi`).textContent()).toBe(
			"RUH-OLY-1447-000153-9",
		);

		// A task stored while the list is open arrives over /v2/events without a reload.
		await page.locator(".live__dot").waitFor();
		const secondKey = await storeTask("تفتيش موقع الحادث", "RUH-OLY-1447-000160-4", 3);
		await page.locator(`[data-task-key='${secondKey}']`).waitFor();
		expect(await page.locator(`[data-task-key='${secondKey}'] [data-badge=near]`).count()).toBe(1);

		// A filter saved and shared with the unit comes back as it was saved.
		await page.locator("#filter-caseNumber").fill("RUH-OLY-1447-000160-4");
		await page.locator("form.filters button[type=submit]").click();
		await expect.poll(() => page.locator(".task-card").count()).toBe(1);
		await page.locator("#saved-filter-name").fill("بلاغات العليا العاجلة");
		await page.locator("#saved-filter-share").selectOption("RUH-OLY");
		await page.locator(".saved-filters__save button[type=submit]").click();
		await expect.poll(() => page.locator("#saved-filter option").count()).toBe(2);
		await page.locator("form.filters .filters__actions button.btn--ghost").click();
		await expect.poll(() => page.locator(".task-card").count()).toBe(2);
		await page.locator("#saved-filter").selectOption({ index: 1 });
		await expect.poll(() => page.locator(".task-card").count()).toBe(1);
		await page.locator("form.filters .filters__actions button.btn--ghost").click();
		await expect.poll(() => page.locator(".task-card").count()).toBe(2);

		// A variable condition (name=value) finds the task whose variables hold it; a malformed one is refused.
		await page.locator("#filter-variables").fill("RUH-OLY-1447-000153-9");
		expect(await page.locator("#filter-variables").getAttribute("aria-invalid")).toBe("true");
		await page.locator("#filter-variables").fill("caseNumber=RUH-OLY-1447-000153-9");
		await page.locator("form.filters button[type=submit]").click();
		await expect.poll(() => page.locator(".task-card").count()).toBe(1);
		expect(await page.locator(`[data-task-key='${firstKey}']`).count()).toBe(1);
		await page.locator("form.filters .filters__actions button.btn--ghost").click();
		await expect.poll(() => page.locator(".task-card").count()).toBe(2);

		await page.locator(`[data-task-key='${firstKey}'] .task-card__name`).click();
		const form = page.getByTestId("task-form");
		await form.locator(".fjs-form-field").first().waitFor();
		const translations = JSON.parse(readFileSync(new URL("take-statement.i18n.json", formsDir), "utf8")) as Record<
			"ar" | "en",
			Record<string, string>
		>;
		expect(await form.locator(".fjs-form-field-label").allTextContents()).toContainEqual(
			expect.stringContaining(translations.ar.statementText!),
		);
		await page.getByTestId("claim").click();
		await page.getByTestId("unclaim").waitFor();
		expect(await page.locator(".task-detail").textContent()).toContain("officer.olaya");

		await page.locator("#new-comment").fill("بدأت سماع الأقوال.");
		await page.locator(".comments__form button[type=submit]").click();
		await expect.poll(() => page.locator(".comment__text").allTextContents()).toContain("بدأت سماع الأقوال.");

		await page.getByTestId("switch-language").click();
		await expect
			.poll(() => form.locator(".fjs-form-field-label").allTextContents())
			.toContainEqual(expect.stringContaining(translations.en.statementText!));
		expect(await overflowingElements(page, [".fjs-container"])).toEqual([]);
		expect(await seriousAxeViolations(page)).toEqual([]);
		expect(cspViolations(page)).toEqual([]);
		await screenshot(page, "real-api-task-en");
		await context.close();
	});

	it("should let a supervisor assign a unit's task to someone else", async () => {
		const key = await storeTask("مراجعة محضر الضبط", "RUH-OLY-1447-000170-2", 48);
		const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, timezoneId: "Asia/Riyadh" });
		const page = watchCsp(await context.newPage());
		page.setDefaultTimeout(10_000);
		await signIn(page, "supervisor.olaya");
		await page.goto(`${server.url}/#/tasks/${key}`);
		await page.locator(".task-detail__title").waitFor();
		await expect.poll(() => page.locator("#reassign-to option").count()).toBeGreaterThan(0);
		const assignee = await page.locator("#reassign-to").inputValue();
		expect(assignee).not.toBe("");
		await page.getByTestId("reassign").click();
		const headers = await kit.as("supervisor.olaya");
		await expect
			.poll(
				async () => (await kit.app.inject({ method: "GET", url: `/v2/user-tasks/${key}`, headers })).json().assignee,
			)
			.toBe(assignee);
		await expect.poll(() => page.locator(".task-detail .facts").textContent()).toContain(assignee);
		await context.close();
	});

	it("should give an investigator the prosecution liaison's tasks only, with the case panel, in both languages", async () => {
		const liaisonKey = await storeTask("استلام ملف الإحالة", "RUH-OLY-1447-000180-0", 20, "prosecution-liaison:RUH-OLY");
		const officersKey = await storeTask("معاينة مسرح الجريمة", "RUH-OLY-1447-000181-8", 20);
		const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, timezoneId: "Asia/Riyadh" });
		const page = watchCsp(await context.newPage());
		page.setDefaultTimeout(10_000);
		await signIn(page, "investigator.riyadh");
		expect(await page.locator("html").getAttribute("dir")).toBe("rtl");
		// The navigation offers what the role may use: tasks, not the modeler, the monitor or the audit log.
		const screens = await page.locator(".sidenav__link").evaluateAll((links) => links.map((link) => link.getAttribute("data-screen")));
		expect(screens).toContain("tasks");
		for (const forbidden of ["modeler", "monitor", "audit"]) expect(screens).not.toContain(forbidden);
		await page.locator("[data-view=groups]").click();
		await page.locator(`[data-task-key='${liaisonKey}']`).waitFor();
		expect(await page.locator(`[data-task-key='${officersKey}']`).count()).toBe(0);
		await page.locator(`[data-task-key='${liaisonKey}'] .task-card__name`).click();
		await page.getByTestId("task-form").locator(".fjs-form-field").first().waitFor();
		await page.locator(".case-panel .clock").waitFor();
		expect(await page.locator(".case-panel").textContent()).toContain("RUH-OLY-1447-000180-0");
		expect(await seriousAxeViolations(page)).toEqual([]);
		await screenshot(page, "real-api-investigator-ar");
		await page.getByTestId("switch-language").click();
		await expect.poll(() => page.locator("html").getAttribute("dir")).toBe("ltr");
		expect(await overflowingElements(page, [".task-detail"])).toEqual([]);
		expect(cspViolations(page)).toEqual([]);
		await screenshot(page, "real-api-investigator-en");
		await context.close();
	});

	it("should list the linter's problems when an analyst deploys an unfinished diagram", async () => {
		const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, timezoneId: "Asia/Riyadh" });
		const page = watchCsp(await context.newPage());
		page.setDefaultTimeout(10_000);
		await signIn(page, "analyst");
		await page.getByTestId("bpmn-canvas").locator(".djs-element").first().waitFor();
		await page.getByTestId("deploy").click();
		// The blank diagram (a lone start event) breaks bpmnlint rules; nothing is deployed.
		await page.getByTestId("deploy-problems").waitFor();
		expect(await page.getByTestId("deploy-problems").locator("li").count()).toBeGreaterThan(0);
		expect(await page.getByTestId("deploy-problems").textContent()).toContain("StartEvent_1");
		await context.close();
	});

	it("should show an auditor the real audit log with the sign-ins", async () => {
		const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, timezoneId: "Asia/Riyadh" });
		const page = watchCsp(await context.newPage());
		page.setDefaultTimeout(10_000);
		await signIn(page, "auditor");
		await page.locator(".table tbody tr").first().waitFor();
		expect(await page.locator(".table tbody [data-action=LOGIN]").count()).toBeGreaterThan(0);
		expect(await page.locator(".table tbody").textContent()).toContain("تسجيل دخول");
		await page.getByTestId("verify").click();
		await page.locator(".notice--success").waitFor();
		await context.close();
	});
});
