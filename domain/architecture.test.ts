import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const DOMAIN = path.dirname(new URL(import.meta.url).pathname);
const FORBIDDEN_FOLDERS = ["api", "workers", "engine", "web"];
// domain/ knows nothing of HTTP or BPMN (ARCHITECTURE.md).
const FORBIDDEN_PACKAGES = [
	"fastify",
	"@fastify/",
	"zeebe-node",
	"@grpc/",
	"bpmn-moddle",
	"zeebe-bpmn-moddle",
	"dmn-moddle",
	"feelin",
];

function sourceFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const full = path.join(dir, name);
		if (statSync(full).isDirectory()) return name === "node_modules" ? [] : sourceFiles(full);
		return name.endsWith(".ts") ? [full] : [];
	});
}

function importsOf(file: string): string[] {
	const text = readFileSync(file, "utf8");
	return [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)["']([^"']+)["']/g)].map((match) => match[1]!);
}

describe("domain/ dependency rules", () => {
	const files = sourceFiles(DOMAIN);

	it("should find the domain sources", () => {
		expect(files.length).toBeGreaterThan(20);
	});

	it("should import nothing from api/, workers/, engine/ or web/", () => {
		const offending = files.flatMap((file) =>
			importsOf(file)
				.filter((spec) => spec.startsWith("."))
				.map((spec) => path.relative(path.dirname(DOMAIN), path.resolve(path.dirname(file), spec)))
				.filter((target) => FORBIDDEN_FOLDERS.includes(target.split(path.sep)[0]!))
				.map((target) => `${path.relative(DOMAIN, file)} → ${target}`),
		);
		expect(offending).toEqual([]);
	});

	it("should use no HTTP, gRPC or BPMN package", () => {
		const offending = files.flatMap((file) =>
			importsOf(file)
				.filter((spec) =>
					FORBIDDEN_PACKAGES.some((pkg) => spec === pkg || spec.startsWith(pkg.endsWith("/") ? pkg : `${pkg}/`)),
				)
				.map((spec) => `${path.relative(DOMAIN, file)} → ${spec}`),
		);
		expect(offending).toEqual([]);
	});

	it("should keep rules pure: no database, ORM or clock-reading imports in rules/", () => {
		const offending = files
			.filter((file) => file.includes(`${path.sep}rules${path.sep}`) && !file.endsWith(".test.ts"))
			.flatMap((file) =>
				importsOf(file)
					.filter(
						(spec) =>
							spec.startsWith("@mikro-orm") ||
							spec === "pg" ||
							spec.startsWith("../services") ||
							spec.startsWith("../entities"),
					)
					.map((spec) => `${path.relative(DOMAIN, file)} → ${spec}`),
			);
		expect(offending).toEqual([]);
	});
});
