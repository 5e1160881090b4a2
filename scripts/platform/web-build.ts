import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
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
	const built = newestChange(path.join(dist, "index.html"));
	const sources = Math.max(
		newestChange(path.join(web, "src")),
		newestChange(path.join(web, "index.html")),
		newestChange(path.join(web, "vite.config.ts")),
	);
	if (built > 0 && built >= sources) return dist;
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
	return dist;
}
