import type { EntityManager } from "@mikro-orm/postgresql";
import pino from "pino";
import { LEGAL_CLOCKS, LocalPersonRegistry } from "../../domain";
import { createDomainTestDatabase, type DomainTestDatabase } from "../../domain/testing/domain-database";
import { migrateWorkersSchema } from "../migrate";
import type { JobInput, JobModule, JobServices } from "../runtime/job-module";
import { type RunJobResult, runJob } from "../runtime/run-job";

/** A migrated (domain + workers), seeded database for one test file, with a way to run a job module. */
export interface WorkersTestDatabase extends DomainTestDatabase {
	/** Runs one delivery of a job through the real runtime (transaction, outcome store). */
	run(module: JobModule, job: Partial<JobInput> & { variables?: JobInput["variables"] }): Promise<RunJobResult>;
	/** Rows of a SQL query. */
	rows<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
	services: JobServices;
}

/** The instant handlers see in tests: 2025-09-03T10:00:00+03:00 (12 Rabi' al-Awwal 1447). */
export const TEST_NOW = new Date("2025-09-03T10:00:00+03:00");

let jobKeys = 2251799813685000;

/** A job key never used before in this test run. */
export function nextJobKey(): string {
	jobKeys += 1;
	return String(jobKeys);
}

/** Creates the database; close it with `close()` in `afterAll`. */
export async function createWorkersTestDatabase(prefix: string): Promise<WorkersTestDatabase> {
	const base = await createDomainTestDatabase(prefix);
	await migrateWorkersSchema(base.db.url, pino({ level: "silent" }));
	const services: JobServices = {
		identity: (em: EntityManager) => new LocalPersonRegistry(em),
		clocks: LEGAL_CLOCKS,
		now: () => TEST_NOW,
	};
	const logger = pino({ level: "silent" });
	return {
		...base,
		services,
		run: (module, job) =>
			runJob(
				module,
				{
					key: job.key ?? nextJobKey(),
					type: module.type,
					processInstanceKey: job.processInstanceKey ?? "2251799813685001",
					bpmnProcessId: job.bpmnProcessId ?? "test-process",
					elementId: job.elementId ?? "Task_Test",
					retries: job.retries ?? 3,
					variables: job.variables ?? {},
					customHeaders: job.customHeaders ?? {},
				},
				{ orm: base.orm, logger, services },
			),
		rows: (sql, params = []) => base.em().execute(sql, params),
	};
}
