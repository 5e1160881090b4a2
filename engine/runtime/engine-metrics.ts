import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { EngineCommand, EngineRecord } from "../core/contract";

/** What the processing loop reports; see {@link EngineMetrics}. */
export interface LoopMetrics {
	/** A batch was processed in memory: the commands it took (client and due work). */
	batchProcessed(commands: readonly EngineCommand[]): void;
	/** A batch was committed: its records and how long the transaction took. */
	batchCommitted(records: readonly EngineRecord[], commitMs: number): void;
	/** A command was refused because the queue was full. */
	backPressure(): void;
	/** The retention policy ran and deleted this much. */
	retentionApplied?(result: { records: number; instances: number }): void;
}

/** PROCESS_INSTANCE event intents and their `action` label (as Zeebe's `zeebe_element_instance_events_total`). */
const ELEMENT_ACTIONS: Record<string, string> = {
	ELEMENT_ACTIVATED: "activated",
	ELEMENT_COMPLETED: "completed",
	ELEMENT_TERMINATED: "terminated",
};

/** Job event intents and their `action` label (as Zeebe's `zeebe_job_events_total`). */
const JOB_ACTIONS: Record<string, string> = {
	CREATED: "created",
	COMPLETED: "completed",
	FAILED: "failed",
	TIMED_OUT: "timed out",
	ERROR_THROWN: "error thrown",
	CANCELED: "canceled",
};

/**
 * The engine's Prometheus metrics, in a registry of their own (several engines may run in one process,
 * e.g. in tests). Names follow Zeebe's where Zeebe has one (`zeebe_job_events_total`,
 * `zeebe_incident_events_total`, `zeebe_dropped_request_count_total`); the loop's own are
 * `zeebe_stream_processor_*`.
 */
export class EngineMetrics implements LoopMetrics {
	readonly registry = new Registry();
	private readonly commands: Counter<"valueType" | "intent">;
	private readonly batchSize: Histogram;
	private readonly commitLatency: Histogram;
	private readonly records: Counter;
	private readonly jobEvents: Counter<"action">;
	private readonly incidentEvents: Counter<"action">;
	private readonly dropped: Counter;
	private readonly elementEvents: Counter<"action" | "type">;
	private readonly retentionRecords: Counter;
	private readonly retentionInstances: Counter;
	private loopStatus: (() => { queued: number; waitingForResult: number; position: number }) | undefined;

	constructor(options: { processMetrics?: boolean } = {}) {
		const registers = [this.registry];
		this.commands = new Counter({
			name: "zeebe_stream_processor_commands_total",
			help: "Commands processed, by value type and intent",
			labelNames: ["valueType", "intent"],
			registers,
		});
		this.batchSize = new Histogram({
			name: "zeebe_stream_processor_batch_commands",
			help: "Commands per processed batch (one PostgreSQL transaction)",
			buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
			registers,
		});
		this.commitLatency = new Histogram({
			name: "zeebe_stream_processor_commit_latency_seconds",
			help: "Time to append a batch's records to PostgreSQL in one transaction",
			buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
			registers,
		});
		this.records = new Counter({ name: "zeebe_stream_processor_records_total", help: "Records written to the log", registers });
		this.jobEvents = new Counter({ name: "zeebe_job_events_total", help: "Job events, by action", labelNames: ["action"], registers });
		this.incidentEvents = new Counter({ name: "zeebe_incident_events_total", help: "Incident events, by action", labelNames: ["action"], registers });
		this.dropped = new Counter({ name: "zeebe_dropped_request_count_total", help: "Requests refused with back-pressure (RESOURCE_EXHAUSTED)", registers });
		this.elementEvents = new Counter({
			name: "zeebe_element_instance_events_total",
			help: "Element instance events, by action (activated, completed, terminated) and BPMN element type (PROCESS = process instances)",
			labelNames: ["action", "type"],
			registers,
		});
		this.retentionRecords = new Counter({ name: "mizan_engine_retention_deleted_records_total", help: "Records deleted by the retention policy", registers });
		this.retentionInstances = new Counter({
			name: "mizan_engine_retention_deleted_instances_total",
			help: "Ended process instances deleted from the query side by the retention policy",
			registers,
		});
		const status = () => this.loopStatus?.();
		new Gauge({
			name: "zeebe_stream_processor_queued_commands",
			help: "Commands waiting in the processing loop's queue (back-pressure starts at its limit)",
			registers,
			collect() {
				this.set(status()?.queued ?? 0);
			},
		});
		new Gauge({
			name: "zeebe_stream_processor_last_processed_position",
			help: "Position of the last committed record",
			registers,
			collect() {
				this.set(status()?.position ?? 0);
			},
		});
		if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
	}

	batchProcessed(commands: readonly EngineCommand[]): void {
		if (commands.length === 0) return;
		this.batchSize.observe(commands.length);
		for (const command of commands) this.commands.inc({ valueType: command.valueType, intent: command.intent });
	}

	batchCommitted(records: readonly EngineRecord[], commitMs: number): void {
		this.commitLatency.observe(commitMs / 1000);
		this.records.inc(records.length);
		for (const record of records) {
			if (record.recordType !== "EVENT") continue;
			if (record.valueType === "JOB") {
				const action = JOB_ACTIONS[record.intent];
				if (action) this.jobEvents.inc({ action });
			} else if (record.valueType === "PROCESS_INSTANCE") {
				const action = ELEMENT_ACTIONS[record.intent];
				if (action) this.elementEvents.inc({ action, type: String((record.value as { bpmnElementType?: unknown }).bpmnElementType ?? "UNSPECIFIED") });
			} else if (record.valueType === "JOB_BATCH" && record.intent === "ACTIVATED") {
				const jobs = ((record.value as { jobKeys?: unknown[]; jobs?: unknown[] }).jobKeys ?? (record.value as { jobs?: unknown[] }).jobs ?? []).length;
				if (jobs > 0) this.jobEvents.inc({ action: "activated" }, jobs);
			} else if (record.valueType === "INCIDENT" && (record.intent === "CREATED" || record.intent === "RESOLVED")) {
				this.incidentEvents.inc({ action: record.intent.toLowerCase() });
			}
		}
	}

	backPressure(): void {
		this.dropped.inc();
	}

	retentionApplied(result: { records: number; instances: number }): void {
		this.retentionRecords.inc(result.records);
		this.retentionInstances.inc(result.instances);
	}

	/** The loop whose queue and position the gauges report. */
	watch(status: () => { queued: number; waitingForResult: number; position: number }): void {
		this.loopStatus = status;
	}

	/** The text exposition served on `/actuator/prometheus`. */
	async exposition(): Promise<{ contentType: string; body: string }> {
		return { contentType: this.registry.contentType, body: await this.registry.metrics() };
	}
}
