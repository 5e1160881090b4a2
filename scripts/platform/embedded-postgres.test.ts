import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "./embedded-postgres";

const postmasterPid = (dataDir: string) => Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);

describe("embedded PostgreSQL", () => {
	const dataDir = mkdtempSync(path.join(tmpdir(), "mizan-epg-"));
	afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

	it("should keep data across a stop and a start on the same folder", async () => {
		const first = await startEmbeddedPostgres({ dataDir, port: 0 });
		const client = new pg.Client({ connectionString: first.adminUrl });
		await client.connect();
		await client.query("create table kept (v text); insert into kept values ('still here')");
		await client.end();
		await first.stop();

		const second = await startEmbeddedPostgres({ dataDir, port: 0 });
		const again = new pg.Client({ connectionString: second.adminUrl });
		await again.connect();
		const { rows } = await again.query("select v from kept");
		await again.end();
		expect(rows).toEqual([{ v: "still here" }]);
		await second.stop();
	});

	it("should start over a stale postmaster.pid whose process is gone", async () => {
		writeFileSync(path.join(dataDir, "postmaster.pid"), "999999\n/nonexistent\n");
		const cluster = await startEmbeddedPostgres({ dataDir, port: 0 });
		expect(postmasterPid(dataDir)).not.toBe(999999);
		await cluster.stop();
	});

	it("should stop promptly when PostgreSQL already died on its own", async () => {
		const cluster = await startEmbeddedPostgres({ dataDir, port: 0 });
		process.kill(postmasterPid(dataDir), "SIGKILL");
		await new Promise((resolve) => setTimeout(resolve, 300));
		const startedAt = Date.now();
		await cluster.stop();
		expect(Date.now() - startedAt).toBeLessThan(5_000);
		// and the next start cleans up after the dead postmaster
		const next = await startEmbeddedPostgres({ dataDir, port: 0 });
		await next.stop();
	});
});
