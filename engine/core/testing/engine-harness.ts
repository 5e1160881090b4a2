import type { EngineCommand, EngineRecord, ProcessingResult } from "../contract";
import { fixture } from "./fixtures";
import { engineCore } from "../engine-core";
import type { EngineState } from "../engine-state";

/**
 * A test driver for the pure core: a state, a controllable clock, the full log, and helpers that send
 * the commands a gateway would send. Used by the given/when/then behaviour tests.
 */
export class EngineHarness {
	state: EngineState = engineCore.createState();
	now = Date.UTC(2026, 0, 1, 8, 0, 0);
	readonly log: EngineRecord[] = [];
	private nextRequestId = 1;

	/** Sends a command and returns what processing produced. */
	async send(command: Omit<EngineCommand, "requestId"> & { requestId?: number }): Promise<ProcessingResult> {
		const prepared = await engineCore.prepareCommand({ requestId: this.nextRequestId++, ...command } as EngineCommand);
		const result = engineCore.processCommand(this.state, prepared, this.now);
		this.log.push(...result.records);
		return result;
	}

	/** Deploys resources from files beside the tests (`fixtures/`), or given as text. */
	async deploy(...resources: Array<string | { resourceName: string; resource: string }>): Promise<ProcessingResult> {
		return this.send({
			valueType: "DEPLOYMENT",
			intent: "CREATE",
			key: -1,
			value: {
				tenantId: "<default>",
				resources: resources.map((resource) =>
					typeof resource === "string" ? { resourceName: resource, resource: fixture(resource) } : resource,
				),
			},
		});
	}

	async createInstance(
		bpmnProcessId: string,
		variables: Record<string, unknown> = {},
		extra: Record<string, unknown> = {},
	) {
		const result = await this.send({
			valueType: "PROCESS_INSTANCE_CREATION",
			intent: "CREATE",
			key: -1,
			value: {
				processDefinitionKey: -1,
				bpmnProcessId,
				version: -1,
				variables,
				startInstructions: [],
				tenantId: "<default>",
				...extra,
			},
		});
		const created = result.records.find(
			(record) => record.valueType === "PROCESS_INSTANCE_CREATION" && record.intent === "CREATED",
		);
		return { result, processInstanceKey: created?.key ?? -1 };
	}

	async activateJobs(
		type: string,
		options: { max?: number; timeout?: number; fetchVariable?: string[]; worker?: string } = {},
	) {
		const result = await this.send({
			valueType: "JOB_BATCH",
			intent: "ACTIVATE",
			key: -1,
			value: {
				type,
				worker: options.worker ?? "test-worker",
				timeout: options.timeout ?? 60_000,
				maxJobsToActivate: options.max ?? 10,
				fetchVariable: options.fetchVariable ?? [],
				tenantIds: [],
			},
		});
		const batch = result.records.find((record) => record.valueType === "JOB_BATCH" && record.intent === "ACTIVATED");
		return {
			result,
			jobs: ((batch?.value as { jobs?: Array<Record<string, unknown>> })?.jobs ?? []) as Array<
				Record<string, unknown> & {
					key: number;
					variables: Record<string, unknown>;
					customHeaders: Record<string, string>;
				}
			>,
		};
	}

	job(intent: string, key: number, value: Record<string, unknown> = {}) {
		return this.send({ valueType: "JOB", intent, key, value });
	}

	completeJob(key: number, variables: Record<string, unknown> = {}) {
		return this.job("COMPLETE", key, { variables });
	}

	/** Process-instance events of one element id, as intents in log order. */
	elementIntents(elementId: string): string[] {
		return this.log
			.filter(
				(record) =>
					record.valueType === "PROCESS_INSTANCE" &&
					record.recordType === "EVENT" &&
					(record.value as { elementId?: string }).elementId === elementId,
			)
			.map((record) => record.intent);
	}

	/** The last PROCESS_INSTANCE event of the process element of an instance. */
	processState(processInstanceKey: number): string | undefined {
		const events = this.log.filter(
			(record) =>
				record.valueType === "PROCESS_INSTANCE" && record.recordType === "EVENT" && record.key === processInstanceKey,
		);
		return events[events.length - 1]?.intent;
	}

	/** The root-scope variables of a live instance, parsed. */
	variables(scopeKey: number): Record<string, unknown> {
		const result: Record<string, unknown> = {};
		for (const [name, entry] of this.state.variables.get(scopeKey) ?? []) result[name] = JSON.parse(entry.value);
		return result;
	}

	/** Every variable value ever written with this name in this scope (last wins), from the log. */
	variableFromLog(scopeKey: number, name: string): unknown {
		let value: unknown;
		for (const record of this.log) {
			const v = record.value as { scopeKey?: number; name?: string; value?: string };
			if (record.valueType === "VARIABLE" && v.scopeKey === scopeKey && v.name === name)
				value = JSON.parse(v.value ?? "null");
		}
		return value;
	}

	records(valueType: string, intent?: string): EngineRecord[] {
		return this.log.filter(
			(record) => record.valueType === valueType && (intent === undefined || record.intent === intent),
		);
	}

	/** Replays the whole log on an empty state and returns both snapshots (they must be equal). */
	async replayed(): Promise<{ processed: unknown; replayed: unknown }> {
		const fresh = engineCore.createState();
		await engineCore.replay(fresh, this.log);
		return { processed: engineCore.snapshot(this.state), replayed: engineCore.snapshot(fresh) };
	}
}
