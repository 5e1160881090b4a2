import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ZBClient } from "zeebe-node";
import { oneTaskProcess } from "../../engine/gateway/test-diagrams";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { type EngineProcess, startEngineProcess } from "../testing/engine-process";
import { twoTasksProcess } from "./fault-diagrams";
import { eventually, plainClient, sleep, withClient } from "./fault-kit";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** Starts scripts/faults/doomed-worker.ts, waits until it holds its jobs, and returns their keys and the process. */
async function doomedWorker(gatewayAddress: string, type: string, maxJobs: number, timeoutMs: number) {
	const child = spawn(process.execPath, ["--import", "tsx", "scripts/faults/doomed-worker.ts"], {
		cwd: root,
		env: {
			...process.env,
			GATEWAY_ADDRESS: gatewayAddress,
			JOB_TYPE: type,
			MAX_JOBS: String(maxJobs),
			JOB_TIMEOUT_MS: String(timeoutMs),
		},
		stdio: ["ignore", "pipe", "pipe"],
	});
	let output = "";
	const holding = await new Promise<string[]>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`the doomed worker took no jobs within 30 s: ${output}`)), 30_000);
		const onData = (chunk: Buffer) => {
			output += chunk.toString();
			const line = /\{"holding":.*\}/.exec(output);
			if (line) {
				clearTimeout(timer);
				resolve((JSON.parse(line[0]) as { holding: string[] }).holding);
			}
		};
		child.stdout.on("data", onData);
		child.stderr.on("data", onData);
		child.on("exit", (code) => reject(new Error(`the doomed worker exited with ${code}: ${output}`)));
	});
	child.removeAllListeners("exit");
	return {
		holding,
		kill: () =>
			new Promise<void>((resolve) => {
				if (child.exitCode !== null || child.signalCode !== null) return resolve();
				child.once("exit", () => resolve());
				child.kill("SIGKILL");
			}),
	};
}

describe("workers that die or are slow", () => {
	let db: TestDatabase;
	let engine: EngineProcess;
	let zb: ZBClient;

	beforeAll(async () => {
		db = await createTestDatabase("faults_workers");
		engine = await startEngineProcess(db.url);
		zb = plainClient(engine.gatewayAddress);
	});
	afterAll(async () => {
		await zb?.close();
		await engine?.stop();
		await db?.drop();
	});

	const instanceStates = (processId: string) =>
		withClient(db.url, async (client) => {
			const result = await client.query(
				"select key::text, state from engine_process_instance where bpmn_process_id = $1",
				[processId],
			);
			return new Map(result.rows.map((row) => [row.key as string, row.state as string]));
		});

	it("should hand the jobs of a worker killed while holding them to another worker once their time-out passed", async () => {
		await zb.deployResource({ process: Buffer.from(oneTaskProcess("wd-held", "wd-held-job")), name: "wd-held.bpmn" });
		for (let index = 0; index < 6; index++)
			await zb.createProcessInstance({ bpmnProcessId: "wd-held", variables: { index } });
		const timeoutMs = 2_000;
		const doomed = await doomedWorker(engine.gatewayAddress, "wd-held-job", 6, timeoutMs);
		expect(doomed.holding).toHaveLength(6);
		await doomed.kill();
		// The engine's deadlines of the held jobs (epoch ms): no other worker may get them before.
		const deadline = await withClient(db.url, async (client) => {
			const result = await client.query(
				"select min(deadline)::float8 as deadline from engine_job where key = any($1::bigint[]) and state = 'ACTIVATED'",
				[doomed.holding],
			);
			return result.rows[0].deadline as number;
		});

		const completedBy = new Map<string, number>();
		const survivor = zb.createWorker({
			taskType: "wd-held-job",
			id: "survivor",
			timeout: 60_000,
			longPoll: 5_000,
			loglevel: "NONE",
			taskHandler: (job) => {
				completedBy.set(job.key, Date.now() - deadline);
				return job.complete();
			},
		});
		try {
			await eventually(
				async () => [...(await instanceStates("wd-held")).values()].every((state) => state === "COMPLETED"),
				15_000,
				() => `not every instance completed; survivor did ${completedBy.size} jobs`,
			);
			const after = [...completedBy.values()];
			console.log(
				`dead worker: its ${doomed.holding.length} jobs (time-out ${timeoutMs} ms) were done by another worker ${Math.min(...after)}–${Math.max(...after)} ms after their deadline`,
			);
			// The same jobs (not new ones) came back, not before their deadline, and within the time-out checker's 1 s.
			expect([...completedBy.keys()].sort()).toEqual([...doomed.holding].sort());
			for (const ms of after) expect(ms).toBeGreaterThanOrEqual(0);
			for (const ms of after) expect(ms).toBeLessThan(5_000);
		} finally {
			await survivor.close();
		}
	});

	it("should let a fast worker go on while a slow worker holds jobs, of another type or of the same type", async () => {
		await zb.deployResource({
			process: Buffer.from(twoTasksProcess("wd-mixed", "wd-slow", "wd-fast")),
			name: "wd-mixed.bpmn",
		});
		await zb.deployResource({
			process: Buffer.from(oneTaskProcess("wd-shared", "wd-shared-job")),
			name: "wd-shared.bpmn",
		});
		for (let index = 0; index < 8; index++) {
			await zb.createProcessInstance({ bpmnProcessId: "wd-mixed", variables: {} });
			await zb.createProcessInstance({ bpmnProcessId: "wd-shared", variables: {} });
		}
		const SLOW_MS = 6_000;
		const done = { slow: 0, fast: 0, sharedSlow: 0, sharedFast: 0 };
		const started = Date.now();
		const slowHandler =
			(count: "slow" | "sharedSlow") => async (job: { complete: () => Promise<"JOB_ACTION_ACKNOWLEDGEMENT"> }) => {
				await sleep(SLOW_MS);
				done[count]++;
				return job.complete();
			};
		const workers = [
			zb.createWorker({
				taskType: "wd-slow",
				id: "slow",
				maxJobsToActivate: 2,
				timeout: 60_000,
				longPoll: 5_000,
				loglevel: "NONE",
				taskHandler: slowHandler("slow"),
			}),
			zb.createWorker({
				taskType: "wd-shared-job",
				id: "shared-slow",
				maxJobsToActivate: 2,
				timeout: 60_000,
				longPoll: 5_000,
				loglevel: "NONE",
				taskHandler: slowHandler("sharedSlow"),
			}),
		];
		await sleep(300);
		workers.push(
			zb.createWorker({
				taskType: "wd-fast",
				id: "fast",
				timeout: 60_000,
				longPoll: 5_000,
				loglevel: "NONE",
				taskHandler: (job) => {
					done.fast++;
					return job.complete();
				},
			}),
			zb.createWorker({
				taskType: "wd-shared-job",
				id: "shared-fast",
				timeout: 60_000,
				longPoll: 5_000,
				loglevel: "NONE",
				taskHandler: (job) => {
					done.sharedFast++;
					return job.complete();
				},
			}),
		);
		try {
			// While the slow workers sit on their first jobs, the fast ones finish everything else.
			await eventually(
				async () => done.fast === 8 && done.sharedFast === 6,
				SLOW_MS - 1_000,
				() => `fast workers blocked: ${JSON.stringify(done)}`,
			);
			const fastMs = Date.now() - started;
			expect(done.slow).toBe(0);
			expect(done.sharedSlow).toBe(0);
			console.log(
				`slow worker: the fast workers finished 8 + 6 jobs in ${fastMs} ms while the slow ones (${SLOW_MS} ms per job) held theirs`,
			);
		} finally {
			await Promise.all(workers.map((worker) => worker.close()));
		}
	}, 60_000);
});
