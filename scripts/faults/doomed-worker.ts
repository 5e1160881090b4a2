/**
 * A job worker that activates jobs and then hangs on to them (a worker that died mid-job, once the test SIGKILLs it).
 * Env: GATEWAY_ADDRESS, JOB_TYPE, MAX_JOBS, JOB_TIMEOUT_MS. Prints one line `{"holding": [jobKey, …]}`.
 */
import { ZBClient } from "zeebe-node";

const zb = new ZBClient(process.env.GATEWAY_ADDRESS ?? "", { useTLS: false, loglevel: "NONE", retry: false });
const jobs = await zb.activateJobs({
	type: process.env.JOB_TYPE ?? "",
	worker: "doomed",
	maxJobsToActivate: Number(process.env.MAX_JOBS ?? 10),
	timeout: Number(process.env.JOB_TIMEOUT_MS ?? 2_000),
	requestTimeout: -1,
});
process.stdout.write(`${JSON.stringify({ holding: jobs.map((job) => job.key) })}\n`);
setInterval(() => undefined, 60_000);
