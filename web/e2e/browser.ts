import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { axePath } from "./web-server";

/** Debian's chromium (installed by `.ci/run`); Playwright's own browser downloads are never used. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Where the screenshots of every screen are written (see web/README.md). */
export const screenshotDir = fileURLToPath(new URL("../screenshots/", import.meta.url));

/** Starts headless chromium with everything that could reach the network switched off. */
export function launchBrowser(): Promise<Browser> {
	return chromium.launch({
		executablePath: chromiumPath,
		args: [
			"--headless",
			"--no-sandbox",
			"--disable-gpu",
			"--disable-quic",
			"--no-first-run",
			"--disable-background-networking",
			"--disable-component-update",
			"--disable-sync",
			"--font-render-hinting=none",
		],
	});
}

/** Writes `web/screenshots/<name>.png` of the viewport. */
export async function screenshot(page: Page, name: string): Promise<void> {
	await mkdir(screenshotDir, { recursive: true });
	await page.screenshot({ path: `${screenshotDir}${name}.png` });
}

/** One axe-core violation, reduced to what a failure message needs. */
export interface AxeViolation {
	id: string;
	impact: string | null;
	help: string;
	targets: string[];
}

/**
 * Runs axe-core on the page and answers the serious and critical violations. `exclude` lists selectors of
 * third-party widgets (bpmn-js canvas, form-js editor) whose markup is not ours.
 */
export async function seriousAxeViolations(page: Page, exclude: string[] = []): Promise<AxeViolation[]> {
	// Loaded from the app's origin (see web-server.ts): the page's CSP refuses inline scripts.
	await page.addScriptTag({ url: axePath });
	return page.evaluate(async (excluded) => {
		const axe = (
			window as unknown as {
				axe: {
					run(
						context: unknown,
						options: unknown,
					): Promise<{
						violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
					}>;
				};
			}
		).axe;
		const result = await axe.run(
			{ include: [["body"]], exclude: excluded.map((selector) => [selector]) },
			{ resultTypes: ["violations"] },
		);
		return result.violations
			.filter((violation) => violation.impact === "serious" || violation.impact === "critical")
			.map((violation) => ({
				id: violation.id,
				impact: violation.impact,
				help: violation.help,
				targets: violation.nodes.slice(0, 5).map((node) => node.target.join(" ")),
			}));
	}, exclude);
}

/**
 * Elements whose content is wider or taller than their box and gets clipped or spills out (text overflowing
 * its box), plus a page wider than the window. Scroll containers (overflow auto/scroll) are meant to scroll
 * and are skipped, as is everything inside `exclude`.
 */
export async function overflowingElements(page: Page, exclude: string[] = []): Promise<string[]> {
	return page.evaluate((excluded) => {
		const found: string[] = [];
		const root = document.documentElement;
		if (root.scrollWidth > window.innerWidth + 1)
			found.push(`page is ${root.scrollWidth}px wide in a ${window.innerWidth}px window`);
		for (const element of Array.from(document.body.querySelectorAll<HTMLElement>("*"))) {
			if (excluded.some((selector) => element.closest(selector))) continue;
			if (element.closest(".visually-hidden")) continue;
			const style = getComputedStyle(element);
			if (style.display === "inline" || style.display === "none" || style.visibility === "hidden") continue;
			if (["auto", "scroll"].includes(style.overflowX) || ["auto", "scroll"].includes(style.overflowY)) continue;
			if (
				["SVG", "svg", "SELECT", "TEXTAREA", "INPUT", "OPTION", "HTML", "BODY", "SCRIPT", "STYLE"].includes(
					element.tagName,
				)
			)
				continue;
			if (element.clientWidth === 0 && element.clientHeight === 0) continue;
			const wide = element.scrollWidth > element.clientWidth + 1;
			const tall = element.scrollHeight > element.clientHeight + 1 && style.overflowY !== "visible";
			if (wide || tall) {
				const name = `${element.tagName.toLowerCase()}${element.className && typeof element.className === "string" ? `.${element.className.trim().split(/\s+/).join(".")}` : ""}`;
				found.push(
					`${name} (${element.scrollWidth}×${element.scrollHeight} in ${element.clientWidth}×${element.clientHeight}): "${(element.textContent ?? "").trim().slice(0, 40)}"`,
				);
			}
		}
		return found;
	}, exclude);
}

const violations = new WeakMap<Page, string[]>();

/** Starts recording the page's Content-Security-Policy violations (console errors) for {@link cspViolations}. */
export function watchCsp(page: Page): Page {
	const seen: string[] = [];
	violations.set(page, seen);
	page.on("console", (message) => {
		if (message.type() === "error" && /Content Security Policy/i.test(message.text())) seen.push(message.text());
	});
	return page;
}

/** The CSP violations of a page watched with {@link watchCsp}. */
export function cspViolations(page: Page): string[] {
	return violations.get(page) ?? [];
}
