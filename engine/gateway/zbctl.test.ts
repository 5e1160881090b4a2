import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../scripts/testing/database";
import { startEngine } from "../index";
import type { RunningEngine } from "../runtime/engine-host";
import { messageCatchProcess, signalProcess } from "./event-diagrams";
import { oneTaskProcess } from "./test-diagrams";

const zbctl = path.resolve(import.meta.dirname, "../../node_modules/zbctl/bin/zbctl-cli.linux");
const run = promisify(execFile);

describe("zbctl against the gateway", () => {
	let db: TestDatabase;
	let engine: RunningEngine;
	let folder: string;
	beforeAll(async () => {
		db = await createTestDatabase("engine_zbctl");
		engine = await startEngine({ databaseUrl: db.url, gatewayPort: 0, logger: pino({ level: "silent" }) });
		folder = mkdtempSync(path.join(tmpdir(), "mizan-zbctl-"));
	});
	afterAll(async () => {
		rmSync(folder, { recursive: true, force: true });
		await engine.stop();
		await db.drop();
	});

	const zb = (...args: string[]) => run(zbctl, ["--insecure", "--address", `127.0.0.1:${engine.gatewayPort}`, ...args], { timeout: 20_000 });

	it("should show the topology with `zbctl status`", async () => {
		const { stdout } = await zb("status");
		expect(stdout).toContain("Cluster size: 1");
		expect(stdout).toContain("Partitions count: 1");
		expect(stdout).toMatch(/Partition 1 : Leader, Healthy/);
	});

	it("should deploy a BPMN file and create an instance with zbctl", async () => {
		const file = path.join(folder, "zbctl-case.bpmn");
		writeFileSync(file, oneTaskProcess("zbctl-case", "zbctl-job"));
		const deployed = await zb("deploy", file);
		// zbctl 8.4 deploys through the deprecated DeployProcess RPC.
		expect(JSON.parse(deployed.stdout)).toMatchObject({ processes: [{ bpmnProcessId: "zbctl-case", version: 1, resourceName: expect.stringMatching(/zbctl-case\.bpmn$/) }] });
		const created = await zb("create", "instance", "zbctl-case", "--variables", '{"caseNo":"Z-1"}');
		expect(JSON.parse(created.stdout)).toMatchObject({ bpmnProcessId: "zbctl-case", version: 1 });
	});

	it("should correlate a message published with `zbctl publish message`", async () => {
		const file = path.join(folder, "zbctl-wait.bpmn");
		writeFileSync(file, messageCatchProcess("zbctl-wait", "zbctl-ruling"));
		await zb("deploy", file);
		const created = JSON.parse((await zb("create", "instance", "zbctl-wait", "--variables", '{"caseId":"Z-9"}')).stdout) as { processInstanceKey: string };
		const published = await zb("publish", "message", "zbctl-ruling", "--correlationKey", "Z-9", "--variables", '{"ruling":"upheld"}');
		expect(JSON.parse(published.stdout)).toMatchObject({ key: expect.any(String) });
		const until = Date.now() + 5_000;
		let state: string | undefined;
		while (state !== "COMPLETED" && Date.now() < until) {
			state = (await engine.queries.getInstance(String(created.processInstanceKey)))?.state;
			if (state !== "COMPLETED") await new Promise((resolve) => setTimeout(resolve, 50));
		}
		expect(state).toBe("COMPLETED");
	});

	it("should start a process with `zbctl broadcast signal`", async () => {
		const file = path.join(folder, "zbctl-signal.bpmn");
		writeFileSync(file, signalProcess("zbctl-signal", "zbctl-open", "zbctl-close"));
		await zb("deploy", file);
		const broadcast = await zb("broadcast", "signal", "zbctl-open", "--variables", '{"by":"zbctl"}');
		expect(JSON.parse(broadcast.stdout)).toMatchObject({ key: expect.any(String) });
		const instances = await engine.queries.searchInstances({ bpmnProcessId: "zbctl-signal" });
		expect(instances.items.map((instance) => instance.state)).toEqual(["ACTIVE"]);
	});
});
