import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The dependency rules of ARCHITECTURE.md, checked on every `npm test` (a rule nobody checks is a wish).
 * Each rule names a folder, the imports it must not have, and why.
 */
const root = path.resolve(import.meta.dirname, "..");

function sourceFiles(folder: string): string[] {
	const dir = path.join(root, folder);
	let entries: string[];
	try {
		entries = readdirSync(dir);
	} catch {
		return [];
	}
	return entries.flatMap((name) => {
		const full = path.join(dir, name);
		const relative = path.join(folder, name);
		if (name === "node_modules" || name === "dist") return [];
		if (statSync(full).isDirectory()) return sourceFiles(relative);
		return /\.(ts|tsx|js|mjs)$/.test(name) ? [relative] : [];
	});
}

/** Every module specifier a file imports (static, dynamic and re-exports). */
function importsOf(source: string): string[] {
	const specifiers: string[] = [];
	const pattern = /(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)|import\s+["']([^"']+)["']/g;
	for (const match of source.matchAll(pattern)) specifiers.push(match[1] ?? match[2] ?? match[3]);
	return specifiers;
}

/** The top-level folder an import lands in, or the package name for bare imports. */
function target(file: string, specifier: string): { folder?: string; path?: string; pkg?: string } {
	if (!specifier.startsWith(".")) return { pkg: specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0] };
	const resolved = path.relative(root, path.resolve(root, path.dirname(file), specifier));
	return { folder: resolved.split(path.sep)[0], path: resolved };
}

interface Violation {
	file: string;
	specifier: string;
}

function violations(folder: string, forbidden: (t: ReturnType<typeof target>, file: string) => boolean): Violation[] {
	return sourceFiles(folder).flatMap((file) =>
		importsOf(readFileSync(path.join(root, file), "utf8"))
			.filter((specifier) => forbidden(target(file, specifier), file))
			.map((specifier) => ({ file, specifier })),
	);
}

describe("architecture", () => {
	it("should keep engine/ self-contained: no import of api/, workers/, domain/, web/ or scripts/", () => {
		// Tests may use the shared test support (a real PostgreSQL per test file); product code may not.
		const testSupport = (t: ReturnType<typeof target>, file: string) =>
			file.endsWith(".test.ts") && (t.path ?? "").startsWith(path.join("scripts", "testing"));
		expect(
			violations("engine", (t, file) => ["api", "workers", "domain", "web", "scripts"].includes(t.folder ?? "") && !testSupport(t, file)),
		).toEqual([]);
	});

	it("should keep engine/core, engine/bpmn and engine/feel pure: no database, network, framework or clock", () => {
		const io = ["pg", "@mikro-orm/core", "@mikro-orm/postgresql", "@grpc/grpc-js", "@grpc/proto-loader", "fastify", "zeebe-node", "node:fs", "node:net", "node:http", "node:child_process"];
		for (const folder of ["engine/core", "engine/bpmn", "engine/feel"]) {
			expect(violations(folder, (t) => io.includes(t.pkg ?? ""))).toEqual([]);
			const clockOrRandom = sourceFiles(folder)
				.filter((file) => !file.endsWith(".test.ts"))
				.filter((file) => /\bDate\.now\(|\bnew Date\(\)|Math\.random\(/.test(readFileSync(path.join(root, file), "utf8")));
			expect(clockOrRandom).toEqual([]);
		}
	});

	it("should let api/ and workers/ reach the engine only through zeebe-node, except engine/query for monitoring", () => {
		for (const folder of ["api", "workers"]) {
			const reachesIn = violations(folder, (t) => t.folder === "engine" && !(t.path ?? "").startsWith(path.join("engine", "query")));
			expect(reachesIn).toEqual([]);
		}
	});

	it("should keep domain/ free of HTTP, BPMN and the other parts", () => {
		expect(violations("domain", (t) => ["api", "workers", "engine", "web"].includes(t.folder ?? ""))).toEqual([]);
		expect(violations("domain", (t) => ["fastify", "zeebe-node", "bpmn-moddle", "@grpc/grpc-js"].includes(t.pkg ?? ""))).toEqual([]);
	});

	it("should find imports of every form (guards the checker itself)", () => {
		const source = `import a from "../api/x";\nimport { b } from '../../domain/y';\nexport * from "./z";\nconst c = await import("../web/w");\nimport "./side";`;
		expect(importsOf(source)).toEqual(["../api/x", "../../domain/y", "./z", "../web/w", "./side"]);
	});
});
