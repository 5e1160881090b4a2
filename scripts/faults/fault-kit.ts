import { readFileSync } from "node:fs";
import pg from "pg";
import { type ActivateJobsRequest, type Job, ZBClient } from "zeebe-node";

/** A zeebe-node client that reports every failure at once (no retries), so a test sees what the engine answered. */
export function plainClient(gatewayAddress: string): ZBClient {
	return new ZBClient(gatewayAddress, { useTLS: false, loglevel: "NONE", retry: false });
}

/**
 * `zb.activateJobs` without long polling, bounded in time: zeebe-node's activateJobs resolves on the first message of the
 * stream only, so a stream cut by a killed engine would leave it pending for ever.
 */
export function activateNow(
	zb: ZBClient,
	request: Omit<ActivateJobsRequest, "requestTimeout">,
	withinMs = 3_000,
): Promise<Job[]> {
	return new Promise<Job[]>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`ActivateJobs got no answer within ${withinMs} ms`)), withinMs);
		zb.activateJobs({ ...request, requestTimeout: -1 }).then(
			(jobs) => {
				clearTimeout(timer);
				resolve(jobs);
			},
			(error) => {
				clearTimeout(timer);
				reject(error);
			},
		);
	});
}

/** The gRPC status code of a zeebe-node error (its `code`, or the number its message starts with). */
export function grpcCode(error: unknown): number | undefined {
	const code = (error as { code?: unknown }).code;
	if (typeof code === "number") return code;
	const match = /^(\d+) /.exec((error as Error)?.message ?? "");
	return match ? Number(match[1]) : undefined;
}

export const UNAVAILABLE = 14;
export const RESOURCE_EXHAUSTED = 8;
export const NOT_FOUND = 5;

/**
 * mulberry32: a small seeded PRNG, so that a failing run's kill points can be replayed with `FAULTS_SEED`.
 * @returns a function giving numbers in [0, 1)
 */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** The seed of this run: `FAULTS_SEED` when set, else a fresh one. */
export function runSeed(): number {
	const raw = process.env.FAULTS_SEED;
	if (raw !== undefined && raw !== "") {
		const seed = Number(raw);
		if (!Number.isSafeInteger(seed)) throw new Error(`FAULTS_SEED must be a whole number, but is '${raw}'.`);
		return seed;
	}
	return Math.floor(Math.random() * 2 ** 31);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a value other than undefined/false, or throws `message` after `withinMs`. */
export async function eventually<T>(
	check: () => Promise<T | undefined | false>,
	withinMs: number,
	message: () => string,
): Promise<T> {
	const until = Date.now() + withinMs;
	for (;;) {
		const value = await check();
		if (value !== undefined && value !== false) return value;
		if (Date.now() > until) throw new Error(message());
		await sleep(50);
	}
}

/** Resident set size of a process in bytes (Linux `/proc/<pid>/status`, VmRSS). */
export function residentBytes(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, "utf8");
	const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
	if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`);
	return Number(match[1]) * 1024;
}

/** Runs `fn` with a short-lived connection to `url`. */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		return await fn(client);
	} finally {
		await client.end();
	}
}

/** POSTs JSON to the engine's management port (e.g. `/actuator/clock/add`). */
export async function management(
	port: number,
	path: string,
	body?: unknown,
): Promise<{ status: number; body: unknown }> {
	const response = await fetch(`http://127.0.0.1:${port}${path}`, {
		method: body === undefined ? "GET" : "POST",
		...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
	});
	const text = await response.text();
	let parsed: unknown = text;
	try {
		parsed = JSON.parse(text);
	} catch {}
	return { status: response.status, body: parsed };
}
