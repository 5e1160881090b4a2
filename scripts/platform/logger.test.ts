import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { buildApp } from "../../api/app";
import { PartRegistry } from "../../api/health/part-registry";
import { createLogger } from "./logger";

/** A logger writing JSON lines into an array. */
function capture(): { lines: string[]; logger: ReturnType<typeof createLogger> } {
	const lines: string[] = [];
	const destination = new Writable({
		write(chunk: Buffer, _encoding, done) {
			lines.push(...chunk.toString().split("\n").filter(Boolean));
			done();
		},
	});
	return { lines, logger: createLogger({ level: "info", format: "json", destination }) };
}

describe("platform logger", () => {
	it("should mask national IDs and Iqama numbers anywhere in a line, and leave engine keys and times alone", () => {
		const { lines, logger } = capture();
		logger.info(
			{
				citizen: { id: "1012345678" },
				note: "iqama 2123456789 seen",
				processInstanceKey: "2251799813685291",
				n: 1098765432,
			},
			"lookup of 1012345678 done",
		);
		const line = lines.join("\n");
		for (const id of ["1012345678", "2123456789", "1098765432"]) expect(line).not.toContain(id);
		expect(line).toContain("1*****5678");
		expect(line).toContain("2*****6789");
		expect(line).toContain("2251799813685291");
		expect(JSON.parse(lines[0]!)).toMatchObject({ msg: "lookup of 1*****5678 done", app: "mizan" });
	});

	it("should redact passwords and tokens", () => {
		const { lines, logger } = capture();
		logger.info({ password: "hunter2", body: { token: "abc" } }, "sign-in");
		expect(lines[0]).not.toContain("hunter2");
		expect(lines[0]).not.toContain('"abc"');
	});

	it("should mask a national ID in the URL of an API request log line", async () => {
		const { lines, logger } = capture();
		const app = await buildApp({ logger, parts: new PartRegistry() });
		try {
			await app.inject({ url: "/v2/people/1012345678?nationalId=2123456789" });
		} finally {
			await app.close();
		}
		const requestLine = lines.find((line) => line.includes("incoming request"));
		expect(requestLine).toBeDefined();
		expect(requestLine).toContain("/v2/people/1*****5678?nationalId=2*****6789");
		expect(lines.join("\n")).not.toMatch(/1012345678|2123456789/);
	});
});
