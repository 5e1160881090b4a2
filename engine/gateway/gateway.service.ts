import * as grpc from "@grpc/grpc-js";
import type { Logger } from "pino";
import type { ActivatedJobValue, DecisionEvaluationValue, DeploymentCreatedValue, InstanceCreatedValue, JobBatchActivatedValue } from "../core/commands";
import type { EngineCommand, EngineRecord } from "../core/contract";
import { DEFAULT_TENANT } from "../core/protocol";
import type { JobAvailability } from "../runtime/job-availability";
import type { LongPollOutcome } from "../runtime/processing-loop";
import { acceptedOrThrow, checkRequestText, checkResource, checkTenant, GatewayError, invalidArgument, parseJsonObject, parseKey, parseLong, toServiceError } from "./wire";

/** What the gateway needs from the processing loop. */
export interface CommandRuntime {
	submit(command: EngineCommand, hooks?: { onRequestId?: (requestId: number) => void }): Promise<EngineRecord>;
	abandon(requestId: number): void;
	readonly jobs: JobAvailability;
	awaitJobs(
		command: EngineCommand,
		type: string,
		since: number,
		timeoutMs: number,
		options?: { signal?: AbortSignal; onOrphaned?: (record: EngineRecord) => void },
	): Promise<LongPollOutcome>;
}

/** Gateway defaults (zeebe-behaviour.md App. B). */
export interface GatewayDefaults {
	/** ActivateJobs with requestTimeout 0. @default 10000 */
	longPollTimeoutMs: number;
	/** CreateProcessInstanceWithResult with requestTimeout 0. @default 15000 */
	requestTimeoutMs: number;
}

/** Version reported by Topology: the Zeebe protocol level this gateway follows. */
export const GATEWAY_VERSION = "8.3.0";

type Unary<Req, Res> = (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>) => void;
type Json = Record<string, unknown>;
type Wire = Record<string, unknown>;

/** The RPCs this step implements; every other RPC of the proto answers UNIMPLEMENTED. */
export function gatewayHandlers(runtime: CommandRuntime, options: { logger: Logger; port: () => number; defaults: GatewayDefaults }): grpc.UntypedServiceImplementation {
	const log = options.logger;
	const submit = async (command: EngineCommand): Promise<EngineRecord> => acceptedOrThrow(await runtime.submit(command));

	const unary = <Req extends Wire, Res>(name: string, handle: (request: Req) => Promise<Res> | Res): Unary<Req, Res> => {
		return (call, callback) => {
			Promise.resolve()
				.then(() => {
					checkRequestText(call.request);
					return handle(call.request);
				})
				.then(
					(response) => callback(null, response),
					(error) => {
						const status = toServiceError(error);
						if (status.code === grpc.status.INTERNAL) log.error({ err: error, rpc: name }, "gateway call failed");
						callback(status);
					},
				);
		};
	};

	const createCommand = (request: Wire, intent: string, fetchVariables?: string[]): EngineCommand => {
		const processDefinitionKey = Number(request.processDefinitionKey ?? 0);
		const bpmnProcessId = String(request.bpmnProcessId ?? "");
		if (!(processDefinitionKey > 0) && bpmnProcessId === "") {
			throw invalidArgument("Expected either a 'processDefinitionKey' or a 'bpmnProcessId' to create a process instance, but neither was given.");
		}
		const version = Number(request.version ?? -1);
		return {
			valueType: "PROCESS_INSTANCE_CREATION",
			intent,
			key: -1,
			value: {
				processDefinitionKey: processDefinitionKey > 0 ? processDefinitionKey : -1,
				bpmnProcessId,
				// zeebe-node sends -1 for "latest"; proto3's default 0 means the same to a client that omits it.
				version: version > 0 ? version : -1,
				variables: parseJsonObject(request.variables as string | undefined, "variables"),
				startInstructions: ((request.startInstructions as Wire[] | undefined) ?? []).map((instruction) => ({ elementId: String(instruction.elementId ?? "") })),
				tenantId: checkTenant(request.tenantId as string | undefined),
				...(fetchVariables ? { fetchVariables } : {}),
			},
		};
	};

	const deploy = async (resources: Array<{ resourceName: string; resource: Uint8Array }>, tenantId: string) => {
		if (resources.length === 0) throw invalidArgument("Expected to deploy at least one resource, but none was given.");
		for (const resource of resources) {
			if (!resource.resourceName) throw invalidArgument("Expected every resource to have a 'name' (e.g. 'order.bpmn'), but one has none.");
			checkResource(resource.resourceName, resource.resource);
		}
		const record = await submit({ valueType: "DEPLOYMENT", intent: "CREATE", key: -1, value: { resources, tenantId } });
		return record.value as unknown as DeploymentCreatedValue;
	};

	const jobCommand = (intent: string, request: Wire, value: Json) =>
		submit({ valueType: "JOB", intent, key: parseKey(request.jobKey as string, "jobKey"), value }).then(() => ({}));

	return {
		Topology: unary("Topology", () => ({
			brokers: [
				{
					nodeId: 0,
					host: "localhost",
					port: options.port(),
					partitions: [{ partitionId: 1, role: "LEADER", health: "HEALTHY" }],
					version: GATEWAY_VERSION,
				},
			],
			clusterSize: 1,
			partitionsCount: 1,
			replicationFactor: 1,
			gatewayVersion: GATEWAY_VERSION,
		})),

		DeployResource: unary("DeployResource", async (request: Wire) => {
			const tenantId = checkTenant(request.tenantId as string);
			const resources = ((request.resources as Wire[]) ?? []).map((resource) => ({ resourceName: String(resource.name ?? ""), resource: resource.content as Uint8Array }));
			const created = await deploy(resources, tenantId);
			return {
				key: created.deploymentKey,
				tenantId: created.tenantId ?? DEFAULT_TENANT,
				deployments: [
					...(created.processesMetadata ?? []).map((process) => ({ process: processMetadata(process) })),
					...(created.decisionsMetadata ?? []).map((decision) => ({ decision })),
					...(created.decisionRequirementsMetadata ?? []).map((decisionRequirements) => ({ decisionRequirements })),
					...(created.formMetadata ?? []).map((form) => ({ form })),
				],
			};
		}),

		DeployProcess: unary("DeployProcess", async (request: Wire) => {
			const resources = ((request.processes as Wire[]) ?? []).map((process) => ({ resourceName: String(process.name ?? ""), resource: process.definition as Uint8Array }));
			const created = await deploy(resources, DEFAULT_TENANT);
			return { key: created.deploymentKey, processes: (created.processesMetadata ?? []).map(processMetadata) };
		}),

		CreateProcessInstance: unary("CreateProcessInstance", async (request: Wire) => {
			const record = await submit(createCommand(request, "CREATE"));
			return instanceResponse(record.value as unknown as InstanceCreatedValue);
		}),

		CreateProcessInstanceWithResult: unary("CreateProcessInstanceWithResult", async (request: Wire) => {
			const inner = request.request as Wire | undefined;
			if (!inner) throw invalidArgument("Expected 'request' with the process instance to create, but it is missing.");
			const fetchVariables = (request.fetchVariables as string[] | undefined) ?? [];
			const command = createCommand(inner, "CREATE_WITH_AWAITING_RESULT", fetchVariables);
			const requested = parseLong(request.requestTimeout as string);
			const timeoutMs = requested > 0 ? requested : options.defaults.requestTimeoutMs;
			let requestId: number | undefined;
			let timer: NodeJS.Timeout | undefined;
			const timedOut = new Promise<never>((_, reject) => {
				timer = setTimeout(() => {
					if (requestId !== undefined) runtime.abandon(requestId);
					reject(
						new GatewayError(
							grpc.status.DEADLINE_EXCEEDED,
							`Expected the process instance to complete within ${timeoutMs} ms (requestTimeout), but it did not; it keeps running. Use a longer requestTimeout or CreateProcessInstance.`,
						),
					);
				}, timeoutMs);
			});
			try {
				const answer = runtime.submit(command, { onRequestId: (id) => (requestId = id) });
				const record = acceptedOrThrow(await Promise.race([answer, timedOut]));
				const value = record.value as unknown as InstanceCreatedValue;
				return { ...instanceResponse(value), variables: JSON.stringify(value.variables ?? {}) };
			} finally {
				clearTimeout(timer);
			}
		}),

		CancelProcessInstance: unary("CancelProcessInstance", async (request: Wire) => {
			const key = parseKey(request.processInstanceKey as string, "processInstanceKey");
			await submit({ valueType: "PROCESS_INSTANCE", intent: "CANCEL", key, value: {} });
			return {};
		}),

		ModifyProcessInstance: unary("ModifyProcessInstance", async (request: Wire) => {
			const processInstanceKey = parseKey(request.processInstanceKey as string, "processInstanceKey");
			const activateInstructions = ((request.activateInstructions as Wire[] | undefined) ?? []).map((instruction) => {
				const ancestor = parseLong(instruction.ancestorElementInstanceKey as string);
				return {
					elementId: String(instruction.elementId ?? ""),
					// -1, and proto3's 0 of a client that leaves it out, both mean "the one existing flow scope instance".
					ancestorScopeKey: ancestor > 0 ? ancestor : -1,
					variableInstructions: ((instruction.variableInstructions as Wire[] | undefined) ?? []).map((variables) => ({
						elementId: String(variables.scopeId ?? ""),
						variables: parseJsonObject(variables.variables as string | undefined, "variableInstructions.variables"),
					})),
				};
			});
			const terminateInstructions = ((request.terminateInstructions as Wire[] | undefined) ?? []).map((instruction) => ({
				elementInstanceKey: parseKey(instruction.elementInstanceKey as string, "terminateInstructions.elementInstanceKey"),
			}));
			await submit({
				valueType: "PROCESS_INSTANCE_MODIFICATION",
				intent: "MODIFY",
				key: processInstanceKey,
				value: { processInstanceKey, activateInstructions, terminateInstructions },
			});
			return {};
		}),

		CompleteJob: unary("CompleteJob", (request: Wire) =>
			jobCommand("COMPLETE", request, { variables: parseJsonObject(request.variables as string, "variables") }),
		),

		FailJob: unary("FailJob", (request: Wire) =>
			jobCommand("FAIL", request, {
				retries: Number(request.retries ?? 0),
				errorMessage: String(request.errorMessage ?? ""),
				retryBackoff: Math.max(0, parseLong(request.retryBackOff as string)),
				variables: parseJsonObject(request.variables as string, "variables"),
			}),
		),

		ThrowError: unary("ThrowError", (request: Wire) => {
			const errorCode = String(request.errorCode ?? "");
			if (errorCode.trim() === "") throw invalidArgument("Expected 'errorCode' to name the BPMN error to throw (e.g. 'NOT_FOUND'), but it is empty.");
			return jobCommand("THROW_ERROR", request, {
				errorCode,
				errorMessage: String(request.errorMessage ?? ""),
				variables: parseJsonObject(request.variables as string, "variables"),
			});
		}),

		UpdateJobRetries: unary("UpdateJobRetries", (request: Wire) => jobCommand("UPDATE_RETRIES", request, { retries: Number(request.retries ?? 0) })),

		SetVariables: unary("SetVariables", async (request: Wire) => {
			const scopeKey = parseKey(request.elementInstanceKey as string, "elementInstanceKey");
			const variables = parseJsonObject(request.variables as string, "variables");
			const record = await submit({
				valueType: "VARIABLE_DOCUMENT",
				intent: "UPDATE",
				key: -1,
				value: { scopeKey, updateSemantics: request.local ? "LOCAL" : "PROPAGATE", variables },
			});
			return { key: record.key };
		}),

		ResolveIncident: unary("ResolveIncident", async (request: Wire) => {
			await submit({ valueType: "INCIDENT", intent: "RESOLVE", key: parseKey(request.incidentKey as string, "incidentKey"), value: {} });
			return {};
		}),

		PublishMessage: unary("PublishMessage", async (request: Wire) => {
			const name = String(request.name ?? "");
			if (name.trim() === "") throw invalidArgument("Expected 'name' to name the message to publish (e.g. 'payment-received'), but it is empty.");
			const timeToLive = parseLong(request.timeToLive as string);
			if (timeToLive < 0) throw invalidArgument(`Expected 'timeToLive' (ms the message stays buffered) to be zero or more, but got ${timeToLive}.`);
			const record = await submit({
				valueType: "MESSAGE",
				intent: "PUBLISH",
				key: -1,
				value: {
					name,
					correlationKey: String(request.correlationKey ?? ""),
					timeToLive,
					messageId: String(request.messageId ?? ""),
					variables: parseJsonObject(request.variables as string, "variables"),
					tenantId: checkTenant(request.tenantId as string | undefined),
				},
			});
			return { key: record.key, tenantId: (record.value as { tenantId?: string }).tenantId || DEFAULT_TENANT };
		}),

		BroadcastSignal: unary("BroadcastSignal", async (request: Wire) => {
			const signalName = String(request.signalName ?? "");
			if (signalName.trim() === "") throw invalidArgument("Expected 'signalName' to name the signal to broadcast (e.g. 'lockdown'), but it is empty.");
			const record = await submit({
				valueType: "SIGNAL",
				intent: "BROADCAST",
				key: -1,
				value: { signalName, variables: parseJsonObject(request.variables as string, "variables"), tenantId: DEFAULT_TENANT },
			});
			return { key: record.key };
		}),

		EvaluateDecision: unary("EvaluateDecision", async (request: Wire) => {
			const decisionKey = parseLong(request.decisionKey as string);
			const decisionId = String(request.decisionId ?? "");
			if (decisionKey > 0 && decisionId !== "") {
				throw invalidArgument(`Expected either 'decisionKey' or 'decisionId' to name the decision to evaluate, but both were given (${decisionKey} and '${decisionId}'); send only one.`);
			}
			if (!(decisionKey > 0) && decisionId.trim() === "") {
				throw invalidArgument("Expected either 'decisionKey' (as returned by DeployResource) or 'decisionId' (the DMN decision's id, latest version) to name the decision to evaluate, but neither was given.");
			}
			const record = await submit({
				valueType: "DECISION_EVALUATION",
				intent: "EVALUATE",
				key: -1,
				value: {
					decisionKey: decisionKey > 0 ? decisionKey : -1,
					decisionId: decisionKey > 0 ? "" : decisionId,
					variables: parseJsonObject(request.variables as string | undefined, "variables"),
					tenantId: checkTenant(request.tenantId as string | undefined),
				},
			});
			return decisionEvaluationResponse(record.value as unknown as DecisionEvaluationValue);
		}),

		DeleteResource: unary("DeleteResource", async (request: Wire) => {
			const resourceKey = parseKey(request.resourceKey as string, "resourceKey");
			await submit({ valueType: "RESOURCE_DELETION", intent: "DELETE", key: -1, value: { resourceKey, tenantId: DEFAULT_TENANT } });
			return {};
		}),

		StreamActivatedJobs: (call: grpc.ServerWritableStream<Wire, Wire>) => {
			streamActivatedJobs(runtime, call, log).catch((error) => {
				const status = toServiceError(error);
				if (status.code === grpc.status.INTERNAL) log.error({ err: error, rpc: "StreamActivatedJobs" }, "gateway call failed");
				if (!call.cancelled) call.emit("error", status);
			});
		},

		ActivateJobs: (call: grpc.ServerWritableStream<Wire, Wire>) => {
			activateJobs(runtime, call, options.defaults, log).catch((error) => {
				const status = toServiceError(error);
				if (status.code === grpc.status.INTERNAL) log.error({ err: error, rpc: "ActivateJobs" }, "gateway call failed");
				if (!call.cancelled) call.emit("error", status);
			});
		},
	};
}

/**
 * ActivateJobs with long polling (zeebe-behaviour.md §4.2): one response message per non-empty batch;
 * when nothing is activatable the request waits for a jobs-available notification of its type until
 * requestTimeout (0 → default, < 0 → no waiting) and then ends with zero messages.
 */
async function activateJobs(runtime: CommandRuntime, call: grpc.ServerWritableStream<Wire, Wire>, defaults: GatewayDefaults, log: Logger): Promise<void> {
	const request = call.request;
	checkRequestText(request);
	const type = String(request.type ?? "");
	const timeout = parseLong(request.timeout as string);
	const maxJobsToActivate = Number(request.maxJobsToActivate ?? 0);
	if (type.trim() === "") throw invalidArgument("Expected 'type' to name the job type to activate (e.g. 'payment'), but it is empty.");
	if (!(timeout > 0)) throw invalidArgument(`Expected 'timeout' (ms a worker has to finish a job) to be greater than zero, but got ${timeout}.`);
	if (!(maxJobsToActivate > 0)) throw invalidArgument(`Expected 'maxJobsToActivate' to be greater than zero, but got ${maxJobsToActivate}.`);
	const tenantIds = ((request.tenantIds as string[] | undefined) ?? []).map(checkTenant);
	const requestTimeout = parseLong(request.requestTimeout as string);
	const longPollMs = requestTimeout === 0 ? defaults.longPollTimeoutMs : requestTimeout;
	const deadline = Date.now() + longPollMs;
	const aborted = new AbortController();
	call.on("cancelled", () => aborted.abort());
	const command: EngineCommand = {
		valueType: "JOB_BATCH",
		intent: "ACTIVATE",
		key: -1,
		value: {
			type,
			worker: String(request.worker ?? ""),
			timeout,
			maxJobsToActivate,
			fetchVariable: (request.fetchVariable as string[] | undefined) ?? [],
			tenantIds: tenantIds.length > 0 ? tenantIds : [DEFAULT_TENANT],
		},
	};
	const orphaned = (record: EngineRecord) => {
		const jobs = (record.value as unknown as JobBatchActivatedValue).jobs ?? [];
		if (record.recordType !== "COMMAND_REJECTION" && jobs.length > 0) void handBack(runtime, jobs, log);
	};
	let parkedAnswer: EngineRecord | undefined;
	for (;;) {
		const generation = runtime.jobs.generation(type);
		const record = acceptedOrThrow(parkedAnswer ?? (await runtime.submit(command)));
		parkedAnswer = undefined;
		const batch = record.value as unknown as JobBatchActivatedValue;
		const jobs = batch.jobs ?? [];
		if (jobs.length > 0) {
			// Let the event loop read what is already on the socket: a client that cancelled while the batch
			// committed is then known to be gone, and its jobs go back instead of waiting for their time-out.
			await new Promise((resolve) => setImmediate(resolve));
			if (call.cancelled) {
				await handBack(runtime, jobs, log);
				return;
			}
			call.write({ jobs: jobs.map(activatedJob) });
			call.end();
			return;
		}
		const remaining = deadline - Date.now();
		if (requestTimeout < 0 || remaining <= 0 || call.cancelled) break;
		// Parked inside the processing loop: activated in the batch that makes jobs of this type available.
		const outcome = await runtime.awaitJobs(command, type, generation, remaining, { signal: aborted.signal, onOrphaned: orphaned });
		if ("timedOut" in outcome) break;
		// An empty answer (another poll took the jobs) is not parked on again directly: the generation it
		// saw is unknown, so the loop activates afresh with a generation read before sending.
		if ("record" in outcome && (outcome.record.recordType === "COMMAND_REJECTION" || ((outcome.record.value as unknown as JobBatchActivatedValue).jobs ?? []).length > 0)) {
			parkedAnswer = outcome.record;
		}
	}
	if (!call.cancelled) call.end();
}

/** Jobs one StreamActivatedJobs activation takes at most before writing them (it then activates again at once). */
const STREAM_BATCH = 32;

/** How long a job stream waits inside the loop before looking again (it stays open until the client leaves). */
const STREAM_PARK_MS = 30_000;

/**
 * StreamActivatedJobs (Zeebe's job push): a stream that stays open until the client cancels it; every job
 * of the type that is or becomes activatable is activated for this worker (JOB_BATCH ACTIVATE, as
 * ActivateJobs) and written as one ActivatedJob message. Jobs already waiting when the stream opens are
 * sent too. Jobs activated for a client that left are handed back at unchanged retries.
 */
async function streamActivatedJobs(runtime: CommandRuntime, call: grpc.ServerWritableStream<Wire, Wire>, log: Logger): Promise<void> {
	const request = call.request;
	checkRequestText(request);
	const type = String(request.type ?? "");
	const timeout = parseLong(request.timeout as string);
	if (type.trim() === "") throw invalidArgument("Expected 'type' to name the job type to stream (e.g. 'payment'), but it is empty.");
	if (!(timeout > 0)) throw invalidArgument(`Expected 'timeout' (ms a worker has to finish a job) to be greater than zero, but got ${timeout}.`);
	const tenantIds = ((request.tenantIds as string[] | undefined) ?? []).map(checkTenant);
	const aborted = new AbortController();
	call.on("cancelled", () => aborted.abort());
	call.on("close", () => aborted.abort());
	const command: EngineCommand = {
		valueType: "JOB_BATCH",
		intent: "ACTIVATE",
		key: -1,
		value: {
			type,
			worker: String(request.worker ?? ""),
			timeout,
			maxJobsToActivate: STREAM_BATCH,
			fetchVariable: (request.fetchVariable as string[] | undefined) ?? [],
			tenantIds: tenantIds.length > 0 ? tenantIds : [DEFAULT_TENANT],
		},
	};
	const orphaned = (record: EngineRecord) => {
		const jobs = (record.value as unknown as JobBatchActivatedValue).jobs ?? [];
		if (record.recordType !== "COMMAND_REJECTION" && jobs.length > 0) void handBack(runtime, jobs, log);
	};
	let parkedAnswer: EngineRecord | undefined;
	while (!aborted.signal.aborted) {
		const generation = runtime.jobs.generation(type);
		const record = acceptedOrThrow(parkedAnswer ?? (await runtime.submit(command)));
		parkedAnswer = undefined;
		const jobs = (record.value as unknown as JobBatchActivatedValue).jobs ?? [];
		if (jobs.length > 0) {
			await new Promise((resolve) => setImmediate(resolve));
			if (aborted.signal.aborted) {
				await handBack(runtime, jobs, log);
				return;
			}
			for (let index = 0; index < jobs.length; index++) {
				if (aborted.signal.aborted) {
					await handBack(runtime, jobs.slice(index), log);
					return;
				}
				if (!call.write(activatedJob(jobs[index]))) await new Promise((resolve) => call.once("drain", resolve));
			}
			continue;
		}
		const outcome = await runtime.awaitJobs(command, type, generation, STREAM_PARK_MS, { signal: aborted.signal, onOrphaned: orphaned });
		if ("record" in outcome && (outcome.record.recordType === "COMMAND_REJECTION" || ((outcome.record.value as unknown as JobBatchActivatedValue).jobs ?? []).length > 0)) {
			parkedAnswer = outcome.record;
		}
	}
	if (parkedAnswer) orphaned(parkedAnswer);
}

/** Jobs activated for a client that went away are handed back with their retries (Zeebe's gateway does the same). */
async function handBack(runtime: CommandRuntime, jobs: ActivatedJobValue[], log: Logger): Promise<void> {
	await Promise.all(
		jobs.map((job) =>
			runtime
				.submit({ valueType: "JOB", intent: "FAIL", key: job.key, value: { retries: job.retries, errorMessage: "", retryBackoff: 0, variables: {} } })
				.catch((error) => log.warn({ err: error, jobKey: job.key }, "could not hand back an undelivered job; it returns after its time-out")),
		),
	);
}

function activatedJob(job: ActivatedJobValue): Wire {
	return {
		key: job.key,
		type: job.type,
		processInstanceKey: job.processInstanceKey,
		bpmnProcessId: job.bpmnProcessId,
		processDefinitionVersion: job.processDefinitionVersion,
		processDefinitionKey: job.processDefinitionKey,
		elementId: job.elementId,
		elementInstanceKey: job.elementInstanceKey,
		customHeaders: JSON.stringify(job.customHeaders ?? {}),
		worker: job.worker,
		retries: job.retries,
		deadline: job.deadline,
		variables: JSON.stringify(job.variables ?? {}),
		tenantId: job.tenantId || DEFAULT_TENANT,
	};
}

function processMetadata(process: DeploymentCreatedValue["processesMetadata"][number]): Wire {
	return {
		bpmnProcessId: process.bpmnProcessId,
		version: process.version,
		processDefinitionKey: process.processDefinitionKey,
		resourceName: process.resourceName,
		tenantId: process.tenantId || DEFAULT_TENANT,
	};
}

/** DECISION_EVALUATION EVALUATED / FAILED → EvaluateDecisionResponse (a failed evaluation is answered, not rejected). */
function decisionEvaluationResponse(value: DecisionEvaluationValue): Wire {
	const tenantId = value.tenantId || DEFAULT_TENANT;
	return {
		decisionKey: value.decisionKey,
		decisionId: value.decisionId,
		decisionName: value.decisionName,
		decisionVersion: value.decisionVersion,
		decisionRequirementsId: value.decisionRequirementsId,
		decisionRequirementsKey: value.decisionRequirementsKey,
		decisionOutput: value.decisionOutput,
		evaluatedDecisions: (value.evaluatedDecisions ?? []).map((decision) => ({
			decisionKey: decision.decisionKey,
			decisionId: decision.decisionId,
			decisionName: decision.decisionName,
			decisionVersion: decision.decisionVersion,
			decisionType: decision.decisionType,
			decisionOutput: decision.decisionOutput,
			matchedRules: decision.matchedRules,
			evaluatedInputs: decision.evaluatedInputs,
			tenantId: decision.tenantId || tenantId,
		})),
		failedDecisionId: value.failedDecisionId ?? "",
		failureMessage: value.evaluationFailureMessage ?? "",
		tenantId,
	};
}

function instanceResponse(value: InstanceCreatedValue): Wire {
	return {
		processDefinitionKey: value.processDefinitionKey,
		bpmnProcessId: value.bpmnProcessId,
		version: value.version,
		processInstanceKey: value.processInstanceKey,
		tenantId: value.tenantId || DEFAULT_TENANT,
	};
}
