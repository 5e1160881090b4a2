import { execFile } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { freePort } from "../platform/embedded-postgres";

const run = promisify(execFile);

/**
 * The PostgreSQL programs of the system's packages (Debian: `postgresql-15` puts them in
 * `/usr/lib/postgresql/15/bin`), newest major first. The embedded PostgreSQL package ships no pg_dump, and a
 * pg_dump refuses servers of a newer major version, so the backup test runs a cluster of the same version as
 * the pg_dump it has.
 */
export function systemPostgresBin(): { dir: string; major: number } {
	const root = "/usr/lib/postgresql";
	const majors = existsSync(root)
		? readdirSync(root)
				.map(Number)
				.filter((major) => Number.isInteger(major) && ["initdb", "pg_ctl", "pg_dump", "pg_restore"].every((tool) => existsSync(path.join(root, String(major), "bin", tool))))
				.sort((a, b) => b - a)
		: [];
	const major = majors[0];
	if (major === undefined) {
		throw new Error("No PostgreSQL server and client programs under /usr/lib/postgresql/<major>/bin: install Debian's postgresql-15 (.ci/run does).");
	}
	return { dir: path.join(root, String(major), "bin"), major };
}

/** A throw-away cluster of the system's PostgreSQL on 127.0.0.1 (trust authentication: tests only). */
export interface SystemPostgres {
	bin: string;
	major: number;
	urlFor(database: string): string;
	stop(): Promise<void>;
}

/** The uid and gid of `postgres` when running as root (PostgreSQL refuses to run as root). */
function postgresUser(): { uid: number; gid: number } | undefined {
	if (process.getuid?.() !== 0) return undefined;
	const line = readFileSync("/etc/passwd", "utf8")
		.split("\n")
		.find((entry) => entry.startsWith("postgres:"));
	if (!line) throw new Error("running as root needs a 'postgres' user to run PostgreSQL as (Debian's postgresql package makes one)");
	const [, , uid, gid] = line.split(":");
	return { uid: Number(uid), gid: Number(gid) };
}

/** initdb + pg_ctl start in a temporary folder; `stop()` stops the cluster and removes the folder. */
export async function startSystemPostgres(): Promise<SystemPostgres> {
	const { dir: bin, major } = systemPostgresBin();
	const folder = mkdtempSync(path.join(tmpdir(), "mizan-syspg-"));
	const dataDir = path.join(folder, "data");
	const user = postgresUser();
	const as = user ? { uid: user.uid, gid: user.gid } : {};
	if (user) chownSync(folder, user.uid, user.gid);
	const port = await freePort();
	await run(path.join(bin, "initdb"), ["-D", dataDir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"], { ...as, cwd: folder });
	await run(
		path.join(bin, "pg_ctl"),
		["-D", dataDir, "-l", path.join(folder, "server.log"), "-w", "-o", `-p ${port} -h 127.0.0.1 -k ${folder} -c max_connections=100`, "start"],
		{ ...as, cwd: folder },
	);
	return {
		bin,
		major,
		urlFor: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
		stop: async () => {
			await run(path.join(bin, "pg_ctl"), ["-D", dataDir, "-m", "fast", "-w", "stop"], { ...as, cwd: folder }).catch(() => undefined);
			rmSync(folder, { recursive: true, force: true });
		},
	};
}
