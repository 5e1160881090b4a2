import { readdirSync, readFileSync } from "node:fs";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import pg from "pg";
import { zeebeProtoPath } from "../../engine/gateway/gateway-proto";

/** Shared pieces of the hostile-input corpus tests (gateway and API). */

const corpusDir = new URL("./corpus/", import.meta.url);

/** A file of `scripts/hostile/corpus/`, as bytes. */
export function corpusFile(name: string): Buffer {
	return readFileSync(new URL(name, corpusDir));
}

/** Every file name in the corpus folder. */
export function corpusFiles(): string[] {
	return readdirSync(corpusDir).sort();
}

/** `[[[…]]]` nested `depth` levels inside `{"deep": …}`: a JSON object text nested depth + 1 deep. */
export function deeplyNested(depth: number): string {
	return `{"deep":${"[".repeat(depth)}${"]".repeat(depth)}}`;
}

export type GrpcResult = { ok: true; value: Record<string, unknown> } | { ok: false; code: number; details: string };

/** The gateway through a bare @grpc/grpc-js client: requests zeebe-node would never send. */
export interface RawGateway {
	unary(method: string, request: Record<string, unknown>): Promise<GrpcResult>;
	/** ActivateJobs / StreamActivatedJobs: the messages until the stream ends, or its error. */
	stream(method: string, request: Record<string, unknown>): Promise<GrpcResult & { messages?: number }>;
	/** Sends raw bytes as the request of `method` (not a valid protobuf message). */
	garbage(method: string, bytes: Buffer): Promise<GrpcResult>;
	close(): void;
}

/** Each call has a deadline: an engine that hangs fails the test instead of stalling it. */
const CALL_DEADLINE_MS = 20_000;

export function rawGateway(address: string): RawGateway {
	const options = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };
	const proto = grpc.loadPackageDefinition(protoLoader.loadSync(zeebeProtoPath(), options)) as unknown as {
		gateway_protocol: { Gateway: grpc.ServiceClientConstructor };
	};
	const Client = proto.gateway_protocol.Gateway;
	const client = new Client(address, grpc.credentials.createInsecure(), {
		"grpc.max_send_message_length": -1,
		"grpc.max_receive_message_length": -1,
	});
	const deadline = () => new Date(Date.now() + CALL_DEADLINE_MS);
	const settle = (resolve: (result: GrpcResult) => void) => (error: grpc.ServiceError | null, value?: unknown) =>
		resolve(
			error
				? { ok: false, code: error.code, details: error.details }
				: { ok: true, value: (value ?? {}) as Record<string, unknown> },
		);
	return {
		unary: (method, request) =>
			new Promise((resolve) => {
				const fn = (client as unknown as Record<string, (...args: unknown[]) => unknown>)[method];
				fn.call(client, request, { deadline: deadline() }, settle(resolve));
			}),
		stream: (method, request) =>
			new Promise((resolve) => {
				const fn = (client as unknown as Record<string, (...args: unknown[]) => unknown>)[method];
				const call = fn.call(client, request, { deadline: deadline() }) as grpc.ClientReadableStream<unknown>;
				let messages = 0;
				call.on("data", () => messages++);
				call.on("error", (error: grpc.ServiceError) =>
					resolve({ ok: false, code: error.code, details: error.details }),
				);
				call.on("end", () => resolve({ ok: true, value: {}, messages }));
			}),
		garbage: (method, bytes) =>
			new Promise((resolve) => {
				client.makeUnaryRequest(
					`/gateway_protocol.Gateway/${method}`,
					(value: Buffer) => value,
					(value: Buffer) => value,
					bytes,
					new grpc.Metadata(),
					{ deadline: deadline() },
					settle(resolve),
				);
			}),
		close: () => client.close(),
	};
}

/** What the engine has stored up to a point (see {@link storedFingerprint}). */
export interface StoredFingerprint {
	/** count:md5 of the projection rows with keys up to the bound, per table. */
	projections: Record<string, string>;
	/** md5 of each log record up to the bound position, by position. */
	records: Map<string, string>;
	/** Position of the oldest snapshot kept: retention may delete records up to it. */
	oldestSnapshot: string;
}

/**
 * A fingerprint of what the engine has stored up to a point: the log up to `position` and every
 * projection row with a key up to `key` (variables by their scope). Rejected commands append to the log
 * but must not change any of this.
 */
export async function storedFingerprint(
	databaseUrl: string,
	upTo: { position: string; key: string },
): Promise<StoredFingerprint> {
	const client = new pg.Client({ connectionString: databaseUrl });
	await client.connect();
	try {
		const digest = async (table: string, where: string, order: string) => {
			const { rows } = await client.query(
				`select count(*)::text as n, coalesce(md5(string_agg(row_to_json(t)::text, '|' order by ${order})), '') as digest
				 from ${table} t where ${where} <= $1::bigint`,
				[upTo.key],
			);
			return `${rows[0].n}:${rows[0].digest}`;
		};
		const records = await client.query(
			"select position::text as position, md5(row_to_json(t)::text) as digest from engine_record t where position <= $1::bigint order by position",
			[upTo.position],
		);
		const snapshots = await client.query("select coalesce(min(position), 0)::text as oldest from engine_snapshot");
		return {
			projections: {
				definitions: await digest("engine_process_definition", "key", "key"),
				instances: await digest("engine_process_instance", "key", "key"),
				elements: await digest("engine_element_instance", "key", "key"),
				variables: await digest("engine_variable", "scope_key", "scope_key, name"),
				jobs: await digest("engine_job", "key", "key"),
				incidents: await digest("engine_incident", "key", "key"),
			},
			records: new Map(records.rows.map((row) => [row.position, row.digest])),
			oldestSnapshot: snapshots.rows[0].oldest,
		};
	} finally {
		await client.end();
	}
}

/**
 * The differences between two fingerprints, as readable lines (empty when nothing stored changed). A
 * record may only be missing when retention removed it (at or below the oldest snapshot kept).
 */
export function fingerprintChanges(before: StoredFingerprint, after: StoredFingerprint): string[] {
	const changes: string[] = [];
	for (const [table, digest] of Object.entries(before.projections)) {
		if (after.projections[table] !== digest) changes.push(`${table}: ${digest} → ${after.projections[table]}`);
	}
	for (const [position, digest] of before.records) {
		const now = after.records.get(position);
		if (now === undefined) {
			if (BigInt(position) > BigInt(after.oldestSnapshot)) changes.push(`record ${position} disappeared`);
		} else if (now !== digest) changes.push(`record ${position} changed`);
	}
	for (const position of after.records.keys())
		if (!before.records.has(position)) changes.push(`record ${position} appeared`);
	return changes;
}

/** The newest log position and the largest key the engine has handed out so far. */
export async function storedHighWater(databaseUrl: string): Promise<{ position: string; key: string }> {
	const client = new pg.Client({ connectionString: databaseUrl });
	await client.connect();
	try {
		const { rows } = await client.query(
			"select coalesce(max(position), 0)::text as position, coalesce(max(key), 0)::text as key from engine_record",
		);
		return rows[0];
	} finally {
		await client.end();
	}
}

/** Rows of one SQL query (for checks on incidents and instances). */
export async function queryRows<T = Record<string, unknown>>(
	databaseUrl: string,
	sql: string,
	params: unknown[] = [],
): Promise<T[]> {
	const client = new pg.Client({ connectionString: databaseUrl });
	await client.connect();
	try {
		return (await client.query(sql, params)).rows as T[];
	} finally {
		await client.end();
	}
}

/** Polls until `probe` gives a truthy value. */
export async function eventually<T>(
	probe: () => Promise<T | null | undefined | false>,
	what: string,
	timeoutMs = 15_000,
): Promise<T> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}
