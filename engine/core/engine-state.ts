import type { ExecutableProcess } from "../bpmn/executable-model";
import { DueQueue } from "./due-queue";
import { FIRST_KEY } from "./protocol";

/**
 * The engine's in-memory state for one partition. Only appliers change it (see `appliers/`); processors
 * read it. Maps keep lookups O(1); `snapshot`/`restore` turn them into JSON and back.
 */

/** A deployed process definition. */
export interface ProcessDefinition {
	key: number;
	bpmnProcessId: string;
	version: number;
	resourceName: string;
	checksum: string;
	tenantId: string;
	deploymentKey: number;
	/** Not in snapshots (rebuilt from the resource on restore). */
	model: ExecutableProcess;
}

/** A deployed form. */
export interface FormDefinition {
	key: number;
	formId: string;
	version: number;
	resourceName: string;
	checksum: string;
	tenantId: string;
	deploymentKey: number;
}

/** Zeebe's ProcessInstanceRecordValue: shared by every record about one element instance (never mutated). */
export interface ProcessInstanceValue {
	bpmnProcessId: string;
	version: number;
	processDefinitionKey: number;
	processInstanceKey: number;
	elementId: string;
	flowScopeKey: number;
	bpmnElementType: string;
	bpmnEventType: string;
	parentProcessInstanceKey: number;
	parentElementInstanceKey: number;
	tenantId: string;
}

/** Lifecycle state of a live element instance (completed and terminated instances are removed). */
export type ElementState = "ACTIVATING" | "ACTIVATED" | "COMPLETING" | "TERMINATING";

export interface ElementInstance {
	key: number;
	state: ElementState;
	value: ProcessInstanceValue;
	/** Child element instances that are not yet completed/terminated. */
	activeChildren: number;
	/** Sequence flows taken inside this scope whose target is not activated yet (parallel joins wait here). */
	pendingFlows: number;
	/** Parallel joins: per gateway, how often each incoming flow was taken and not yet consumed. */
	joinCounts?: Record<string, Record<string, number>>;
	/** The job of a job-based element, or -1. */
	jobKey: number;
	/** Set when an interrupting event is about to replace this instance (boundary) or its children (ESP): the catch instance key. */
	interruptedBy?: number;
	/** Multi-instance body: inner instances started and completed so far. */
	miStarted?: number;
	miCompleted?: number;
	/** Inner instance of a multi-instance body: its 1-based position in the input collection. */
	loopCounter?: number;
	/** Call activity: the process instance it called, while that runs. */
	calledChildKey?: number;
	/** Set when a terminate end event ended this scope: the rest is terminated, then the scope completes. */
	terminatedByEndEvent?: boolean;
}

/** A deployed DMN decision. */
export interface DecisionDefinition {
	key: number;
	decisionId: string;
	decisionName: string;
	version: number;
	decisionRequirementsKey: number;
	decisionRequirementsId: string;
	checksum: string;
	tenantId: string;
}

/** A deployed DMN resource (decision requirements graph). */
export interface DecisionRequirementsDefinition {
	key: number;
	decisionRequirementsId: string;
	decisionRequirementsName: string;
	version: number;
	resourceName: string;
	checksum: string;
	tenantId: string;
}

/** A published message kept in the buffer until its deadline (time-to-live > 0). */
export interface BufferedMessage {
	key: number;
	name: string;
	correlationKey: string;
	timeToLive: number;
	deadline: number;
	messageId: string;
	variables: Record<string, unknown>;
	tenantId: string;
}

/** An open message subscription of an element instance (catch event, receive task, boundary or ESP start). */
export interface MessageSubscription {
	key: number;
	/** The instance that owns it: the catch event / receive task itself, the activity of a boundary event, the container of an ESP. */
	elementInstanceKey: number;
	processInstanceKey: number;
	processDefinitionKey: number;
	bpmnProcessId: string;
	messageName: string;
	correlationKey: string;
	/** The element the message triggers. */
	elementId: string;
	interrupting: boolean;
	tenantId: string;
}

/** An open signal subscription: of an element instance, or (elementInstanceKey -1) of a signal start event. */
export interface SignalSubscription {
	key: number;
	elementInstanceKey: number;
	processInstanceKey: number;
	processDefinitionKey: number;
	bpmnProcessId: string;
	signalName: string;
	/** The element the signal triggers. */
	elementId: string;
	interrupting: boolean;
	tenantId: string;
}

/** Zeebe's TimerRecordValue, plus the interval of a cycle. */
export interface Timer {
	key: number;
	/** The element instance the timer belongs to (catch event, activity of a boundary event, container of an event sub-process), or -1 for a timer start event. */
	elementInstanceKey: number;
	processInstanceKey: number;
	processDefinitionKey: number;
	dueDate: number;
	targetElementId: string;
	/** Remaining occurrences including this one; -1 = forever. */
	repetitions: number;
	interval?: string;
	tenantId: string;
}

/** A variable value as JSON text (what records carry and what equality compares). */
export interface VariableEntry {
	key: number;
	value: string;
}

export type JobState = "ACTIVATABLE" | "ACTIVATED" | "FAILED" | "ERROR_THROWN";

/** Zeebe's JobRecordValue, plus the engine's state of the job. */
export interface Job {
	key: number;
	state: JobState;
	type: string;
	customHeaders: Record<string, string>;
	worker: string;
	retries: number;
	retryBackoff: number;
	recurringTime: number;
	deadline: number;
	timeout: number;
	errorMessage: string;
	errorCode: string;
	elementId: string;
	elementInstanceKey: number;
	bpmnProcessId: string;
	processDefinitionVersion: number;
	processDefinitionKey: number;
	processInstanceKey: number;
	tenantId: string;
}

/** Zeebe's IncidentRecordValue. */
export interface Incident {
	key: number;
	errorType: string;
	errorMessage: string;
	bpmnProcessId: string;
	processDefinitionKey: number;
	processInstanceKey: number;
	elementId: string;
	elementInstanceKey: number;
	jobKey: number;
	variableScopeKey: number;
	tenantId: string;
}

/** Variables handed to a catch event or completing element (job result, script result, error payload). */
export interface EventTrigger {
	/** The element instance that will consume the variables. */
	elementInstanceKey: number;
	/** Element id of the catch event to activate (for interrupting triggers), or of the completing element. */
	elementId: string;
	variables: Record<string, unknown>;
}

/** A client waiting for an instance's result (CreateProcessInstanceWithResult). Transient: not snapshotted. */
export interface AwaitingResult {
	requestId: number;
	fetchVariables: string[];
}

export interface EngineState {
	/** Position of the last record written or replayed. */
	position: number;
	/** The next key to hand out. */
	nextKey: number;
	processes: Map<number, ProcessDefinition>;
	/**
	 * bpmnProcessId → definition keys by version (index = version - 1). A deleted version leaves a hole and
	 * the length stays the highest version ever deployed: Zeebe never reuses a version.
	 */
	processVersions: Map<string, Array<number | undefined>>;
	forms: Map<number, FormDefinition>;
	formVersions: Map<string, number[]>;
	elementInstances: Map<number, ElementInstance>;
	/** Flow scope key → keys of its live child element instances. */
	children: Map<number, Set<number>>;
	/** Scope key → variable name → entry. */
	variables: Map<number, Map<string, VariableEntry>>;
	jobs: Map<number, Job>;
	/** Job type → keys of ACTIVATABLE jobs, ascending (FIFO by key). */
	activatableJobs: Map<string, number[]>;
	/** Keys of ACTIVATED jobs (deadline checks) and FAILED jobs waiting for a back-off. */
	activatedJobs: Set<number>;
	backoffJobs: Set<number>;
	incidents: Map<number, Incident>;
	/** Element instance key → key of its open incident. */
	incidentByElement: Map<number, number>;
	/** Job key → key of its open incident. */
	incidentByJob: Map<number, number>;
	timers: Map<number, Timer>;
	/** Element instance key → keys of its timers. */
	timersByElement: Map<number, number[]>;
	decisions: Map<number, DecisionDefinition>;
	/** Like `processVersions`: holes for deleted versions. */
	decisionVersions: Map<string, Array<number | undefined>>;
	decisionRequirements: Map<number, DecisionRequirementsDefinition>;
	decisionRequirementsVersions: Map<string, Array<number | undefined>>;
	/** Buffered messages by key (ascending = FIFO). */
	messages: Map<number, BufferedMessage>;
	/** Message key → bpmnProcessIds it was already correlated to (at most once per process id). */
	messageCorrelations: Map<number, string[]>;
	subscriptions: Map<number, MessageSubscription>;
	/** "name\0correlationKey" → subscription keys. */
	subscriptionsByMessage: Map<string, number[]>;
	subscriptionsByElement: Map<number, number[]>;
	/** Derived from messageStartLocks (not snapshotted): process instance key → its lock. */
	messageStartLockByInstance: Map<number, string>;
	signalSubscriptions: Map<number, SignalSubscription>;
	signalSubscriptionsByName: Map<string, number[]>;
	signalSubscriptionsByElement: Map<number, number[]>;
	/** "bpmnProcessId\0correlationKey" → instance started by a message start event with that key, while active. */
	messageStartLocks: Map<string, number>;
	/** Keyed by the element instance that consumes the trigger. */
	eventTriggers: Map<number, EventTrigger>;
	/** Derived, not snapshotted: when jobs, timers and messages may become due (see due-queue.ts). */
	dueQueue: DueQueue;
	/** Transient (not part of snapshots): clients waiting for instance results. */
	awaitingResults: Map<number, AwaitingResult>;
	/** Deployed resource text by checksum (to rebuild models on restore). */
	resources: Map<string, { resourceName: string; resource: string }>;
}

export function createEngineState(): EngineState {
	return {
		position: 0,
		nextKey: FIRST_KEY,
		processes: new Map(),
		processVersions: new Map(),
		forms: new Map(),
		formVersions: new Map(),
		elementInstances: new Map(),
		children: new Map(),
		variables: new Map(),
		jobs: new Map(),
		activatableJobs: new Map(),
		activatedJobs: new Set(),
		backoffJobs: new Set(),
		incidents: new Map(),
		incidentByElement: new Map(),
		incidentByJob: new Map(),
		eventTriggers: new Map(),
		timers: new Map(),
		timersByElement: new Map(),
		decisions: new Map(),
		decisionVersions: new Map(),
		decisionRequirements: new Map(),
		decisionRequirementsVersions: new Map(),
		messages: new Map(),
		messageCorrelations: new Map(),
		subscriptions: new Map(),
		subscriptionsByMessage: new Map(),
		subscriptionsByElement: new Map(),
		messageStartLocks: new Map(),
		messageStartLockByInstance: new Map(),
		signalSubscriptions: new Map(),
		signalSubscriptionsByName: new Map(),
		signalSubscriptionsByElement: new Map(),
		dueQueue: new DueQueue(),
		awaitingResults: new Map(),
		resources: new Map(),
	};
}

/** The JSON form of the state. Process models are left out: they are rebuilt from `resources`. */
export interface EngineSnapshot {
	version: 1;
	position: number;
	nextKey: number;
	processes: Array<Omit<ProcessDefinition, "model">>;
	forms: FormDefinition[];
	elementInstances: ElementInstance[];
	variables: Array<[number, Array<[string, VariableEntry]>]>;
	jobs: Job[];
	incidents: Incident[];
	eventTriggers: EventTrigger[];
	timers: Timer[];
	decisions?: DecisionDefinition[];
	decisionRequirements?: DecisionRequirementsDefinition[];
	messages?: BufferedMessage[];
	messageCorrelations?: Array<[number, string[]]>;
	subscriptions?: MessageSubscription[];
	messageStartLocks?: Array<[string, number]>;
	signalSubscriptions?: SignalSubscription[];
	/** Highest version ever deployed per id, where deleted versions make it exceed the versions kept. */
	versionCounters?: Array<["process" | "decision" | "decisionRequirements", string, number]>;
	resources: Array<[string, { resourceName: string; resource: string }]>;
}

export function snapshotState(state: EngineState): EngineSnapshot {
	return {
		version: 1,
		position: state.position,
		nextKey: state.nextKey,
		processes: [...state.processes.values()].map(({ model: _model, ...definition }) => definition),
		forms: [...state.forms.values()],
		elementInstances: [...state.elementInstances.values()],
		variables: [...state.variables].map(([scope, entries]) => [scope, [...entries]]),
		jobs: [...state.jobs.values()],
		incidents: [...state.incidents.values()],
		eventTriggers: [...state.eventTriggers.values()],
		timers: [...state.timers.values()],
		decisions: [...state.decisions.values()],
		decisionRequirements: [...state.decisionRequirements.values()],
		messages: [...state.messages.values()],
		messageCorrelations: [...state.messageCorrelations],
		subscriptions: [...state.subscriptions.values()],
		messageStartLocks: [...state.messageStartLocks],
		signalSubscriptions: [...state.signalSubscriptions.values()],
		versionCounters: [
			...versionCounters("process", state.processVersions, state.processes),
			...versionCounters("decision", state.decisionVersions, state.decisions),
			...versionCounters("decisionRequirements", state.decisionRequirementsVersions, state.decisionRequirements),
		],
		resources: [...state.resources],
	};
}

/**
 * Rebuilds the state from a snapshot; `models` gives the executable model of each definition (parsed
 * again from its resource by the caller, which may be async).
 */
export function restoreState(
	snapshot: EngineSnapshot,
	models: (definition: Omit<ProcessDefinition, "model">, resource: string) => ExecutableProcess,
): EngineState {
	const copy = JSON.parse(JSON.stringify(snapshot)) as EngineSnapshot;
	const state = createEngineState();
	state.position = copy.position;
	state.nextKey = copy.nextKey;
	state.resources = new Map(copy.resources);
	for (const definition of copy.processes) {
		const resource = state.resources.get(definition.checksum)?.resource ?? "";
		addProcessDefinition(state, { ...definition, model: models(definition, resource) });
	}
	for (const form of copy.forms) addFormDefinition(state, form);
	for (const instance of copy.elementInstances) {
		state.elementInstances.set(instance.key, instance);
		linkChild(state, instance);
	}
	for (const [scope, entries] of copy.variables) state.variables.set(scope, new Map(entries));
	for (const job of copy.jobs) {
		state.jobs.set(job.key, job);
		indexJob(state, job);
		if (job.state === "ACTIVATED") state.dueQueue.push({ at: job.deadline, kind: "job-deadline", key: job.key });
		if (job.state === "FAILED" && job.recurringTime > 0) {
			state.dueQueue.push({ at: job.recurringTime, kind: "job-backoff", key: job.key });
		}
	}
	for (const incident of copy.incidents) indexIncident(state, incident);
	for (const trigger of copy.eventTriggers) state.eventTriggers.set(trigger.elementInstanceKey, trigger);
	for (const timer of copy.timers ?? []) addTimer(state, timer);
	for (const requirements of copy.decisionRequirements ?? []) addDecisionRequirements(state, requirements);
	for (const decision of copy.decisions ?? []) addDecision(state, decision);
	for (const message of copy.messages ?? []) {
		state.messages.set(message.key, message);
		state.dueQueue.push({ at: message.deadline, kind: "message", key: message.key });
	}
	state.messageCorrelations = new Map(copy.messageCorrelations ?? []);
	for (const subscription of copy.subscriptions ?? []) addSubscription(state, subscription);
	state.messageStartLocks = new Map(copy.messageStartLocks ?? []);
	for (const [lock, processInstanceKey] of state.messageStartLocks)
		state.messageStartLockByInstance.set(processInstanceKey, lock);
	for (const subscription of copy.signalSubscriptions ?? []) addSignalSubscription(state, subscription);
	const indexes = {
		process: state.processVersions,
		decision: state.decisionVersions,
		decisionRequirements: state.decisionRequirementsVersions,
	};
	for (const [kind, id, highest] of copy.versionCounters ?? []) {
		const versions = indexes[kind].get(id) ?? [];
		if (versions.length < highest) versions.length = highest;
		indexes[kind].set(id, versions);
	}
	return state;
}

/** Ids whose highest version ever deployed is not a version still kept (its latest versions were deleted). */
function versionCounters<K extends "process" | "decision" | "decisionRequirements">(
	kind: K,
	index: Map<string, Array<number | undefined>>,
	definitions: Map<number, unknown>,
): Array<[K, string, number]> {
	const counters: Array<[K, string, number]> = [];
	for (const [id, versions] of index) {
		const last = versions[versions.length - 1];
		if (last === undefined || !definitions.has(last)) counters.push([kind, id, versions.length]);
	}
	return counters;
}

/** The newest version in a version index that still exists (and passes `accept`). */
function newestKept<D>(
	versions: Array<number | undefined> | undefined,
	definitions: Map<number, D>,
	accept: (definition: D) => boolean = () => true,
): D | undefined {
	if (!versions) return undefined;
	for (let index = versions.length - 1; index >= 0; index--) {
		const key = versions[index];
		const definition = key === undefined ? undefined : definitions.get(key);
		if (definition && accept(definition)) return definition;
	}
	return undefined;
}

/** Removes a version from its index, leaving a hole so that the version is never handed out again. */
function dropVersion(index: Map<string, Array<number | undefined>>, id: string, version: number, key: number): void {
	const versions = index.get(id);
	if (versions && versions[version - 1] === key) versions[version - 1] = undefined;
}

/** Drops a resource's text once no definition is deployed from it any more. */
function dropResourceIfUnused(state: EngineState, checksum: string): void {
	for (const process of state.processes.values()) if (process.checksum === checksum) return;
	for (const requirements of state.decisionRequirements.values()) if (requirements.checksum === checksum) return;
	for (const form of state.forms.values()) if (form.checksum === checksum) return;
	state.resources.delete(checksum);
}

export function removeProcessDefinition(state: EngineState, key: number): void {
	const definition = state.processes.get(key);
	if (!definition) return;
	state.processes.delete(key);
	dropVersion(state.processVersions, definition.bpmnProcessId, definition.version, key);
	dropResourceIfUnused(state, definition.checksum);
}

export function removeDecision(state: EngineState, key: number): void {
	const decision = state.decisions.get(key);
	if (!decision) return;
	state.decisions.delete(key);
	dropVersion(state.decisionVersions, decision.decisionId, decision.version, key);
}

export function removeDecisionRequirements(state: EngineState, key: number): void {
	const requirements = state.decisionRequirements.get(key);
	if (!requirements) return;
	state.decisionRequirements.delete(key);
	dropVersion(state.decisionRequirementsVersions, requirements.decisionRequirementsId, requirements.version, key);
	dropResourceIfUnused(state, requirements.checksum);
}

/** Highest version ever deployed for an id (deleted ones included): the next version is this + 1. */
export function highestVersion(index: Map<string, Array<number | undefined>>, id: string): number {
	return index.get(id)?.length ?? 0;
}

// Index helpers shared by appliers and restore.

export function addProcessDefinition(state: EngineState, definition: ProcessDefinition): void {
	state.processes.set(definition.key, definition);
	const versions = state.processVersions.get(definition.bpmnProcessId) ?? [];
	versions[definition.version - 1] = definition.key;
	state.processVersions.set(definition.bpmnProcessId, versions);
}

export function addFormDefinition(state: EngineState, form: FormDefinition): void {
	state.forms.set(form.key, form);
	const versions = state.formVersions.get(form.formId) ?? [];
	versions[form.version - 1] = form.key;
	state.formVersions.set(form.formId, versions);
}

/** The latest version of a process that is not deleted. */
export function latestProcess(state: EngineState, bpmnProcessId: string): ProcessDefinition | undefined {
	return newestKept(state.processVersions.get(bpmnProcessId), state.processes);
}

export function linkChild(state: EngineState, instance: ElementInstance): void {
	const scopeKey = instance.value.flowScopeKey;
	if (scopeKey < 0) return;
	let set = state.children.get(scopeKey);
	if (!set) {
		set = new Set();
		state.children.set(scopeKey, set);
	}
	set.add(instance.key);
}

export function unlinkChild(state: EngineState, instance: ElementInstance): void {
	const set = state.children.get(instance.value.flowScopeKey);
	if (!set) return;
	set.delete(instance.key);
	if (set.size === 0) state.children.delete(instance.value.flowScopeKey);
}

/** Inserts into the ascending key list of activatable jobs of the job's type. */
function insertActivatable(state: EngineState, job: Job): void {
	let list = state.activatableJobs.get(job.type);
	if (!list) {
		list = [];
		state.activatableJobs.set(job.type, list);
	}
	// Jobs nearly always arrive in key order: append fast, else binary insert.
	if (list.length === 0 || list[list.length - 1] < job.key) {
		list.push(job.key);
		return;
	}
	let low = 0;
	let high = list.length;
	while (low < high) {
		const middle = (low + high) >> 1;
		if (list[middle] < job.key) low = middle + 1;
		else high = middle;
	}
	if (list[low] !== job.key) list.splice(low, 0, job.key);
}

function removeActivatable(state: EngineState, job: Job): void {
	const list = state.activatableJobs.get(job.type);
	if (!list) return;
	const index = list[0] === job.key ? 0 : list.indexOf(job.key);
	if (index >= 0) list.splice(index, 1);
	if (list.length === 0) state.activatableJobs.delete(job.type);
}

/** Removes a job from every index (before its state changes). */
export function unindexJob(state: EngineState, job: Job): void {
	removeActivatable(state, job);
	state.activatedJobs.delete(job.key);
	state.backoffJobs.delete(job.key);
}

/** Adds a job to the index that matches its state. */
export function indexJob(state: EngineState, job: Job): void {
	if (job.state === "ACTIVATABLE") insertActivatable(state, job);
	else if (job.state === "ACTIVATED") state.activatedJobs.add(job.key);
	else if (job.state === "FAILED" && job.retries > 0 && job.recurringTime > 0) state.backoffJobs.add(job.key);
}

export function indexIncident(state: EngineState, incident: Incident): void {
	state.incidents.set(incident.key, incident);
	if (incident.jobKey > 0) state.incidentByJob.set(incident.jobKey, incident.key);
	else state.incidentByElement.set(incident.elementInstanceKey, incident.key);
}

export function addTimer(state: EngineState, timer: Timer): void {
	state.timers.set(timer.key, timer);
	state.dueQueue.push({ at: timer.dueDate, kind: "timer", key: timer.key });
	if (timer.elementInstanceKey < 0) return;
	const keys = state.timersByElement.get(timer.elementInstanceKey);
	if (keys) keys.push(timer.key);
	else state.timersByElement.set(timer.elementInstanceKey, [timer.key]);
}

export function removeTimer(state: EngineState, key: number): void {
	const timer = state.timers.get(key);
	if (!timer) return;
	state.timers.delete(key);
	const keys = state.timersByElement.get(timer.elementInstanceKey);
	if (!keys) return;
	const index = keys.indexOf(key);
	if (index >= 0) keys.splice(index, 1);
	if (keys.length === 0) state.timersByElement.delete(timer.elementInstanceKey);
}

function pushIndex(map: Map<string | number, number[]>, key: string | number, value: number): void {
	const list = map.get(key);
	if (list) list.push(value);
	else map.set(key, [value]);
}

function dropIndex(map: Map<string | number, number[]>, key: string | number, value: number): void {
	const list = map.get(key);
	if (!list) return;
	const index = list.indexOf(value);
	if (index >= 0) list.splice(index, 1);
	if (list.length === 0) map.delete(key);
}

export const messageIndexKey = (name: string, correlationKey: string) => `${name}\u0000${correlationKey}`;

export function addSubscription(state: EngineState, subscription: MessageSubscription): void {
	state.subscriptions.set(subscription.key, subscription);
	pushIndex(
		state.subscriptionsByMessage as Map<string | number, number[]>,
		messageIndexKey(subscription.messageName, subscription.correlationKey),
		subscription.key,
	);
	pushIndex(
		state.subscriptionsByElement as Map<string | number, number[]>,
		subscription.elementInstanceKey,
		subscription.key,
	);
}

export function removeSubscription(state: EngineState, key: number): void {
	const subscription = state.subscriptions.get(key);
	if (!subscription) return;
	state.subscriptions.delete(key);
	dropIndex(
		state.subscriptionsByMessage as Map<string | number, number[]>,
		messageIndexKey(subscription.messageName, subscription.correlationKey),
		key,
	);
	dropIndex(state.subscriptionsByElement as Map<string | number, number[]>, subscription.elementInstanceKey, key);
}

export function addDecision(state: EngineState, decision: DecisionDefinition): void {
	state.decisions.set(decision.key, decision);
	const versions = state.decisionVersions.get(decision.decisionId) ?? [];
	versions[decision.version - 1] = decision.key;
	state.decisionVersions.set(decision.decisionId, versions);
}

/** The latest version of a decision requirements graph that is not deleted. */
export function latestDecisionRequirements(
	state: EngineState,
	decisionRequirementsId: string,
): DecisionRequirementsDefinition | undefined {
	return newestKept(state.decisionRequirementsVersions.get(decisionRequirementsId), state.decisionRequirements);
}

export function addDecisionRequirements(state: EngineState, requirements: DecisionRequirementsDefinition): void {
	state.decisionRequirements.set(requirements.key, requirements);
	const versions = state.decisionRequirementsVersions.get(requirements.decisionRequirementsId) ?? [];
	versions[requirements.version - 1] = requirements.key;
	state.decisionRequirementsVersions.set(requirements.decisionRequirementsId, versions);
}

/** The latest version of a decision that is not deleted (of the tenant, when given). */
export function latestDecision(
	state: EngineState,
	decisionId: string,
	tenantId?: string,
): DecisionDefinition | undefined {
	return newestKept(
		state.decisionVersions.get(decisionId),
		state.decisions,
		(decision) => tenantId === undefined || decision.tenantId === tenantId,
	);
}

export function addSignalSubscription(state: EngineState, subscription: SignalSubscription): void {
	state.signalSubscriptions.set(subscription.key, subscription);
	pushIndex(
		state.signalSubscriptionsByName as Map<string | number, number[]>,
		subscription.signalName,
		subscription.key,
	);
	if (subscription.elementInstanceKey >= 0) {
		pushIndex(
			state.signalSubscriptionsByElement as Map<string | number, number[]>,
			subscription.elementInstanceKey,
			subscription.key,
		);
	}
}

export function removeSignalSubscription(state: EngineState, key: number): void {
	const subscription = state.signalSubscriptions.get(key);
	if (!subscription) return;
	state.signalSubscriptions.delete(key);
	dropIndex(state.signalSubscriptionsByName as Map<string | number, number[]>, subscription.signalName, key);
	dropIndex(state.signalSubscriptionsByElement as Map<string | number, number[]>, subscription.elementInstanceKey, key);
}
