import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZBClient } from "zeebe-node";
import { createTestDatabase, type TestDatabase } from "../../scripts/testing/database";
import { oneTaskProcess } from "../gateway/test-diagrams";
import { EngineQueries } from "../query/engine-queries";
import { EngineStore } from "../store/engine-store";

const root = path.resolve(import.meta.dirname, "../..");

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.listen(0, () => {
			const address = server.address();
			server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
		});
	});
}

/** `npm run engine` in a child process, resolved once its gateway answers. */
async function startEngineProcess(databaseUrl: string, port: number): Promise<ChildProcess> {
	const child = spawn(process.execPath, ["--import", "tsx", "scripts/engine.ts"], {
		cwd: root,
		env: { ...process.env, DATABASE_URL: databaseUrl, GATEWAY_PORT: String(port), MANAGEMENT_PORT: "0", LOG_LEVEL: "warn" },
		stdio: ["ignore", "ignore", "pipe"],
	});
	let stderr = "";
	child.stderr?.on("data", (chunk) => (stderr += chunk));
	const zb = new ZBClient(`localhost:${port}`, { useTLS: false, loglevel: "NONE", retry: false });
	try {
		for (const deadline = Date.now() + 30_000; ; ) {
			if (child.exitCode !== null) throw new Error(`engine exited with ${child.exitCode}: ${stderr}`);
			try {
				await zb.topology();
				return child;
			} catch {
				if (Date.now() > deadline) throw new Error(`engine did not answer within 30 s: ${stderr}`);
				await new Promise((resolve) => setTimeout(resolve, 200));
			}
		}
	} finally {
		await zb.close();
	}
}

const exited = (child: ChildProcess) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once("exit", resolve)));

describe("crash recovery", () => {
	let db: TestDatabase;
	let child: ChildProcess | undefined;
	beforeAll(async () => {
		db = await createTestDatabase("engine_crash");
	});
	afterAll(async () => {
		if (child && child.exitCode === null) child.kill("SIGKILL");
		await db.drop();
	});

	it("should keep every acknowledged instance, variable, job and incident after SIGKILL under load", async () => {
		const port = await freePort();
		child = await startEngineProcess(db.url, port);
		const zb = new ZBClient(`localhost:${port}`, { useTLS: false, loglevel: "NONE", retry: false });
		await zb.deployResource({ process: Buffer.from(oneTaskProcess("crash", "crash-job")), name: "crash.bpmn" });
		const acknowledged: string[] = [];
		for (let index = 0; index < 20; index++) acknowledged.push((await zb.createProcessInstance({ bpmnProcessId: "crash", variables: { index } })).processInstanceKey);
		const activated = await zb.activateJobs({ type: "crash-job", worker: "doomed", maxJobsToActivate: 5, timeout: 2_000, requestTimeout: -1 });
		expect(activated).toHaveLength(5);
		const failed = activated[0];
		await zb.failJob({ jobKey: failed?.key ?? "", retries: 0, errorMessage: "will survive", retryBackOff: 0 });
		await zb.setVariables({ elementInstanceKey: acknowledged[1] ?? "", variables: { marker: "kept" }, local: false });

		// Load while the process is killed: only the creates that were answered count.
		let stop = false;
		const load = Promise.all(
			Array.from({ length: 8 }, async () => {
				while (!stop) {
					try {
						acknowledged.push((await zb.createProcessInstance({ bpmnProcessId: "crash", variables: {} })).processInstanceKey);
					} catch {
						return;
					}
				}
			}),
		);
		await new Promise((resolve) => setTimeout(resolve, 600));
		child.kill("SIGKILL");
		stop = true;
		await exited(child);
		await load;
		await zb.close();
		expect(acknowledged.length).toBeGreaterThan(20);

		child = await startEngineProcess(db.url, port);
		const after = new ZBClient(`localhost:${port}`, { useTLS: false, loglevel: "NONE", retry: false });
		const store = await EngineStore.open({ databaseUrl: db.url, logger: pino({ level: "silent" }) });
		const queries = new EngineQueries(store.knex);
		try {
			for (const key of acknowledged) expect((await queries.getInstance(key))?.state, `instance ${key}`).toBe("ACTIVE");
			expect((await queries.instanceVariables(acknowledged[1] ?? "")).find((variable) => variable.name === "marker")?.value).toBe("kept");
			const incidents = await queries.searchIncidents({ state: "ACTIVE" });
			expect(incidents.items).toMatchObject([{ errorType: "JOB_NO_RETRIES", jobKey: failed?.key }]);

			// The engine's own state survived too, not only the projections: the jobs activated before the crash
			// come back after their time-out, the failed one stays out until its incident is resolved.
			const fresh = await after.createProcessInstance({ bpmnProcessId: "crash", variables: {} });
			expect(BigInt(fresh.processInstanceKey)).toBeGreaterThan(BigInt(acknowledged.reduce((max, key) => (BigInt(key) > BigInt(max) ? key : max))));
			await new Promise((resolve) => setTimeout(resolve, 2_500));
			const reactivated = await after.activateJobs({ type: "crash-job", worker: "survivor", maxJobsToActivate: 1000, timeout: 60_000, requestTimeout: -1 });
			const keys = new Set(reactivated.map((job) => job.key));
			for (const job of activated.slice(1)) expect(keys.has(job.key), `job ${job.key} back after its time-out`).toBe(true);
			expect(keys.has(failed?.key ?? "")).toBe(false);
			// Creates committed just before the kill but never answered may add jobs; none may be missing.
			expect(reactivated.length).toBeGreaterThanOrEqual(acknowledged.length);
			await after.updateJobRetries({ jobKey: failed?.key ?? "", retries: 1 });
			await after.resolveIncident({ incidentKey: incidents.items[0]?.key ?? "" });
		} finally {
			await after.close();
			await store.close();
		}

		// A clean stop takes a snapshot; the next start restores it and replays nothing lost.
		child.kill("SIGTERM");
		await exited(child);
		expect(child.exitCode).toBe(0);
		child = await startEngineProcess(db.url, port);
		const third = new ZBClient(`localhost:${port}`, { useTLS: false, loglevel: "NONE", retry: false });
		try {
			const [job] = await third.activateJobs({ type: "crash-job", worker: "third", maxJobsToActivate: 1, timeout: 60_000, requestTimeout: -1 });
			expect(job?.key).toBe(failed?.key);
			await third.completeJob({ jobKey: job?.key ?? "", variables: {} });
		} finally {
			await third.close();
		}
		child.kill("SIGTERM");
		await exited(child);
	}, 120_000);
});
