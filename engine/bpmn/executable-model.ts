import type { BpmnElementType, BpmnEventType } from "../core/protocol";

/**
 * The executable model of a deployed process: plain data (JSON-serialisable), produced once at deploy
 * time from the BPMN XML so that the engine never walks moddle objects while running instances.
 */

/** One `zeebe:input` / `zeebe:output`: `source` is `=expr`, a static string, or null (absent). */
export interface VariableMapping {
	source: string | null;
	/** Target path, e.g. `a` or `a.b.c`. */
	target: string;
}

/** Job properties of a job-based element (service/send/script-with-job/user task, …). */
export interface JobDefinition {
	/** Static text or `=expression` → string. */
	type: string;
	/** Static text or `=expression` → number. */
	retries: string;
	/** Static `zeebe:taskHeaders`, plus the reserved user-task headers. */
	headers: Record<string, string>;
	/** Job-based user task: reserved headers to evaluate at activation (assignee, candidate groups, …). */
	userTask?: UserTaskProperties;
}

/** The properties of a job-based user task that end up in reserved headers. */
export interface UserTaskProperties {
	assignee?: string;
	candidateGroups?: string;
	candidateUsers?: string;
	dueDate?: string;
	followUpDate?: string;
	formKey?: string;
}

/** A flow node, sequence flow or container of an executable process. */
export interface ExecutableElement {
	id: string;
	name?: string;
	type: BpmnElementType;
	eventType: BpmnEventType;
	/** Id of the enclosing container (process, sub-process, event sub-process); null for the process. */
	flowScopeId: string | null;
	/** Ids of incoming / outgoing sequence flows. */
	incoming: string[];
	outgoing: string[];
	/** Sequence flows only. */
	sourceId?: string;
	targetId?: string;
	/** Sequence flows only: the condition expression (with `=`), or null. */
	condition?: string | null;
	/** Exclusive / inclusive gateways: the default flow id. */
	defaultFlowId?: string;
	inputs?: VariableMapping[];
	outputs?: VariableMapping[];
	job?: JobDefinition;
	/** Script task with `zeebe:script`. */
	script?: { expression: string; resultVariable: string };
	/** Containers: the none start event (embedded sub-process, process). */
	noneStartEventId?: string;
	/** Containers: start events of event sub-processes directly inside. */
	eventSubProcessStartIds?: string[];
	/** Activities: attached boundary events. */
	boundaryEventIds?: string[];
	/** Boundary events. */
	attachedToId?: string;
	/** Boundary events (`cancelActivity`) and event sub-process start events (`isInterrupting`). */
	interrupting?: boolean;
	/** Error catch events: the code, or null for catch-all. Error end events: the code (static or `=expr`). */
	errorCode?: string | null;
	/** Multi-instance marker (`zeebe:loopCharacteristics`). */
	multiInstance?: {
		sequential: boolean;
		inputCollection: string;
		inputElement: string | null;
		outputCollection: string | null;
		outputElement: string | null;
		completionCondition: string | null;
	};
	/** Event-based gateway: the catch events after it (subscribed when it is activated). */
	eventGatewayTargetIds?: string[];
	/** Escalation catch events: the code, or null for catch-all. Escalation throw events: the code (static or `=expr`). */
	escalationCode?: string | null;
	/** Parallel gateway: true when it joins more than one incoming flow. */
	joins?: boolean;
	/** Timer events: which definition and its text (static ISO-8601 or `=expression`). */
	timer?: { kind: "date" | "duration" | "cycle"; expression: string };
	/** Message catch events, receive tasks, message boundary/start events: name and correlation key (static or `=expr`). */
	message?: { name: string; correlationKey: string | null };
	/** Link events: the link name; a link throw event also knows the catch event it jumps to. */
	link?: { name: string; targetId?: string };
	/** Signal events: the signal name (static or `=expr`). */
	signal?: { name: string };
	/** Process: its signal start events (subscribed at deployment). */
	signalStartEventIds?: string[];
	/** Process: its message start events (subscribed at deployment). */
	messageStartEventIds?: string[];
	/** Business rule task with `zeebe:calledDecision`. */
	calledDecision?: { decisionId: string; resultVariable: string };
	/** Call activities (`zeebe:calledElement`). */
	calledElement?: { processId: string; propagateAllChildVariables: boolean; propagateAllParentVariables: boolean };
	/** Process: its timer start events (scheduled at deployment). */
	timerStartEventIds?: string[];
}

/** One process of a deployed BPMN resource. */
export interface ExecutableProcess {
	bpmnProcessId: string;
	name?: string;
	elements: Record<string, ExecutableElement>;
}

/** What is wrong with a deployed resource, precisely enough to fix it. */
export interface DeploymentProblem {
	resourceName: string;
	elementId: string | null;
	message: string;
}
