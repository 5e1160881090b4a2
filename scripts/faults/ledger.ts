/** What the crash tests record as acknowledged, and how they check it against what PostgreSQL holds. */
import { expect } from "vitest";
import { withClient } from "./fault-kit";

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
