/**
 * `npm run bench:engine`: throughput and latency of the embedded engine through its gateway.
 *
 * Diagram: start → service task → end. The engine runs in this process on PostgreSQL on this machine
 * (DATABASE_URL's server, else an embedded PostgreSQL in a temporary folder); a creator and a worker,
 * both real `zeebe-node` clients, run in their own child processes.
 *   1. latency: after a 3 s warm-up at the same rate (not counted), the creator starts 100 instances/s for
 *      BENCH_SECONDS; printed are p50/p99 of create-request-sent → job-completion-acknowledged;
 *   2. saturation: the creator keeps BENCH_CONCURRENCY creates in flight for BENCH_SECONDS; printed is
 *      the rate of completed instances (job completions acknowledged) after a warm-up;
 *   3. message correlation: start → message catch event (correlation key per instance) → end. The creator
 *      starts the instances with CreateProcessInstanceWithResult; once all wait at the catch event, a
 *      publisher child publishes one message per instance (time-to-live 0), first at 100/s, then with 100
 *      publishes in flight (BENCH_MESSAGES instances). Printed: correlations/s (first publish sent → last
 *      result received) and p50/p99 publish-request-sent → instance-result-received;
 *   4. one instance of a parallel multi-instance service task over BENCH_MI_ELEMENTS (1,000) items, its
 *      jobs completed by the worker child: create-with-result sent → result received, and jobs/s;
 *   5. the start → task → end diagram in npm `bpmn-engine`, in memory without durability, and the ratio.
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

const head = (id: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  id="${id}-definitions" targetNamespace="http://bpmn.io/schema/bpmn">`;

const MESSAGE_PROCESS_ID = "bench-message";
const MESSAGE_NAME = "bench-message";
const MESSAGE_DIAGRAM = `${head(MESSAGE_PROCESS_ID)}
  <bpmn:message id="bench-message-definition" name="${MESSAGE_NAME}">
    <bpmn:extensionElements><zeebe:subscription correlationKey="=correlationKey" /></bpmn:extensionElements>
  </bpmn:message>
  <bpmn:process id="${MESSAGE_PROCESS_ID}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:intermediateCatchEvent id="wait"><bpmn:messageEventDefinition messageRef="bench-message-definition" /></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="to-wait" sourceRef="start" targetRef="wait" />
    <bpmn:sequenceFlow id="to-end" sourceRef="wait" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

const MI_PROCESS_ID = "bench-multi-instance";
const MI_TASK_TYPE = "bench-mi-task";
const MI_DIAGRAM = `${head(MI_PROCESS_ID)}
  <bpmn:process id="${MI_PROCESS_ID}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:serviceTask id="each">
      <bpmn:extensionElements><zeebe:taskDefinition type="${MI_TASK_TYPE}" /></bpmn:extensionElements>
      <bpmn:multiInstanceLoopCharacteristics>
        <bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=items" inputElement="item" /></bpmn:extensionElements>
      </bpmn:multiInstanceLoopCharacteristics>
    </bpmn:serviceTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="to-each" sourceRef="start" targetRef="each" />
    <bpmn:sequenceFlow id="to-end" sourceRef="each" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 200);
const messageCount = Number(process.env.BENCH_MESSAGES ?? 2000);
const miElements = Number(process.env.BENCH_MI_ELEMENTS ?? 1000);
const now = () => performance.timeOrigin + performance.now();

type ToChild =
	| { cmd: "saturate"; durationMs: number; concurrency: number }
	| { cmd: "rate"; durationMs: number; perSecond: number }
	/** Creator: one CreateProcessInstanceWithResult per key (variable `correlationKey`), all in flight at once. */
	| { cmd: "await-results"; processId: string; keys: string[] }
	/** Publisher: one message per key, paced (`perSecond` > 0) or with `concurrency` publishes in flight. */
	| { cmd: "publish"; name: string; keys: string[]; perSecond: number; concurrency: number }
	| { cmd: "stop" };
type FromChild =
	| { kind: "ready" }
	| { kind: "created"; samples: Array<[string, number]> }
	| { kind: "completed"; samples: Array<[string, number]> }
	| { kind: "published"; samples: Array<[string, number]> }
	| { kind: "result"; samples: Array<[string, number]> }
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
		if (message.cmd === "await-results") {
			await awaitResults(zb, message.processId, message.keys);
			return;
		}
		if (message.cmd !== "saturate" && message.cmd !== "rate") return;
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

/** Starts one instance per key with CreateProcessInstanceWithResult and reports when each result arrives. */
async function awaitResults(zb: import("zeebe-node").ZBClient, processId: string, keys: string[]): Promise<void> {
	const results: Array<[string, number]> = [];
	let errors = 0;
	const flush = setInterval(() => {
		if (results.length > 0) process.send?.({ kind: "result", samples: results.splice(0) } satisfies FromChild);
	}, 100);
	await Promise.all(
		keys.map(async (correlationKey) => {
			try {
				await zb.createProcessInstanceWithResult({ bpmnProcessId: processId, variables: { correlationKey }, requestTimeout: 120_000 });
				results.push([correlationKey, now()]);
			} catch {
				errors++;
			}
		}),
	);
	clearInterval(flush);
	if (results.length > 0) process.send?.({ kind: "result", samples: results.splice(0) } satisfies FromChild);
	process.send?.({ kind: "done", created: keys.length - errors, errors } satisfies FromChild);
}

async function runPublisher(address: string): Promise<void> {
	const { ZBClient } = await import("zeebe-node");
	const zb = new ZBClient(address, { useTLS: false, loglevel: "NONE", retry: false });
	process.on("message", async (message: ToChild) => {
		if (message.cmd === "stop") {
			await zb.close();
			process.exit(0);
		}
		if (message.cmd !== "publish") return;
		const samples: Array<[string, number]> = [];
		let errors = 0;
		const flush = setInterval(() => {
			if (samples.length > 0) process.send?.({ kind: "published", samples: samples.splice(0) } satisfies FromChild);
		}, 100);
		const publishOne = async (correlationKey: string) => {
			const sentAt = now();
			try {
				await zb.publishMessage({ name: message.name, correlationKey, variables: {}, timeToLive: 0 });
				samples.push([correlationKey, sentAt]);
			} catch {
				errors++;
			}
		};
		if (message.perSecond > 0) {
			const interval = 1000 / message.perSecond;
			const started = Date.now();
			const inFlight: Promise<void>[] = [];
			for (const [index, key] of message.keys.entries()) {
				const wait = started + index * interval - Date.now();
				if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
				inFlight.push(publishOne(key));
			}
			await Promise.all(inFlight);
		} else {
			const queue = [...message.keys];
			await Promise.all(
				Array.from({ length: message.concurrency }, async () => {
					for (let key = queue.shift(); key !== undefined; key = queue.shift()) await publishOne(key);
				}),
			);
		}
		clearInterval(flush);
		if (samples.length > 0) process.send?.({ kind: "published", samples: samples.splice(0) } satisfies FromChild);
		process.send?.({ kind: "done", created: message.keys.length - errors, errors } satisfies FromChild);
	});
	process.send?.({ kind: "ready" } satisfies FromChild);
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
	// The multi-instance workload's jobs.
	zb.createWorker({ taskType: MI_TASK_TYPE, maxJobsToActivate: 500, pollInterval: 2, timeout: 60_000, taskHandler: (job) => job.complete() });
	process.on("message", async (message: ToChild) => {
		if (message.cmd === "stop") {
			await zb.close();
			process.exit(0);
		}
	});
	process.send?.({ kind: "ready" } satisfies FromChild);
}

// ---------------------------------------------------------------- orchestration

function spawnChild(role: "creator" | "worker" | "publisher", address: string) {
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
	await zb.deployResource({ process: Buffer.from(MESSAGE_DIAGRAM), name: "bench-message.bpmn" });
	await zb.deployResource({ process: Buffer.from(MI_DIAGRAM), name: "bench-multi-instance.bpmn" });

	const worker = spawnChild("worker", engine.gatewayAddress);
	const creator = spawnChild("creator", engine.gatewayAddress);
	const publisher = spawnChild("publisher", engine.gatewayAddress);
	await Promise.all([worker.next("ready"), creator.next("ready"), publisher.next("ready")]);
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
	// 3 s warm-up at the same rate (not counted) so that JIT compilation and cold caches are not measured.
	creator.send({ cmd: "rate", durationMs: 3_000, perSecond: 100 });
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

	// 3. message correlation: paced, then with 100 publishes in flight.
	const waitingInstances = async () => {
		const [row] = await engine.store.knex("engine_process_instance").where({ bpmn_process_id: MESSAGE_PROCESS_ID, state: "ACTIVE" }).count({ count: "*" });
		return Number((row as { count: string | number }).count);
	};
	const correlate = async (label: string, count: number, pace: { perSecond: number; concurrency: number }) => {
		const keys = Array.from({ length: count }, (_, index) => `${label}-${index}`);
		const published = new Map<string, number>();
		const results = new Map<string, number>();
		const collect = (message: FromChild) => {
			if (message.kind === "published") for (const [key, at] of message.samples) published.set(key, at);
			if (message.kind === "result") for (const [key, at] of message.samples) results.set(key, at);
		};
		publisher.listeners.add(collect);
		creator.listeners.add(collect);
		const created = creator.next("done") as Promise<Extract<FromChild, { kind: "done" }>>;
		creator.send({ cmd: "await-results", processId: MESSAGE_PROCESS_ID, keys });
		// Time-to-live 0: a message correlates only to a subscription open now, so every instance must wait first.
		for (let waited = 0; waited < 60_000 && (await waitingInstances()) < count; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
		const sent = publisher.next("done") as Promise<Extract<FromChild, { kind: "done" }>>;
		publisher.send({ cmd: "publish", name: MESSAGE_NAME, keys, ...pace });
		const publishDone = await sent;
		const createDone = await Promise.race([created, new Promise<null>((resolve) => setTimeout(() => resolve(null), 30_000))]);
		await new Promise((resolve) => setTimeout(resolve, 200));
		publisher.listeners.delete(collect);
		creator.listeners.delete(collect);
		const latencies: number[] = [];
		for (const [key, at] of results) {
			const sentAt = published.get(key);
			if (sentAt !== undefined) latencies.push(at - sentAt);
		}
		latencies.sort((a, b) => a - b);
		const first = Math.min(...published.values());
		const last = Math.max(...results.values());
		const rate = results.size / ((last - first) / 1000);
		return { rate, latencies, completed: results.size, publishErrors: publishDone.errors, createErrors: createDone?.errors ?? Number.NaN };
	};
	const pacedCount = Math.min(messageCount, 100 * Math.min(seconds, 5));
	const pacedMessages = await correlate("paced", pacedCount, { perSecond: 100, concurrency: 0 });
	console.log(
		`message correlation at 100 publishes/s: p50 ${percentile(pacedMessages.latencies, 50).toFixed(1)} ms, p99 ${percentile(pacedMessages.latencies, 99).toFixed(1)} ms publish → instance completed (${pacedMessages.completed} of ${pacedCount}, ${pacedMessages.publishErrors} publish errors)`,
	);
	const burst = await correlate("burst", messageCount, { perSecond: 0, concurrency: 100 });
	console.log(
		`message correlation, 100 publishes in flight: ${burst.rate.toFixed(0)} correlations/s, p50 ${percentile(burst.latencies, 50).toFixed(1)} ms, p99 ${percentile(burst.latencies, 99).toFixed(1)} ms publish → instance completed (${burst.completed} of ${messageCount} instances, ${burst.publishErrors} publish errors, ${burst.createErrors} create errors)`,
	);

	// 4. one instance, a parallel multi-instance service task over miElements items.
	const items = Array.from({ length: miElements }, (_, index) => index + 1);
	const miStarted = now();
	await zb.createProcessInstanceWithResult({ bpmnProcessId: MI_PROCESS_ID, variables: { items }, fetchVariables: ["none"], requestTimeout: 300_000 });
	const miSeconds = (now() - miStarted) / 1000;
	console.log(`parallel multi-instance of ${miElements} service tasks (one instance, one worker): completed in ${miSeconds.toFixed(2)} s, ${(miElements / miSeconds).toFixed(0)} jobs/s`);

	creator.send({ cmd: "stop" });
	worker.send({ cmd: "stop" });
	publisher.send({ cmd: "stop" });
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
else if (role === "publisher" && address) await runPublisher(address);
else
	await main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
