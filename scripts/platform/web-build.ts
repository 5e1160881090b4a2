import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Logger } from "pino";

/** Newest modification time (ms) of the files under `target` (a file or a folder). */
function newestChange(target: string): number {
	if (!existsSync(target)) return 0;
	const stats = statSync(target);
	if (!stats.isDirectory()) return stats.mtimeMs;
	return readdirSync(target).reduce((newest, name) => Math.max(newest, newestChange(path.join(target, name))), stats.mtimeMs);
}

/**
 * Makes sure `web/dist` holds a build of the current web sources, building it with Vite when it is missing
 * or older than a source file (so `npm install && npm start` needs no separate build step).
 * @returns the dist folder
 */
export async function ensureWebBuilt(root: string, logger: Logger): Promise<string> {
	const web = path.join(root, "web");
	const dist = path.join(web, "dist");
	const fresh = () => {
		const built = newestChange(path.join(dist, "index.html"));
		const sources = Math.max(
			newestChange(path.join(web, "src")),
			newestChange(path.join(web, "index.html")),
			newestChange(path.join(web, "vite.config.ts")),
		);
		return { built, upToDate: built > 0 && built >= sources };
	};
	if (fresh().upToDate) return dist;
	// Two platforms starting at once (tests, a second terminal) must not both build into web/dist: one builds, the
	// other waits for it. The lock is a folder (mkdir is atomic) holding the builder's pid; a dead builder's lock
	// is taken over.
	const lock = path.join(web, ".dist-build.lock");
	for (;;) {
		try {
			mkdirSync(lock);
			writeFileSync(path.join(lock, "pid"), String(process.pid));
			break;
		} catch {
			if (!builderAlive(lock)) {
				rmSync(lock, { recursive: true, force: true });
				continue;
			}
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}
	try {
		const { built, upToDate } = fresh();
		if (upToDate) return dist;
		await build(root, logger, built);
	} finally {
		rmSync(lock, { recursive: true, force: true });
	}
	return dist;
}

/** Whether the process holding the build lock still runs (a lock without its pid counts as alive for 10 s). */
function builderAlive(lock: string): boolean {
	let pid: number;
	try {
		pid = Number(readFileSync(path.join(lock, "pid"), "utf8"));
	} catch {
		try {
			return Date.now() - statSync(lock).mtimeMs < 10_000;
		} catch {
			return false;
		}
	}
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

async function build(root: string, logger: Logger, built: number): Promise<void> {
	logger.info({ reason: built === 0 ? "no build yet" : "sources changed" }, "building the web app (vite build)");
	const startedAt = Date.now();
	await new Promise<void>((resolve, reject) => {
		let output = "";
		const child = spawn(process.execPath, [path.join(root, "node_modules/vite/bin/vite.js"), "build", "--config", "web/vite.config.ts", "--logLevel", "warn"], {
			cwd: root,
			stdio: ["ignore", "pipe", "pipe"],
		});
		child.stdout.on("data", (chunk) => (output += chunk));
		child.stderr.on("data", (chunk) => (output += chunk));
		child.on("error", reject);
		child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`vite build failed (exit ${code}): ${output.slice(-2000)}`))));
	});
	logger.info({ ms: Date.now() - startedAt }, "web app built");
}
