/** What the crash tests record as acknowledged, and how they check it against what PostgreSQL holds. */
import { expect } from "vitest";
import type { ZBClient } from "zeebe-node";
import { oneTaskProcess } from "../../engine/gateway/test-diagrams";
import { messageThenTaskProcess, timerThenTaskProcess } from "./fault-diagrams";
import { activateNow, eventually, management, sleep, withClient } from "./fault-kit";

const MINUTE = 60_000;

/** The diagrams the mixed load runs: a job to complete, a message to wait for, a PT1H timer. */
export async function deployMixedLoad(client: ZBClient): Promise<void> {
	await client.deployResource({
		process: Buffer.from(oneTaskProcess("crash-job", "crash-work")),
		name: "crash-job.bpmn",
	});
	await client.deployResource({
		process: Buffer.from(messageThenTaskProcess("crash-msg", "crash-ping", "crash-after-msg")),
		name: "crash-msg.bpmn",
	});
	await client.deployResource({
		process: Buffer.from(timerThenTaskProcess("crash-timer", "PT1H", "crash-after-timer")),
		name: "crash-timer.bpmn",
	});
}

/**
 * Runs a loop body until `stopped()`; a call the kill cut off is retried after 20 ms and never recorded, since only
 * answered commands go into the ledger.
 */
export async function untilStopped(stopped: () => boolean, body: () => Promise<void>): Promise<void> {
	while (!stopped()) {
		try {
			await body();
		} catch {
			if (stopped()) return;
			await sleep(20);
		}
	}
}

/**
 * The gRPC side of the mixed load, each acknowledged effect written to `ledger`: instances created, jobs completed,
 * messages published (message id = caseId), PT1H timers, and the engine clock moved 10 minutes per 250 ms so the
 * timers fall due while the load goes on.
 */
export function grpcLoad(
	client: ZBClient,
	ledger: Ledger,
	options: { stopped: () => boolean; managementPort: number; nextCaseId: () => string },
): Array<Promise<void>> {
	const loop = (body: () => Promise<void>) => untilStopped(options.stopped, body);
	return [
		loop(async () => {
			const created = await client.createProcessInstance({ bpmnProcessId: "crash-job", variables: {} });
			ledger.jobInstances.add(created.processInstanceKey);
		}),
		loop(async () => {
			const jobs = await activateNow(client, {
				type: "crash-work",
				worker: "crash",
				maxJobsToActivate: 20,
				timeout: 24 * 60 * MINUTE,
			});
			if (jobs.length === 0) await sleep(50);
			for (const job of jobs) {
				await client.completeJob({ jobKey: job.key, variables: { done: true } });
				ledger.completedJobs.set(job.key, job.processInstanceKey);
			}
		}),
		loop(async () => {
			const caseId = options.nextCaseId();
			const created = await client.createProcessInstance({ bpmnProcessId: "crash-msg", variables: { caseId } });
			ledger.messageInstances.set(caseId, created.processInstanceKey);
			await client.publishMessage({
				name: "crash-ping",
				correlationKey: caseId,
				messageId: caseId,
				timeToLive: 10 * 24 * 60 * MINUTE,
				variables: {},
			});
			ledger.published.add(caseId);
		}),
		loop(async () => {
			const created = await client.createProcessInstance({ bpmnProcessId: "crash-timer", variables: {} });
			ledger.timerInstances.add(created.processInstanceKey);
		}),
		loop(async () => {
			const moved = await management(options.managementPort, "/actuator/clock/add", { offsetMilli: 10 * MINUTE });
			if (moved.status === 200) ledger.clockOffsetMs += 10 * MINUTE;
			await sleep(250);
		}),
	];
}

/**
 * Moves the engine clock 2 hours on, so every PT1H timer is due, and waits until every acknowledged timer has fired and
 * every published message has correlated; returns what is stored then.
 */
export async function drainTimersAndMessages(
	databaseUrl: string,
	managementPort: number,
	ledger: Ledger,
	timeoutMs: number,
): Promise<StoredState> {
	await management(managementPort, "/actuator/clock/add", { offsetMilli: 2 * 60 * MINUTE });
	ledger.clockOffsetMs += 2 * 60 * MINUTE;
	return eventually(
		async () => {
			const stored = await readStored(databaseUrl);
			return allFiredAndCorrelated(stored, ledger) ? stored : undefined;
		},
		timeoutMs,
		() => `not every acknowledged timer fired / message correlated within ${timeoutMs / 1000} s`,
	);
}

function allFiredAndCorrelated(stored: StoredState, ledger: Ledger): boolean {
	const fired = new Set(stored.jobs.filter((job) => job.type === "crash-after-timer").map((job) => job.instance));
	const correlated = new Set(stored.jobs.filter((job) => job.type === "crash-after-msg").map((job) => job.instance));
	return (
		[...ledger.timerInstances].every((key) => fired.has(key)) &&
		[...ledger.published].every((caseId) => correlated.has(ledger.messageInstances.get(caseId) ?? ""))
	);
}

/**
 * Everything the engine acknowledged to a client. Only acknowledged commands count: a command whose answer was cut
 * off by the kill may or may not have been committed, but must never be applied twice.
 */
export interface Ledger {
	/** crash-job instances. */
	jobInstances: Set<string>;
	/** Completed jobs of crash-job: job key → instance key. */
	completedJobs: Map<string, string>;
	/** crash-msg instances: caseId → instance key. */
	messageInstances: Map<string, string>;
	/** caseIds whose message publication was acknowledged (messageId = caseId). */
	published: Set<string>;
	/** crash-timer instances (PT1H timer, then one job per fire). */
	timerInstances: Set<string>;
	/** Engine clock offset acknowledged by /actuator/clock/add, re-applied after each restart. */
	clockOffsetMs: number;
}

/** A ledger with nothing acknowledged yet. */
export function emptyLedger(): Ledger {
	return {
		jobInstances: new Set(),
		completedJobs: new Map(),
		messageInstances: new Map(),
		published: new Set(),
		timerInstances: new Set(),
		clockOffsetMs: 0,
	};
}

export interface StoredState {
	instances: Map<string, string>;
	jobs: Array<{ key: string; state: string; type: string; instance: string }>;
	duplicates: Array<{ instance: string; element: string; n: number }>;
	waitState: Map<string, string>;
}

export async function readStored(databaseUrl: string): Promise<StoredState> {
	return withClient(databaseUrl, async (db) => {
		const instances = await db.query(
			"select key::text, state from engine_process_instance where bpmn_process_id like 'crash-%'",
		);
		const jobs = await db.query(
			"select key::text, state, type, process_instance_key::text as instance from engine_job where bpmn_process_id like 'crash-%'",
		);
		// Every element is entered at most once per instance in these diagrams: a second 'after' task means a timer
		// fired or a message correlated twice, a second 'task' a replayed creation.
		const duplicates = await db.query(
			`select e.process_instance_key::text as instance, e.element_id as element, count(*)::int as n from engine_element_instance e
			join engine_process_instance i on i.key = e.process_instance_key where i.bpmn_process_id like 'crash-%'
			group by 1, 2 having count(*) > 1`,
		);
		const waits = await db.query(
			`select e.process_instance_key::text as instance, e.state from engine_element_instance e
			join engine_process_instance i on i.key = e.process_instance_key where i.bpmn_process_id = 'crash-msg' and e.element_id = 'wait'`,
		);
		return {
			instances: new Map(instances.rows.map((row) => [row.key as string, row.state as string])),
			jobs: jobs.rows as StoredState["jobs"],
			duplicates: duplicates.rows as StoredState["duplicates"],
			waitState: new Map(waits.rows.map((row) => [row.instance as string, row.state as string])),
		};
	});
}

/** Every acknowledged effect is stored exactly once; returns the stored state for further checks. */
export async function verifyLedger(databaseUrl: string, ledger: Ledger): Promise<StoredState> {
	const stored = await readStored(databaseUrl);
	expect(
		stored.duplicates,
		"elements entered twice (timer fired twice, message correlated twice, creation replayed)",
	).toEqual([]);
	for (const key of [...ledger.jobInstances, ...ledger.messageInstances.values(), ...ledger.timerInstances]) {
		expect(stored.instances.has(key), `acknowledged instance ${key} lost`).toBe(true);
	}
	const jobsByKey = new Map(stored.jobs.map((job) => [job.key, job]));
	for (const [jobKey, instance] of ledger.completedJobs) {
		expect(jobsByKey.get(jobKey)?.state, `acknowledged completion of job ${jobKey}`).toBe("COMPLETED");
		expect(stored.instances.get(instance), `instance ${instance} of completed job ${jobKey}`).toBe("COMPLETED");
	}
	const perInstance = new Map<string, number>();
	for (const job of stored.jobs)
		perInstance.set(`${job.instance}/${job.type}`, (perInstance.get(`${job.instance}/${job.type}`) ?? 0) + 1);
	for (const [key, n] of perInstance) expect(n, `jobs of ${key}`).toBe(1);
	return stored;
}
