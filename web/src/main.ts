import "./styles/app.css";
import { currentToken, setUnauthenticatedHandler } from "./api/client";
import { me, type Principal, type Screen, screensFor, signOut } from "./api/session";
import { applyToDocument, onLocaleChange, t } from "./i18n/i18n";
import { renderSignIn } from "./screens/sign-in.screen";
import { renderShell } from "./shell";
import { h, replace } from "./ui/dom";
import { errorBox, loading } from "./ui/feedback";

/** What a mounted screen gives back to the router. */
export interface MountedScreen {
	/** Stops timers and subscriptions; called before another screen is mounted. */
	destroy(): void;
	/**
	 * Re-labels the screen after a language or digit change without losing its state (the modeler keeps its
	 * diagram). Without it the screen is mounted again.
	 */
	relocalize?(): void;
}

/** Context handed to every screen. */
export interface ScreenContext {
	principal: Principal;
	/** The route after the screen name, e.g. `["2251799813685249"]` for `#/tasks/2251799813685249`. */
	params: string[];
	navigate(hash: string): void;
}

type Mount = (container: HTMLElement, context: ScreenContext) => MountedScreen | Promise<MountedScreen>;

// Heavy screens (bpmn-js, form-js editor) are loaded on first use so the task list opens fast.
const screens: Record<Screen, () => Promise<Mount>> = {
	tasks: () => import("./screens/tasks.screen").then((module) => module.mountTasks),
	modeler: () => import("./screens/modeler.screen").then((module) => module.mountModeler),
	forms: () => import("./screens/form-editor.screen").then((module) => module.mountFormEditor),
	start: () => import("./screens/start.screen").then((module) => module.mountStart),
	monitor: () => import("./screens/monitor.screen").then((module) => module.mountMonitor),
	audit: () => import("./screens/audit.screen").then((module) => module.mountAudit),
};

const app = document.getElementById("app")!;
let principal: Principal | null = null;
let mounted: MountedScreen | null = null;
let mountedRoute = "";
let signInNotice: string | undefined;

function parseRoute(): { screen: string; params: string[] } {
	const [screen = "", ...params] = location.hash
		.replace(/^#\/?/, "")
		.split("/")
		.filter(Boolean)
		.map(decodeURIComponent);
	return { screen, params };
}

function unmount(): void {
	mounted?.destroy();
	mounted = null;
	mountedRoute = "";
}

async function render(): Promise<void> {
	applyToDocument();
	if (!principal) {
		unmount();
		replace(
			app,
			renderSignIn((signedIn) => {
				principal = signedIn;
				signInNotice = undefined;
				const first = screensFor(signedIn)[0];
				if (first && !location.hash.startsWith(`#/${first}`)) location.hash = `#/${first}`;
				else void render();
			}, signInNotice),
		);
		app.querySelector<HTMLInputElement>("#username")?.focus();
		return;
	}
	const allowed = screensFor(principal);
	const route = parseRoute();
	const screen = allowed.find((name) => name === route.screen) ?? null;
	if (!screen) {
		if (allowed[0]) location.hash = `#/${allowed[0]}`;
		else {
			unmount();
			const shell = renderShell(principal, null, doSignOut);
			replace(app, shell.root);
		}
		return;
	}
	unmount();
	const shell = renderShell(principal, screen, doSignOut);
	replace(app, shell.root);
	replace(shell.main, loading());
	const routeKey = location.hash;
	try {
		const mount = await screens[screen]();
		if (location.hash !== routeKey || !principal) return;
		const container = h("div", { class: `screen screen--${screen}` });
		replace(shell.main, container);
		mountedRoute = routeKey;
		mounted = await mount(container, { principal, params: route.params, navigate: (hash) => (location.hash = hash) });
	} catch (error) {
		replace(
			shell.main,
			errorBox(error, () => void render()),
		);
	}
}

function doSignOut(): void {
	signOut();
	principal = null;
	location.hash = "";
	void render();
}

setUnauthenticatedHandler(() => {
	signOut();
	principal = null;
	signInNotice = t("signIn.sessionExpired");
	void render();
});

window.addEventListener("hashchange", () => {
	// Routes inside a screen (a task key) are handled by the screen itself when it stays mounted.
	const route = parseRoute();
	if (mounted && mountedRoute.split("/")[1] === route.screen && "onRoute" in mounted) {
		(mounted as MountedScreen & { onRoute(params: string[]): void }).onRoute(route.params);
		mountedRoute = location.hash;
		return;
	}
	void render();
});

onLocaleChange(() => {
	if (mounted?.relocalize && principal) {
		const screen = parseRoute().screen as Screen;
		const shell = renderShell(principal, screen, doSignOut);
		const main = app.querySelector(".main");
		const content = main?.firstElementChild;
		replace(app, shell.root);
		if (content) shell.main.append(content);
		mounted.relocalize();
		return;
	}
	void render();
});

async function boot(): Promise<void> {
	applyToDocument();
	if (currentToken()) {
		replace(app, loading());
		try {
			principal = await me();
		} catch {
			signOut();
		}
	}
	await render();
}

void boot();
