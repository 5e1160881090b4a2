/**
 * `npm run bench:engine`: throughput and latency of the embedded engine through its gateway.
 *
 * Diagram: start → service task → end. The engine runs in this process on PostgreSQL on this machine
 * (DATABASE_URL's server, else an embedded PostgreSQL in a temporary folder); a creator and a worker,
 * both real `zeebe-node` clients, run in their own child processes.
 *   1. latency: the creator starts 100 instances/s for BENCH_SECONDS; printed are p50/p99 of
 *      create-request-sent → job-completion-acknowledged;
 *   2. saturation: the creator keeps BENCH_CONCURRENCY creates in flight for BENCH_SECONDS; printed is
 *      the rate of completed instances (job completions acknowledged) after a warm-up;
 *   3. the same diagram in npm `bpmn-engine`, in memory without durability, and the ratio.
 */
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import pino from "pino";

const TASK_TYPE = "bench-task";
const PROCESS_ID = "bench-process";
const DIAGRAM = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  id="bench-definitions" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="${PROCESS_ID}" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>to-task</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="to-task" sourceRef="start" targetRef="task" />
    <bpmn:serviceTask id="task">
      <bpmn:extensionElements><zeebe:taskDefinition type="${TASK_TYPE}" /></bpmn:extensionElements>
      <bpmn:incoming>to-task</bpmn:incoming><bpmn:outgoing>to-end</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="to-end" sourceRef="task" targetRef="end" />
    <bpmn:endEvent id="end"><bpmn:incoming>to-end</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>`;

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 200);
const now = () => performance.timeOrigin + performance.now();

type ToChild = { cmd: "saturate"; durationMs: number; concurrency: number } | { cmd: "rate"; durationMs: number; perSecond: number } | { cmd: "stop" };
type FromChild =
	| { kind: "ready" }
	| { kind: "created"; samples: Array<[string, number]> }
	| { kind: "completed"; samples: Array<[string, number]> }
	| { kind: "done"; created: number; errors: number };

// ---------------------------------------------------------------- child processes

async function runCreator(address: string): Promise<void> {
	const { ZBClient } = await import("zeebe-node");
	const zb = new ZBClient(address, { useTLS: false, loglevel: "NONE", retry: false });
	const send = (message: FromChild) => process.send?.(message);
	process.on("message", async (message: ToChild) => {
		if (message.cmd === "stop") {
			await zb.close();
			process.exit(0);
		}
		let created = 0;
		let errors = 0;
		const samples: Array<[string, number]> = [];
		const flush = setInterval(() => {
			if (samples.length > 0) send({ kind: "created", samples: samples.splice(0) });
		}, 200);
		const createOne = async () => {
			const startedAt = now();
			try {
				const result = await zb.createProcessInstance({ bpmnProcessId: PROCESS_ID, variables: { startedAt } });
				created++;
				samples.push([result.processInstanceKey, startedAt]);
			} catch {
				errors++;
			}
		};
		const until = Date.now() + message.durationMs;
		if (message.cmd === "saturate") {
			await Promise.all(
				Array.from({ length: message.concurrency }, async () => {
					while (Date.now() < until) await createOne();
				}),
			);
		} else {
			const interval = 1000 / message.perSecond;
			const started = Date.now();
			const inFlight: Promise<void>[] = [];
			for (let index = 0; Date.now() < until; index++) {
				const due = started + index * interval;
				const wait = due - Date.now();
				if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
				inFlight.push(createOne());
			}
			await Promise.all(inFlight);
		}
		clearInterval(flush);
		if (samples.length > 0) send({ kind: "created", samples: samples.splice(0) });
		send({ kind: "done", created, errors });
	});
	send({ kind: "ready" });
}

async function runWorker(address: string): Promise<void> {
	const { ZBClient } = await import("zeebe-node");
	const zb = new ZBClient(address, { useTLS: false, loglevel: "NONE" });
	const samples: Array<[string, number]> = [];
	setInterval(() => {
		if (samples.length > 0) process.send?.({ kind: "completed", samples: samples.splice(0) } satisfies FromChild);
	}, 100);
	zb.createWorker({
		taskType: TASK_TYPE,
		maxJobsToActivate: 500,
		// zeebe-node polls on a timer (300 ms by default); a short one keeps the long poll always open.
		pollInterval: 2,
		timeout: 60_000,
		taskHandler: async (job) => {
			const ack = await job.complete();
			samples.push([job.processInstanceKey, now()]);
			return ack;
		},
	});
	process.on("message", async (message: ToChild) => {
		if (message.cmd === "stop") {
			await zb.close();
			process.exit(0);
		}
	});
	process.send?.({ kind: "ready" } satisfies FromChild);
}

// ---------------------------------------------------------------- orchestration

function spawnChild(role: "creator" | "worker", address: string) {
	const child = fork(fileURLToPath(import.meta.url), [role, address], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
	const listeners = new Set<(message: FromChild) => void>();
	child.on("message", (message: FromChild) => {
		for (const listener of listeners) listener(message);
	});
	const next = (kind: FromChild["kind"]) =>
		new Promise<FromChild>((resolve) => {
			const listener = (message: FromChild) => {
				if (message.kind !== kind) return;
				listeners.delete(listener);
				resolve(message);
			};
			listeners.add(listener);
		});
	return { child, listeners, next, send: (message: ToChild) => child.send(message) };
}

function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return Number.NaN;
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

async function benchBpmnEngine(count: number): Promise<number> {
	const { Engine } = await import("bpmn-engine");
	const { BpmnModdle } = await import("bpmn-moddle");
	// Parsed once, as the embedded engine does at deployment: the loop below measures execution only.
	const moddleContext = await new BpmnModdle().fromXML(DIAGRAM);
	const run = () =>
		new Promise<void>((resolve, reject) => {
			const engine = new Engine({ name: "bench", moddleContext, settings: { enableDummyService: true } });
			engine.execute({ variables: { startedAt: now() } }, (error: Error | null) => (error ? reject(error) : resolve()));
			engine.once("end", () => resolve());
		});
	for (let index = 0; index < 200; index++) await run();
	const started = now();
	const batch = 50;
	for (let done = 0; done < count; done += batch) await Promise.all(Array.from({ length: batch }, run));
	return count / ((now() - started) / 1000);
}

async function provideDatabaseUrl(): Promise<{ url: string; stop(): Promise<void> }> {
	let adminUrl = process.env.DATABASE_URL;
	let stopCluster = async () => {};
	if (!adminUrl) {
		const { startEmbeddedPostgres } = await import("./platform/embedded-postgres");
		const dataDir = mkdtempSync(path.join(tmpdir(), "mizan-bench-pg-"));
		const cluster = await startEmbeddedPostgres({ dataDir, port: 0 });
		adminUrl = cluster.adminUrl;
		stopCluster = async () => {
			await cluster.stop();
			rmSync(dataDir, { recursive: true, force: true });
		};
	}
	const name = `mizan_bench_${Date.now()}`;
	const admin = new pg.Client({ connectionString: adminUrl });
	await admin.connect();
	await admin.query(`create database ${name}`);
	await admin.end();
	const url = new URL(adminUrl);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		stop: async () => {
			const client = new pg.Client({ connectionString: adminUrl });
			await client.connect();
			await client.query(`drop database if exists ${name} with (force)`);
			await client.end();
			await stopCluster();
		},
	};
}

async function main(): Promise<void> {
	const { startEngine } = await import("../engine/index");
	const { ZBClient } = await import("zeebe-node");
	const database = await provideDatabaseUrl();
	const engine = await startEngine({ databaseUrl: database.url, gatewayPort: 0, logger: pino({ level: process.env.LOG_LEVEL ?? "warn" }) });
	const zb = new ZBClient(engine.gatewayAddress, { useTLS: false, loglevel: "NONE" });
	await zb.deployResource({ process: Buffer.from(DIAGRAM), name: "bench.bpmn" });

	const worker = spawnChild("worker", engine.gatewayAddress);
	const creator = spawnChild("creator", engine.gatewayAddress);
	await Promise.all([worker.next("ready"), creator.next("ready")]);
	const completedAt = new Map<string, number>();
	const createdAt = new Map<string, number>();
	worker.listeners.add((message) => {
		if (message.kind === "completed") for (const [key, at] of message.samples) completedAt.set(key, at);
	});
	creator.listeners.add((message) => {
		if (message.kind === "created") for (const [key, at] of message.samples) createdAt.set(key, at);
	});
	const drain = async () => {
		for (let waited = 0; waited < 30_000 && completedAt.size < createdAt.size; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
	};

	// 1. latency at a fixed rate, first: on a fresh database, not behind the saturation run's vacuum; after a
	// 2 s warm-up at the same rate so that JIT compilation is not measured.
	creator.send({ cmd: "rate", durationMs: 2_000, perSecond: 100 });
	await creator.next("done");
	await drain();
	completedAt.clear();
	createdAt.clear();
	creator.send({ cmd: "rate", durationMs: seconds * 1000, perSecond: 100 });
	const paced = (await creator.next("done")) as Extract<FromChild, { kind: "done" }>;
	await new Promise((resolve) => setTimeout(resolve, 300));
	await drain();
	const latencies: number[] = [];
	for (const [key, created] of createdAt) {
		const completed = completedAt.get(key);
		if (completed !== undefined) latencies.push(completed - created);
	}
	latencies.sort((a, b) => a - b);
	console.log(
		`latency at 100/s: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${percentile(latencies, 100).toFixed(1)} ms (${latencies.length} of ${paced.created} instances completed, ${paced.errors} create errors)`,
	);

	// 2. saturation
	completedAt.clear();
	createdAt.clear();
	const warmUpMs = Math.min(3_000, (seconds * 1000) / 4);
	creator.send({ cmd: "saturate", durationMs: seconds * 1000, concurrency });
	const startedAt = now();
	await new Promise((resolve) => setTimeout(resolve, warmUpMs));
	const windowStart = now();
	const saturated = (await creator.next("done")) as Extract<FromChild, { kind: "done" }>;
	const windowEnd = now();
	await new Promise((resolve) => setTimeout(resolve, 300));
	let inWindow = 0;
	for (const at of completedAt.values()) if (at >= windowStart && at <= windowEnd) inWindow++;
	const throughput = inWindow / ((windowEnd - windowStart) / 1000);
	await drain();
	console.log(`saturation: ${throughput.toFixed(0)} completed instances/s (window ${((windowEnd - windowStart) / 1000).toFixed(1)} s, ${saturated.created} created in ${((windowEnd - startedAt) / 1000).toFixed(1)} s, ${saturated.errors} create errors, concurrency ${concurrency})`);

	creator.send({ cmd: "stop" });
	worker.send({ cmd: "stop" });
	await zb.close();
	await engine.stop();
	await database.stop();

	// 3. bpmn-engine in memory
	const reference = await benchBpmnEngine(5_000);
	console.log(`bpmn-engine (in memory, no durability, no worker round trip): ${reference.toFixed(0)} instances/s`);
	console.log(`ratio embedded engine / bpmn-engine: ${(throughput / reference).toFixed(2)}`);
	const targets = throughput >= 500 && percentile(latencies, 99) <= 100;
	console.log(`targets (≥ 500 instances/s, p99 ≤ 100 ms at 100/s): ${targets ? "met" : "NOT met"}`);
}

const [role, address] = process.argv.slice(2);
if (role === "creator" && address) await runCreator(address);
else if (role === "worker" && address) await runWorker(address);
else
	await main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
