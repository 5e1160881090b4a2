// Public entry point of the job workers. workers/ reaches the engine only through zeebe-node.
export { jobModules } from "./jobs";
export { migrateWorkersSchema, WORKERS_MIGRATIONS_TABLE, WorkersMigrationError } from "./migrate";
export * from "./runtime/job-module";
export { type RunJobResult, runJob } from "./runtime/run-job";
export {
	BASE_RETRY_BACKOFF_MS,
	type RunningWorkers,
	retryBackOffMs,
	type StartWorkersOptions,
	startWorkers,
} from "./runtime/start-workers";
