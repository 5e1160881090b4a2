import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZBClient } from "zeebe-node";
import { FEEL_TIME_LIMIT_MS } from "../../engine/feel/feel-evaluator";
import { MAX_VARIABLES_BYTES, MAX_VARIABLES_DEPTH } from "../../engine/gateway/wire";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { type EngineProcess, startEngineProcess } from "../testing/engine-process";
import {
	corpusFile,
	deeplyNested,
	eventually,
	fingerprintChanges,
	type GrpcResult,
	queryRows,
	type RawGateway,
	rawGateway,
	type StoredFingerprint,
	storedFingerprint,
	storedHighWater,
} from "./hostile-kit";

/**
 * The hostile-input corpus against the real gateway of the engine running as its own process: broken and
 * hostile resources, invalid arguments of every RPC, bytes that are no protobuf message, variables that are
 * huge or nested without end, FEEL that loops. Each gets a clear gRPC error; after each the engine still
 * serves a good request; and nothing stored before changes.
 */

const { INVALID_ARGUMENT, NOT_FOUND, RESOURCE_EXHAUSTED, UNIMPLEMENTED, INTERNAL, FAILED_PRECONDITION } = grpc.status;

interface Case {
	what: string;
	rpc: string;
	request: Record<string, unknown>;
	codes: number[];
	detail: RegExp;
}

const good = { bpmnProcessId: "hostile-baseline", variables: '{"followUp": true}' };
const deploy = (name: string, content: Buffer | string) => ({
	resources: [{ name, content: typeof content === "string" ? Buffer.from(content) : content }],
});
const oversized = (bytes: number) => JSON.stringify({ blob: "x".repeat(bytes) });

/** Resources of scripts/hostile/corpus/ that must be refused, and what the refusal must name. */
const refusedResources: Array<[file: string, detail: RegExp]> = [
	["billion-laughs.bpmn", /DOCTYPE or ENTITY.*refused/],
	["external-entity.bpmn", /DOCTYPE or ENTITY.*refused/],
	["doctype-only.bpmn", /DOCTYPE or ENTITY.*refused/],
	["billion-laughs.dmn", /DOCTYPE or ENTITY.*refused/],
	["external-entity.dmn", /DOCTYPE or ENTITY.*refused/],
	["malformed.bpmn", /not a readable BPMN 2\.0 XML document/],
	["not-xml.bpmn", /not a readable BPMN 2\.0 XML document|no executable process/],
	["binary.bpmn", /contains NUL bytes; it looks binary/],
	["nul-reference.bpmn", /character reference to NUL/],
	["no-executable-process.bpmn", /no executable process/],
	["compensation.bpmn", /compensation/i],
	["execution-listener.bpmn", /execution listeners .* not supported/],
	["ad-hoc-subprocess.bpmn", /AdHocSubProcess|not supported/],
	["bad-feel-syntax.bpmn", /syntax error|cannot be parsed/],
	["bad-feel-syntax.dmn", /rule 'hostile-rule', input 'Amount': the FEEL unary tests '\[100\.\.' has a syntax error/],
	["malformed.dmn", /not readable DMN/],
	["invalid-json.form", /not valid JSON/],
	["no-id.form", /has no 'id'/],
];

function invalidArgumentCases(keys: { jobKey: string; instanceKey: string; incidentKey: string }): Case[] {
	const bad = (
		what: string,
		rpc: string,
		request: Record<string, unknown>,
		detail: RegExp,
		codes = [INVALID_ARGUMENT],
	): Case => ({
		what,
		rpc,
		request,
		codes,
		detail,
	});
	const variableCases = (rpc: string, base: Record<string, unknown>, field = "variables"): Case[] => [
		bad(`${rpc}: variables not JSON`, rpc, { ...base, [field]: "{not json" }, /not valid JSON/),
		bad(`${rpc}: variables an array`, rpc, { ...base, [field]: "[1, 2]" }, /JSON object text.*an array/),
		bad(`${rpc}: variables null`, rpc, { ...base, [field]: "null" }, /JSON object text.*null/),
		bad(`${rpc}: variables a number`, rpc, { ...base, [field]: "42" }, /JSON object text.*a number/),
		bad(
			`${rpc}: variables nested 100,000 deep`,
			rpc,
			{ ...base, [field]: deeplyNested(100_000) },
			new RegExp(`at most ${MAX_VARIABLES_DEPTH} levels deep`),
		),
		bad(`${rpc}: variables with a NUL character`, rpc, { ...base, [field]: '{"a": "x\\u0000y"}' }, /NUL character/),
		bad(
			`${rpc}: variables with an unpaired surrogate`,
			rpc,
			{ ...base, [field]: '{"a": ["\\ud800"]}' },
			/unpaired UTF-16 surrogate/,
		),
		bad(`${rpc}: variable name with a NUL character`, rpc, { ...base, [field]: '{"a\\u0000": 1}' }, /NUL character/),
		bad(
			`${rpc}: variables over the size limit`,
			rpc,
			{ ...base, [field]: oversized(MAX_VARIABLES_BYTES) },
			new RegExp(`at most ${MAX_VARIABLES_BYTES} bytes`),
		),
	];
	const keyCases = (rpc: string, field: string, base: Record<string, unknown> = {}): Case[] => [
		bad(`${rpc}: ${field} 0`, rpc, { ...base, [field]: "0" }, new RegExp(`'${field}'.*Zeebe key`)),
		bad(`${rpc}: ${field} negative`, rpc, { ...base, [field]: "-5" }, new RegExp(`'${field}'.*Zeebe key`)),
		bad(
			`${rpc}: ${field} beyond 2^53`,
			rpc,
			{ ...base, [field]: "9223372036854775807" },
			new RegExp(`'${field}'.*Zeebe key`),
		),
		bad(
			`${rpc}: ${field} unknown`,
			rpc,
			{ ...base, [field]: "2251799813999999" },
			/rejected with code 'NOT_FOUND'.*(not found|no such|does not exist)/i,
			[NOT_FOUND],
		),
	];
	return [
		// CreateProcessInstance / CreateProcessInstanceWithResult
		bad("create: neither id nor key", "CreateProcessInstance", {}, /neither was given/),
		bad("create: unknown process", "CreateProcessInstance", { bpmnProcessId: "no-such-process" }, /no-such-process/, [
			NOT_FOUND,
		]),
		bad(
			"create: unknown version",
			"CreateProcessInstance",
			{ bpmnProcessId: "hostile-baseline", version: 999 },
			/999/,
			[NOT_FOUND],
		),
		bad(
			"create: unknown definition key",
			"CreateProcessInstance",
			{ processDefinitionKey: "2251799813999999" },
			/2251799813999999/,
			[NOT_FOUND],
		),
		bad(
			"create: other tenant",
			"CreateProcessInstance",
			{ ...good, tenantId: "border-guard" },
			/tenantId.*multi-tenancy is disabled/,
		),
		bad(
			"create: start at an unknown element",
			"CreateProcessInstance",
			{ ...good, startInstructions: [{ elementId: "nowhere" }] },
			/nowhere/,
		),
		...variableCases("CreateProcessInstance", { bpmnProcessId: "hostile-baseline" }),
		bad("create with result: no request", "CreateProcessInstanceWithResult", {}, /'request'/),
		bad(
			"create with result: bad variables",
			"CreateProcessInstanceWithResult",
			{ request: { bpmnProcessId: "hostile-baseline", variables: "[]" } },
			/an array/,
		),
		// Commands on keys
		...keyCases("CancelProcessInstance", "processInstanceKey"),
		...keyCases("CompleteJob", "jobKey"),
		...variableCases("CompleteJob", { jobKey: keys.jobKey }),
		...keyCases("FailJob", "jobKey", { retries: 1 }),
		...variableCases("FailJob", { jobKey: keys.jobKey, retries: 1 }),
		...keyCases("ThrowError", "jobKey", { errorCode: "X" }),
		bad("throw error: empty errorCode", "ThrowError", { jobKey: keys.jobKey, errorCode: " " }, /'errorCode'/),
		bad(
			"fail: NUL in the error message",
			"FailJob",
			{ jobKey: keys.jobKey, retries: 1, errorMessage: "boom\u0000" },
			/'errorMessage'.*NUL/,
		),
		bad("update retries: zero", "UpdateJobRetries", { jobKey: keys.jobKey, retries: 0 }, /positive amount of retries/),
		...keyCases("UpdateJobRetries", "jobKey", { retries: 1 }),
		...keyCases("SetVariables", "elementInstanceKey", { variables: "{}" }),
		...variableCases("SetVariables", { elementInstanceKey: keys.instanceKey }),
		...keyCases("ResolveIncident", "incidentKey"),
		// Messages and signals
		bad("publish: empty name", "PublishMessage", { name: "", correlationKey: "c" }, /'name'/),
		bad(
			"publish: negative time to live",
			"PublishMessage",
			{ name: "m", correlationKey: "c", timeToLive: "-1" },
			/timeToLive/,
		),
		bad(
			"publish: NUL in the correlation key",
			"PublishMessage",
			{ name: "m", correlationKey: "c\u0000" },
			/'correlationKey'.*NUL/,
		),
		bad(
			"publish: other tenant",
			"PublishMessage",
			{ name: "m", correlationKey: "c", tenantId: "border-guard" },
			/tenantId/,
		),
		...variableCases("PublishMessage", { name: "m", correlationKey: "c" }),
		bad("broadcast: empty signal name", "BroadcastSignal", { signalName: " " }, /'signalName'/),
		...variableCases("BroadcastSignal", { signalName: "s" }),
		// Deployments
		bad("deploy: no resources", "DeployResource", { resources: [] }, /at least one resource/),
		bad(
			"deploy: other tenant",
			"DeployResource",
			{ ...deploy("a.bpmn", corpusFile("baseline.bpmn")), tenantId: "border-guard" },
			/tenantId/,
		),
		bad("deploy process: none", "DeployProcess", { processes: [] }, /at least one resource/),
		bad("deploy: nameless resource", "DeployResource", deploy("", corpusFile("baseline.bpmn")), /'name'/),
		bad(
			"deploy: control characters",
			"DeployResource",
			deploy("evil\u0007.bpmn", corpusFile("baseline.bpmn")),
			/control characters/,
		),
		bad(
			"deploy: a 300-character name",
			"DeployResource",
			deploy(`${"n".repeat(300)}.bpmn`, corpusFile("baseline.bpmn")),
			/at most 255 characters/,
		),
		bad("deploy: empty content", "DeployResource", deploy("empty.bpmn", Buffer.alloc(0)), /empty/),
		bad(
			"deploy: unknown file type",
			"DeployResource",
			deploy("passwd", corpusFile("baseline.bpmn")),
			/resource type is unknown/,
		),
		bad(
			"deploy: 5 MiB resource",
			"DeployResource",
			deploy("big.bpmn", Buffer.alloc(5 * 1024 * 1024, 0x20)),
			/larger than max/i,
			[RESOURCE_EXHAUSTED],
		),
		bad("evaluate decision: nothing named", "EvaluateDecision", {}, /'decisionKey'.*'decisionId'.*neither was given/, [INVALID_ARGUMENT]),
		bad("evaluate decision: unknown", "EvaluateDecision", { decisionId: "no-such" }, /no decision found for id 'no-such'/, [NOT_FOUND]),
		bad("delete resource: unknown key", "DeleteResource", { resourceKey: "1" }, /no resource found with key `1`/, [NOT_FOUND]),
		bad("delete resource: no key", "DeleteResource", {}, /'resourceKey'/, [INVALID_ARGUMENT]),
		bad(
			"modify instance: unknown",
			"ModifyProcessInstance",
			{ processInstanceKey: "2251799813999999" },
			/not implemented|not found|no process instance/i,
			[UNIMPLEMENTED, NOT_FOUND],
		),
	];
}

const streamCases: Case[] = [
	{
		what: "activate: empty type",
		rpc: "ActivateJobs",
		request: { type: "", timeout: "1000", maxJobsToActivate: 1 },
		codes: [INVALID_ARGUMENT],
		detail: /'type'/,
	},
	{
		what: "activate: zero timeout",
		rpc: "ActivateJobs",
		request: { type: "t", timeout: "0", maxJobsToActivate: 1 },
		codes: [INVALID_ARGUMENT],
		detail: /'timeout'/,
	},
	{
		what: "activate: negative timeout",
		rpc: "ActivateJobs",
		request: { type: "t", timeout: "-1", maxJobsToActivate: 1 },
		codes: [INVALID_ARGUMENT],
		detail: /'timeout'/,
	},
	{
		what: "activate: zero jobs",
		rpc: "ActivateJobs",
		request: { type: "t", timeout: "1000", maxJobsToActivate: 0 },
		codes: [INVALID_ARGUMENT],
		detail: /'maxJobsToActivate'/,
	},
	{
		what: "activate: other tenant",
		rpc: "ActivateJobs",
		request: { type: "t", timeout: "1000", maxJobsToActivate: 1, tenantIds: ["border-guard"] },
		codes: [INVALID_ARGUMENT],
		detail: /tenantId/,
	},
	{
		what: "activate: NUL in the worker name",
		rpc: "ActivateJobs",
		request: { type: "t", timeout: "1000", maxJobsToActivate: 1, worker: "w\u0000" },
		codes: [INVALID_ARGUMENT],
		detail: /'worker'.*NUL/,
	},
	{
		what: "stream activated jobs: no timeout",
		rpc: "StreamActivatedJobs",
		request: { type: "t" },
		codes: [INVALID_ARGUMENT],
		detail: /'timeout'/,
	},
	{
		what: "stream activated jobs: NUL in the worker name",
		rpc: "StreamActivatedJobs",
		request: { type: "t", timeout: "1000", worker: "w\u0000" },
		codes: [INVALID_ARGUMENT],
		detail: /'worker'.*NUL/,
	},
];

const everyRpc = [
	"ActivateJobs",
	"CancelProcessInstance",
	"CompleteJob",
	"CreateProcessInstance",
	"CreateProcessInstanceWithResult",
	"EvaluateDecision",
	"DeployProcess",
	"DeployResource",
	"FailJob",
	"ThrowError",
	"PublishMessage",
	"ResolveIncident",
	"SetVariables",
	"Topology",
	"UpdateJobRetries",
	"ModifyProcessInstance",
	"DeleteResource",
	"BroadcastSignal",
];

/** The process instance key of a successful CreateProcessInstance. */
function instanceKeyOf(result: GrpcResult): string {
	if (!result.ok) throw new Error(`expected an instance, got ${describeResult(result)}`);
	return String(result.value.processInstanceKey);
}

function describeResult(result: GrpcResult): string {
	return result.ok
		? `OK ${JSON.stringify(result.value).slice(0, 200)}`
		: `${grpc.status[result.code]}: ${result.details}`;
}

describe("hostile input at the gateway", () => {
	let db: TestDatabase;
	let engine: EngineProcess;
	let zbc: ZBClient;
	let raw: RawGateway;
	let keys: { jobKey: string; instanceKey: string; incidentKey: string };
	let before: StoredFingerprint;
	let highWater: { position: string; key: string };
	let followUps = 0;

	/** A good request after a bad one: the engine's processing loop still works. */
	async function followUp(after: string): Promise<void> {
		const result = await raw.unary("CreateProcessInstance", good);
		expect(result.ok, `a good CreateProcessInstance after ${after} failed: ${describeResult(result)}`).toBe(true);
		followUps++;
	}

	beforeAll(async () => {
		db = await createTestDatabase("hostile_gateway");
		engine = await startEngineProcess(db.url);
		zbc = new ZBClient(engine.gatewayAddress, { useTLS: false, loglevel: "NONE", retry: false });
		raw = rawGateway(engine.gatewayAddress);
		// What is stored before the corpus: a definition, instances with variables, a completed job, an incident.
		await zbc.deployResource({ name: "baseline.bpmn", process: corpusFile("baseline.bpmn") });
		const first = await zbc.createProcessInstance({
			bpmnProcessId: "hostile-baseline",
			variables: { caseNumber: "RUH-OLY-1447-000001", n: 1 },
		});
		await zbc.createProcessInstance({
			bpmnProcessId: "hostile-baseline",
			variables: { caseNumber: "RUH-OLY-1447-000002", n: 2 },
		});
		await zbc.createProcessInstance({
			bpmnProcessId: "hostile-baseline",
			variables: { caseNumber: "RUH-OLY-1447-000003", n: 3 },
		});
		const jobs = await zbc.activateJobs({
			type: "hostile.work",
			maxJobsToActivate: 3,
			timeout: 600_000,
			worker: "baseline",
			requestTimeout: 5_000,
		});
		expect(jobs).toHaveLength(3);
		await zbc.completeJob({ jobKey: jobs[0].key, variables: { done: true } });
		await zbc.failJob({ jobKey: jobs[1].key, retries: 0, errorMessage: "baseline incident", retryBackOff: 0 });
		const incident = await eventually(
			async () => (await queryRows<{ key: string }>(db.url, "select key::text from engine_incident"))[0],
			"the baseline incident",
		);
		keys = { jobKey: jobs[2].key, instanceKey: first.processInstanceKey, incidentKey: incident.key };
		highWater = await storedHighWater(db.url);
		before = await storedFingerprint(db.url, highWater);
	}, 120_000);

	afterAll(async () => {
		raw?.close();
		await zbc?.close();
		await engine?.stop();
		await db?.drop();
	});

	it("should refuse every broken, hostile or unsupported resource of the corpus with INVALID_ARGUMENT naming the problem", async () => {
		for (const [file, detail] of refusedResources) {
			const result = await raw.unary("DeployResource", deploy(file, corpusFile(file)));
			expect(result.ok ? "deployed" : result.code, `${file}: ${describeResult(result)}`).toBe(INVALID_ARGUMENT);
			expect(!result.ok && result.details, file).toMatch(detail);
			await followUp(file);
		}
	});

	it("should answer invalid arguments of every RPC with a clear status, and keep serving", async () => {
		const cases = [...invalidArgumentCases(keys)];
		const covered = new Set<string>();
		for (const c of cases) {
			const result = await raw.unary(c.rpc, c.request);
			expect(result.ok ? "OK" : grpc.status[result.code], `${c.what}: ${describeResult(result)}`).toBeOneOf(
				c.codes.map((code) => grpc.status[code]),
			);
			expect(!result.ok && result.details, c.what).toMatch(c.detail);
			covered.add(c.rpc);
			await followUp(c.what);
		}
		for (const c of streamCases) {
			const result = await raw.stream(c.rpc, c.request);
			expect(result.ok ? "OK" : grpc.status[result.code], `${c.what}: ${describeResult(result)}`).toBeOneOf(
				c.codes.map((code) => grpc.status[code]),
			);
			expect(!result.ok && result.details, c.what).toMatch(c.detail);
			covered.add(c.rpc);
			await followUp(c.what);
		}
		// Topology takes no arguments; every other RPC of the proto has at least one invalid request above.
		expect(everyRpc.filter((rpc) => rpc !== "Topology" && !covered.has(rpc))).toEqual([]);
	});

	it("should answer bytes that are no protobuf message for every RPC without crashing", async () => {
		const garbage = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x0a, 0xff, 0x01, 0x02]);
		for (const rpc of everyRpc.filter((name) => name !== "ActivateJobs")) {
			const result = await raw.garbage(rpc, garbage);
			expect(result.ok ? "OK" : grpc.status[result.code], `${rpc}: ${describeResult(result)}`).toBeOneOf([
				"INTERNAL",
				"INVALID_ARGUMENT",
			]);
			expect(!result.ok && result.details, rpc).toMatch(/deserializ|parse|invalid/i);
			await followUp(`garbage to ${rpc}`);
		}
		expect((await raw.unary("Topology", {})).ok).toBe(true);
	});

	it("should keep a path given as resource name verbatim, as Zeebe does (zbctl sends the path it was given)", async () => {
		// The name is only a label: nothing is read from or written to that path.
		for (const name of ["/tmp/cases/../baseline-path.bpmn", "..\\forms\\baseline-path.bpmn"]) {
			const result = await raw.unary("DeployResource", deploy(name, corpusFile("baseline.bpmn")));
			expect(result.ok, `${name}: ${describeResult(result)}`).toBe(true);
			const stored = await queryRows<{ resource_name: string }>(
				db.url,
				"select resource_name from engine_process_definition where resource_name = $1",
				[name],
			);
			expect(stored.map((row) => row.resource_name)).toEqual([name]);
			await followUp(`a deployment named ${name}`);
		}
	});

	it("should accept variables just under the limits (size and depth) and keep them intact", async () => {
		const nearlyLarge = oversized(MAX_VARIABLES_BYTES - 100);
		const large = await raw.unary("CreateProcessInstance", {
			bpmnProcessId: "hostile-baseline",
			variables: nearlyLarge,
		});
		expect(large.ok, describeResult(large)).toBe(true);
		const deep = await raw.unary("CreateProcessInstance", {
			bpmnProcessId: "hostile-baseline",
			variables: deeplyNested(MAX_VARIABLES_DEPTH - 1),
		});
		expect(deep.ok, describeResult(deep)).toBe(true);
		const stored = await queryRows<{ value: string }>(
			db.url,
			"select value from engine_variable where scope_key = $1 and name = 'deep'",
			[instanceKeyOf(deep)],
		);
		expect(stored[0].value).toBe(deeplyNested(MAX_VARIABLES_DEPTH - 1).slice('{"deep":'.length, -1));
		await followUp("variables at the limits");
	});

	it("should turn looping, backtracking and failing FEEL into incidents naming the problem while the engine keeps serving", async () => {
		for (const file of ["looping-feel.bpmn", "backtracking-feel.bpmn", "failing-feel.bpmn"]) {
			const deployed = await raw.unary("DeployResource", deploy(file, corpusFile(file)));
			expect(deployed.ok, `${file}: ${describeResult(deployed)}`).toBe(true);
		}
		const started = Date.now();
		const spin = await raw.unary("CreateProcessInstance", { bpmnProcessId: "spin" });
		const backtrack = await raw.unary("CreateProcessInstance", {
			bpmnProcessId: "backtrack",
			variables: JSON.stringify({ text: `${"a".repeat(40)}!` }),
		});
		const fail = await raw.unary("CreateProcessInstance", { bpmnProcessId: "fail" });
		for (const result of [spin, backtrack, fail]) expect(result.ok, describeResult(result)).toBe(true);
		await followUp("looping FEEL");
		// Two guarded evaluations cost at most two time limits, plus processing on a loaded machine.
		expect(Date.now() - started).toBeLessThan(2 * FEEL_TIME_LIMIT_MS + 10_000);
		const incidentOf = async (result: GrpcResult) =>
			eventually(
				async () =>
					(
						await queryRows<{ error_type: string; error_message: string }>(
							db.url,
							"select error_type, error_message from engine_incident where process_instance_key = $1",
							[instanceKeyOf(result)],
						)
					)[0],
				"an incident",
			);
		expect(await incidentOf(spin)).toMatchObject({
			error_message: expect.stringContaining(`did not finish within ${FEEL_TIME_LIMIT_MS} ms`),
		});
		expect(await incidentOf(backtrack)).toMatchObject({ error_message: expect.stringContaining("did not finish") });
		expect(await incidentOf(fail)).toMatchObject({
			error_message: expect.stringContaining("to be 'BOOLEAN', but was 'NULL'"),
		});
	});

	it("should not have changed anything stored before the corpus ran", async () => {
		const after = await storedFingerprint(db.url, highWater);
		expect(fingerprintChanges(before, after)).toEqual([]);
		// The baseline's failed job still has its incident; the unfinished jobs are still there.
		const incidents = await queryRows<{ state: string; error_message: string }>(
			db.url,
			"select state, error_message from engine_incident where key = $1",
			[keys.incidentKey],
		);
		expect(incidents).toEqual([{ state: "ACTIVE", error_message: "baseline incident" }]);
		// Every follow-up succeeded: they are the only instances besides the baseline and the FEEL/limit cases.
		const [{ n }] = await queryRows<{ n: string }>(
			db.url,
			"select count(*)::text as n from engine_process_instance where bpmn_process_id = 'hostile-baseline'",
		);
		expect(Number(n)).toBe(3 + followUps + 2);
		expect(followUps).toBeGreaterThan(100);
	});
});

// FAILED_PRECONDITION and INTERNAL are named so that a regression to them reads clearly in a failure.
void FAILED_PRECONDITION;
void INTERNAL;
