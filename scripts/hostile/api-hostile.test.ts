import { connect } from "node:net";
import type { InjectOptions } from "fastify";
import { SignJWT } from "jose";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZBClient } from "zeebe-node";
import { type ApiTestKit, createApiTestKit, testSecret } from "../../api/testing/api-test-kit";
import { type EngineQueries, openEngineQueries } from "../../engine/query/index";
import { type EngineProcess, startEngineProcess } from "../testing/engine-process";
import {
	corpusFile,
	deeplyNested,
	fingerprintChanges,
	type StoredFingerprint,
	storedFingerprint,
	storedHighWater,
} from "./hostile-kit";

/**
 * The hostile-input corpus against the HTTP API (real app, real PostgreSQL, the engine as its own
 * process): broken bodies and headers, forged, expired and other-tenant tokens, hostile uploads. Each gets
 * a problem answer naming what is wrong (never a 500); the app keeps serving; nothing stored changes
 * (API tables: every row before is still there unchanged, only the audit log may grow; engine: see
 * storedFingerprint).
 */

type Inject = InjectOptions;

/** A multipart/form-data body with each file in the `resources` field. */
function multipart(files: Array<[name: string, content: Buffer | string]>): {
	payload: Buffer;
	headers: Record<string, string>;
} {
	const boundary = "----mizan-hostile-boundary";
	const parts = files.map(([name, content]) =>
		Buffer.concat([
			Buffer.from(
				`--${boundary}\r\nContent-Disposition: form-data; name="resources"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
			),
			Buffer.isBuffer(content) ? content : Buffer.from(content),
			Buffer.from("\r\n"),
		]),
	);
	return {
		payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]),
		headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
	};
}

/** Every row of every API table (not the engine's), as md5 digests per table. */
async function apiRows(databaseUrl: string): Promise<Map<string, string[]>> {
	const client = new pg.Client({ connectionString: databaseUrl });
	await client.connect();
	try {
		const { rows: tables } = await client.query<{ name: string }>(
			"select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like 'engine\\_%' order by 1",
		);
		const result = new Map<string, string[]>();
		for (const { name } of tables) {
			const { rows } = await client.query<{ digest: string }>(
				`select md5(row_to_json(t)::text) as digest from "${name}" t order by 1`,
			);
			result.set(
				name,
				rows.map((row) => row.digest),
			);
		}
		return result;
	} finally {
		await client.end();
	}
}

/** Rows that changed or disappeared; new rows are allowed only in `growable` tables, changes only in `moving` ones. */
function apiRowChanges(
	before: Map<string, string[]>,
	after: Map<string, string[]>,
	growable: string[],
	moving: string[],
): string[] {
	const changes: string[] = [];
	for (const [table, rows] of before) {
		if (moving.includes(table)) continue;
		const now = new Set(after.get(table) ?? []);
		const missing = rows.filter((row) => !now.has(row));
		if (missing.length > 0) changes.push(`${table}: ${missing.length} row(s) changed or removed`);
		const added = (after.get(table)?.length ?? 0) - rows.length;
		if (added > 0 && !growable.includes(table)) changes.push(`${table}: ${added} row(s) added`);
	}
	return changes;
}

/** Sends raw bytes to the listening server and returns the status line of the answer. */
function rawHttp(port: number, bytes: string | Buffer): Promise<string> {
	return new Promise((resolve, reject) => {
		const socket = connect(port, "127.0.0.1");
		let answer = "";
		socket.setTimeout(10_000, () => {
			socket.destroy();
			resolve(answer.split("\r\n")[0] || "(no answer)");
		});
		socket.on("data", (chunk) => {
			answer += chunk.toString("latin1");
		});
		socket.on("end", () => resolve(answer.split("\r\n")[0] || "(no answer)"));
		socket.on("close", () => resolve(answer.split("\r\n")[0] || "(no answer)"));
		socket.on("error", reject);
		socket.write(bytes);
	});
}

const secretKey = new TextEncoder().encode(testSecret);

/** A token like the API's own, with claims and key chosen by the test. */
function token(options: {
	sub: string;
	key?: Uint8Array;
	issuer?: string;
	audience?: string;
	expiresAt?: number;
	tenant?: string;
}): Promise<string> {
	return new SignJWT({ preferred_username: "someone", tenant: options.tenant ?? "public-security" })
		.setProtectedHeader({ alg: "HS256", typ: "JWT" })
		.setSubject(options.sub)
		.setIssuer(options.issuer ?? "mizan")
		.setAudience(options.audience ?? "mizan-api")
		.setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
		.setExpirationTime(options.expiresAt ?? Math.floor(Date.now() / 1000) + 600)
		.sign(options.key ?? secretKey);
}

const base64url = (value: string) => Buffer.from(value).toString("base64url");

describe("hostile input at the HTTP API", () => {
	let kit: ApiTestKit;
	let engine: EngineProcess;
	let zbc: ZBClient;
	let queries: EngineQueries;
	let closeQueries: () => Promise<void>;
	let officer: { authorization: string };
	let admin: { authorization: string };
	let border: { authorization: string };
	let officerId: string;
	let instanceKey: string;
	let apiBefore: Map<string, string[]>;
	let engineBefore: StoredFingerprint;
	let engineHighWater: { position: string; key: string };
	let goodRequests = 0;

	/** A good request after a bad one: the app still serves (and reads the engine). */
	async function stillServes(after: string): Promise<void> {
		const response = await kit.app.inject({
			method: "GET",
			url: `/v2/process-instances/${instanceKey}`,
			headers: admin,
		});
		expect(response.statusCode, `a good request after ${after}: ${response.body}`).toBe(200);
		goodRequests++;
	}

	/** Sends a hostile request and checks it is refused with `status`, a problem `code` and a detail naming the problem. */
	async function refused(what: string, request: Inject, status: number, code: string, detail?: RegExp): Promise<void> {
		const response = await kit.app.inject(request);
		expect(response.statusCode, `${what}: ${response.body.slice(0, 500)}`).toBe(status);
		const body = response.json();
		expect(body.code, `${what}: ${response.body.slice(0, 500)}`).toBe(code);
		if (detail) expect(JSON.stringify(body), what).toMatch(detail);
		await stillServes(what);
	}

	beforeAll(async () => {
		const proxy = {} as { zbc?: ZBClient; queries?: EngineQueries };
		kit = await createApiTestKit("hostile_api", {
			api: {
				engine: {
					get zbc() {
						return proxy.zbc;
					},
					get queries() {
						return proxy.queries;
					},
				},
			},
		});
		engine = await startEngineProcess(kit.db.url);
		zbc = new ZBClient(engine.gatewayAddress, { useTLS: false, loglevel: "NONE", retry: false });
		({ queries, close: closeQueries } = await openEngineQueries(kit.db.url));
		proxy.zbc = zbc;
		proxy.queries = queries;
		officer = await kit.as("officer.olaya");
		admin = await kit.as("admin");
		border = await kit.as("officer.border");
		officerId = (await kit.app.inject({ method: "GET", url: "/v2/auth/me", headers: officer })).json().userId;
		const deployed = await kit.app.inject({
			method: "POST",
			url: "/v2/deployments",
			headers: { ...admin, ...multipart([["baseline.bpmn", corpusFile("baseline.bpmn")]]).headers },
			payload: multipart([["baseline.bpmn", corpusFile("baseline.bpmn")]]).payload,
		});
		expect(deployed.statusCode, deployed.body).toBe(200);
		const created = await kit.app.inject({
			method: "POST",
			url: "/v2/process-instances",
			headers: admin,
			payload: { processDefinitionId: "hostile-baseline", caseNumber: "RUH-OLY-1447-000001", variables: { n: 1 } },
		});
		expect(created.statusCode, created.body).toBe(200);
		instanceKey = created.json().processInstanceKey;
		engineHighWater = await storedHighWater(kit.db.url);
		engineBefore = await storedFingerprint(kit.db.url, engineHighWater);
		apiBefore = await apiRows(kit.db.url);
	}, 180_000);

	afterAll(async () => {
		await zbc?.close();
		await closeQueries?.();
		await engine?.stop();
		await kit?.close();
	});

	it("should refuse broken and hostile JSON bodies with 4xx problems naming the problem", async () => {
		const json = { "content-type": "application/json" };
		await refused(
			"broken JSON",
			{ method: "POST", url: "/v2/auth/login", headers: json, payload: '{"username": "admin", ' },
			400,
			"MALFORMED_REQUEST",
		);
		await refused(
			"empty JSON body",
			{ method: "POST", url: "/v2/auth/login", headers: json, payload: "" },
			400,
			"MALFORMED_REQUEST",
		);
		await refused(
			"a JSON array",
			{ method: "POST", url: "/v2/auth/login", headers: json, payload: "[1,2]" },
			400,
			"VALIDATION_FAILED",
		);
		await refused(
			"wrong content type",
			{ method: "POST", url: "/v2/auth/login", headers: { "content-type": "text/xml" }, payload: "<login/>" },
			415,
			"UNSUPPORTED_MEDIA_TYPE",
		);
		await refused(
			"a body over the limit",
			{
				method: "POST",
				url: "/v2/process-instances",
				headers: { ...admin, ...json },
				payload: JSON.stringify({ processDefinitionId: "x", variables: { blob: "x".repeat(1024 * 1024) } }),
			},
			413,
			"PAYLOAD_TOO_LARGE",
		);
		await refused(
			"__proto__ in the body",
			{
				method: "POST",
				url: "/v2/process-instances",
				headers: { ...admin, ...json },
				payload: '{"processDefinitionId": "hostile-baseline", "variables": {"__proto__": {"isAdmin": true}}}',
			},
			400,
			"MALFORMED_REQUEST",
			/__proto__|prototype/i,
		);
		await refused(
			"constructor.prototype in the body",
			{
				method: "POST",
				url: "/v2/process-instances",
				headers: { ...admin, ...json },
				payload:
					'{"processDefinitionId": "hostile-baseline", "variables": {"constructor": {"prototype": {"isAdmin": true}}}}',
			},
			400,
			"MALFORMED_REQUEST",
			/constructor|prototype/i,
		);
		await refused(
			"login with a 100 kB username",
			{ method: "POST", url: "/v2/auth/login", payload: { username: "a".repeat(100_000), password: "x" } },
			400,
			"VALIDATION_FAILED",
			/username/,
		);
		await refused(
			"login with wrong types",
			{ method: "POST", url: "/v2/auth/login", payload: { username: ["admin"], password: { $ne: "" } } },
			400,
			"VALIDATION_FAILED",
		);
		await refused(
			"login with a NUL in the username",
			{ method: "POST", url: "/v2/auth/login", payload: { username: "admin\u0000", password: "mizan-demo-2026" } },
			400,
			"VALIDATION_FAILED",
			/NUL|U\+0000/,
		);
		await refused(
			"variables nested 50,000 deep",
			{
				method: "POST",
				url: "/v2/process-instances",
				headers: { ...admin, ...json },
				payload: `{"processDefinitionId": "hostile-baseline", "variables": ${deeplyNested(50_000)}}`,
			},
			400,
			"MALFORMED_REQUEST",
			/at most 64/,
		);
		await refused(
			"variables with a NUL character",
			{
				method: "POST",
				url: "/v2/process-instances",
				headers: admin,
				payload: { processDefinitionId: "hostile-baseline", variables: { note: "a\u0000b" } },
			},
			400,
			"VALIDATION_FAILED",
			/NUL|U\+0000/,
		);
		await refused(
			"variables with an unpaired surrogate",
			{
				method: "POST",
				url: "/v2/process-instances",
				headers: { ...admin, ...json },
				payload: '{"processDefinitionId": "hostile-baseline", "variables": {"note": "\\ud800"}}',
			},
			400,
			"VALIDATION_FAILED",
			/surrogate/,
		);
		await refused(
			"an unknown process",
			{
				method: "POST",
				url: "/v2/process-instances",
				headers: admin,
				payload: { processDefinitionId: "no-such-process" },
			},
			404,
			"ENGINE_NOT_FOUND",
		);
		await refused(
			"a key that is not a number",
			{ method: "GET", url: "/v2/process-instances/..%2F..%2Fetc%2Fpasswd", headers: admin },
			400,
			"VALIDATION_FAILED",
		);
		await refused(
			"a key beyond int64",
			{ method: "GET", url: "/v2/process-instances/99999999999999999999999", headers: admin },
			400,
			"VALIDATION_FAILED",
		);
		await refused(
			"a search with a negative page size",
			{ method: "POST", url: "/v2/process-instances/search", headers: admin, payload: { page: { limit: -1 } } },
			400,
			"VALIDATION_FAILED",
		);
		await refused(
			"a search with a forged cursor",
			{
				method: "POST",
				url: "/v2/process-instances/search",
				headers: admin,
				payload: { page: { after: "'; drop table engine_record; --" } },
			},
			400,
			"VALIDATION_FAILED",
		);
	});

	it("should refuse missing, malformed, forged, expired and foreign tokens with 401, and keep tenants apart", async () => {
		const me = (authorization?: string): Inject => ({
			method: "GET",
			url: "/v2/auth/me",
			headers: authorization === undefined ? {} : { authorization },
		});
		const [header, payload] = officer.authorization.slice("Bearer ".length).split(".");
		const claims = JSON.parse(Buffer.from(payload as string, "base64url").toString());
		const cases: Array<[string, string | undefined, RegExp]> = [
			["no token", undefined, /bearer/i],
			["an empty bearer", "Bearer ", /bearer|token/i],
			["basic credentials", `Basic ${Buffer.from("admin:mizan-demo-2026").toString("base64")}`, /bearer/i],
			["a token that is no JWT", "Bearer not-a-jwt", /not valid/],
			[
				"a token signed with another key",
				`Bearer ${await token({ sub: officerId, key: new TextEncoder().encode("another-secret-that-is-long-enough-0123456789") })}`,
				/not valid/,
			],
			["an unsigned token (alg none)", `Bearer ${base64url('{"alg":"none","typ":"JWT"}')}.${payload}.`, /not valid/],
			[
				"a token with a tampered subject",
				`Bearer ${header}.${base64url(JSON.stringify({ ...claims, sub: "00000000-0000-0000-0000-000000000000" }))}.${officer.authorization.split(".")[2]}`,
				/not valid/,
			],
			[
				"an expired token",
				`Bearer ${await token({ sub: officerId, expiresAt: Math.floor(Date.now() / 1000) - 60 })}`,
				/expired/,
			],
			["a token of another issuer", `Bearer ${await token({ sub: officerId, issuer: "someone-else" })}`, /not valid/],
			["a token for another audience", `Bearer ${await token({ sub: officerId, audience: "other-api" })}`, /not valid/],
			[
				"a token for a user that does not exist",
				`Bearer ${await token({ sub: "00000000-0000-0000-0000-000000000000" })}`,
				/user|sign in/i,
			],
			["a 20 kB token", `Bearer ${"a".repeat(20_000)}`, /not valid/],
		];
		for (const [what, authorization, detail] of cases)
			await refused(what, me(authorization), 401, "UNAUTHENTICATED", detail);
		// A correctly signed token whose tenant claim says another agency: the tenant comes from the user, not the claim.
		const claimsBorder = await token({ sub: officerId, tenant: "border-guard" });
		const seen = await kit.app.inject(me(`Bearer ${claimsBorder}`));
		expect(seen.statusCode).toBe(200);
		expect(seen.json().tenantId).toBe("public-security");
		// A user of another agency sees nothing of this one, even knowing the key.
		for (const [method, url] of [
			["GET", `/v2/process-instances/${instanceKey}`],
			["POST", `/v2/process-instances/${instanceKey}/cancellation`],
			["POST", "/v2/process-instances/search"],
		] as const) {
			const foreign = await kit.app.inject({
				method,
				url,
				headers: border,
				...(method === "POST" ? { payload: {} } : {}),
			});
			expect(foreign.statusCode, `${method} ${url} by another agency: ${foreign.body}`).toBeOneOf([403, 404]);
			expect(foreign.body).not.toContain("RUH-OLY-1447-000001");
			await stillServes(`${method} ${url} by another agency`);
		}
		// x-request-id is echoed only when sane; anything else is replaced, never reflected.
		const echoed = await kit.app.inject({
			method: "GET",
			url: "/health/live",
			headers: { "x-request-id": "<script>alert(1)</script>" },
		});
		expect(echoed.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
	});

	it("should refuse hostile uploads: XML entities, broken files, path traversal, oversized and binary files", async () => {
		const upload = (files: Array<[string, Buffer | string]>): Inject => {
			const body = multipart(files);
			return { method: "POST", url: "/v2/deployments", headers: { ...admin, ...body.headers }, payload: body.payload };
		};
		const refusedFiles: Array<[string, RegExp]> = [
			["billion-laughs.bpmn", /DOCTYPE|ENTITY/],
			["external-entity.bpmn", /DOCTYPE|ENTITY/],
			["doctype-only.bpmn", /DOCTYPE|ENTITY/],
			["malformed.bpmn", /not readable BPMN XML|unclosed|unexpected/i],
			["not-xml.bpmn", /not readable BPMN XML|unparsable|root/i],
			["binary.bpmn", /NUL|binary|not readable/i],
			["nul-reference.bpmn", /NUL|not readable|surrogate|character/i],
			["compensation.bpmn", /compensation|not supported/i],
			["execution-listener.bpmn", /listener|not supported/i],
			["ad-hoc-subprocess.bpmn", /ad-?hoc|not supported/i],
			["bad-feel-syntax.bpmn", /FEEL|syntax|expression/i],
			["billion-laughs.dmn", /DOCTYPE|ENTITY/],
			["external-entity.dmn", /DOCTYPE|ENTITY/],
			["malformed.dmn", /not readable DMN|DMN/i],
			["invalid-json.form", /not valid JSON/],
			["no-id.form", /'id'/],
		];
		for (const [file, detail] of refusedFiles) {
			const response = await kit.app.inject(upload([[file, corpusFile(file)]]));
			expect(response.statusCode, `${file}: ${response.body.slice(0, 400)}`).toBe(400);
			expect(response.json().code, file).toBeOneOf(["DEPLOYMENT_INVALID", "ENGINE_REJECTED"]);
			expect(response.body, file).toMatch(detail);
			await stillServes(file);
		}
		await refused(
			"a path without a deployable extension",
			upload([["../../etc/passwd", "root:x:0:0"]]),
			400,
			"VALIDATION_FAILED",
			/\.bpmn, \.dmn or \.form/,
		);
		await refused(
			"a file over 5 MiB",
			upload([["big.bpmn", Buffer.alloc(5 * 1024 * 1024 + 1, 0x20)]]),
			413,
			"PAYLOAD_TOO_LARGE",
		);
		await refused(
			"51 files",
			upload(
				Array.from({ length: 51 }, (_, index): [string, Buffer] => [`f${index}.form`, Buffer.from('{"id": "f"}')]),
			),
			413,
			"PAYLOAD_TOO_LARGE",
			/files limit/,
		);
		await refused(
			"no file",
			{
				method: "POST",
				url: "/v2/deployments",
				headers: { ...admin, ...multipart([]).headers },
				payload: multipart([]).payload,
			},
			400,
			"VALIDATION_FAILED",
			/no files/,
		);
		await refused(
			"a broken multipart body",
			{
				method: "POST",
				url: "/v2/deployments",
				headers: { ...admin, "content-type": "multipart/form-data; boundary=x" },
				payload: '--x\r\nContent-Disposition: form-data; name="resources"; filename="a.bpmn"\r\n\r\n<unterminated',
			},
			400,
			"MALFORMED_REQUEST",
		);
		const byOfficer = upload([["baseline.bpmn", corpusFile("baseline.bpmn")]]);
		await refused(
			"an officer deploying",
			{ ...byOfficer, headers: { ...(byOfficer.headers as Record<string, string>), ...officer } },
			403,
			"FORBIDDEN",
		);
		// A traversal name with a deployable extension reaches the engine only as its base name.
		const traversal = await kit.app.inject(upload([["../../../../tmp/evil.bpmn", corpusFile("baseline.bpmn")]]));
		if (traversal.statusCode === 200) {
			const names = traversal
				.json()
				.deployments.map((entry: { process?: { resourceName?: string } }) => entry.process?.resourceName);
			expect(names).toEqual(["evil.bpmn"]);
		} else {
			expect(traversal.statusCode, traversal.body).toBe(400);
			expect(traversal.body).toMatch(/\.\./);
		}
		await stillServes("a traversal file name");
	});

	it("should answer malformed HTTP on the wire with 4xx and keep serving", async () => {
		await kit.app.listen({ port: 0, host: "127.0.0.1" });
		const port = (kit.app.server.address() as { port: number }).port;
		expect(await rawHttp(port, "GARBAGE\r\n\r\n")).toMatch(/^HTTP\/1\.1 400/);
		expect(
			await rawHttp(port, `GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(100_000)}\r\n\r\n`),
		).toMatch(/^HTTP\/1\.1 431/);
		expect(
			await rawHttp(
				port,
				"POST /v2/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n{}",
			),
		).toMatch(/^HTTP\/1\.1 400/);
		expect(
			await rawHttp(
				port,
				"POST /v2/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
			),
		).toMatch(/^HTTP\/1\.1 400/);
		expect(await rawHttp(port, "GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).toMatch(
			/^HTTP\/1\.1 200/,
		);
		await stillServes("malformed HTTP");
	});

	it("should not have changed anything stored before the corpus ran", async () => {
		expect(apiRowChanges(apiBefore, await apiRows(kit.db.url), ["audit_log"], ["audit_head"])).toEqual([]);
		expect(fingerprintChanges(engineBefore, await storedFingerprint(kit.db.url, engineHighWater))).toEqual([]);
		expect(goodRequests).toBeGreaterThan(40);
	});
});
