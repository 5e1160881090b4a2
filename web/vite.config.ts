import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const webRoot = fileURLToPath(new URL(".", import.meta.url));

/**
 * The web app: root `web/`, output `web/dist` (served by the API at `/`). The dev server proxies `/v2` to the
 * API on :3000 so `npm run dev:web` works against a running `npm start`.
 */
export default defineConfig({
	root: webRoot,
	base: "./",
	build: {
		outDir: "dist",
		emptyOutDir: true,
		chunkSizeWarningLimit: 4000,
		target: "es2022",
	},
	server: {
		proxy: { "/v2": "http://127.0.0.1:3000", "/health": "http://127.0.0.1:3000" },
		// The element templates live in processes/.camunda/ beside web/.
		fs: { allow: [fileURLToPath(new URL("..", import.meta.url))] },
	},
});
