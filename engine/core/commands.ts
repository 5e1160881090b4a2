/**
 * Values of the commands the gateway and the runtime send to the core, and of the events the gateway
 * reads to answer. Field names follow Zeebe's record values. Variables are plain JSON objects inside the
 * engine; the gateway parses and stringifies them at the wire.
 */

export type Variables = Record<string, unknown>;

/** DEPLOYMENT CREATE. `resource` is the raw file content. */
export interface DeployCommandValue {
	resources: Array<{ resourceName: string; resource: Uint8Array | string }>;
	tenantId: string;
	/** Attached by `prepareCommand`: the parsed and validated resources (shape owned by the core). */
	prepared?: unknown;
}

export interface ProcessMetadata {
	bpmnProcessId: string;
	version: number;
	processDefinitionKey: number;
	resourceName: string;
	tenantId: string;
	/** true when an unchanged resource was deployed again and the existing version was returned. */
	duplicate?: boolean;
	/** MD5 of the resource text (hex), as on the PROCESS CREATED record. */
	checksum?: string;
}

/** DEPLOYMENT CREATED: what DeployResource answers with. */
export interface DeploymentCreatedValue {
	deploymentKey: number;
	tenantId: string;
	processesMetadata: ProcessMetadata[];
	decisionsMetadata: Array<{
		dmnDecisionId: string;
		dmnDecisionName: string;
		version: number;
		decisionKey: number;
		dmnDecisionRequirementsId: string;
		decisionRequirementsKey: number;
		tenantId: string;
	}>;
	decisionRequirementsMetadata: Array<{
		dmnDecisionRequirementsId: string;
		dmnDecisionRequirementsName: string;
		version: number;
		decisionRequirementsKey: number;
		resourceName: string;
		tenantId: string;
	}>;
	formMetadata: Array<{ formId: string; version: number; formKey: number; resourceName: string; tenantId: string }>;
	/** The deployed resources as text (Zeebe's DeploymentRecord `resources`). */
	resources?: Array<{ resourceName: string; resource: string }>;
}

/** PROCESS_INSTANCE_CREATION CREATE / CREATE_WITH_AWAITING_RESULT. */
export interface CreateInstanceCommandValue {
	/** Either a key (> 0) or an id with a version (-1 = latest). */
	processDefinitionKey: number;
	bpmnProcessId: string;
	version: number;
	variables: Variables;
	/** Element ids to start before (instead of the none start event). */
	startInstructions: Array<{ elementId: string }>;
	/** CREATE_WITH_AWAITING_RESULT only: names to return; empty = all root variables. */
	fetchVariables?: string[];
	tenantId: string;
}

/** PROCESS_INSTANCE_CREATION CREATED (answer to CREATE) and PROCESS_INSTANCE_RESULT COMPLETED (answer to CREATE_WITH_AWAITING_RESULT). */
export interface InstanceCreatedValue {
	processDefinitionKey: number;
	bpmnProcessId: string;
	version: number;
	processInstanceKey: number;
	tenantId: string;
	/** On PROCESS_INSTANCE_RESULT only. */
	variables?: Variables;
}

/** JOB_BATCH ACTIVATE. */
export interface ActivateJobsCommandValue {
	type: string;
	worker: string;
	/** Activation time-out in ms (> 0). */
	timeout: number;
	maxJobsToActivate: number;
	/** Variable names to fetch; empty = all visible variables. */
	fetchVariable: string[];
	tenantIds: string[];
}

/** One job as handed to a worker (JOB_BATCH ACTIVATED `jobs[]`), matching the gateway's ActivatedJob. */
export interface ActivatedJobValue {
	key: number;
	type: string;
	processInstanceKey: number;
	bpmnProcessId: string;
	processDefinitionVersion: number;
	processDefinitionKey: number;
	elementId: string;
	elementInstanceKey: number;
	customHeaders: Record<string, string>;
	worker: string;
	retries: number;
	/** Epoch ms. */
	deadline: number;
	variables: Variables;
	tenantId: string;
}

/** JOB_BATCH ACTIVATED. */
export interface JobBatchActivatedValue {
	type: string;
	worker: string;
	timeout: number;
	maxJobsToActivate: number;
	jobKeys: number[];
	jobs: ActivatedJobValue[];
	/** true when more jobs were activatable than fit. */
	truncated: boolean;
}

/** JOB COMPLETE (key = job key). */
export interface CompleteJobCommandValue {
	variables: Variables;
}
/** JOB FAIL (key = job key). */
export interface FailJobCommandValue {
	retries: number;
	errorMessage: string;
	/** ms; 0 = activatable again at once. */
	retryBackoff: number;
	variables: Variables;
}
/** JOB THROW_ERROR (key = job key). */
export interface ThrowErrorCommandValue {
	errorCode: string;
	errorMessage: string;
	variables: Variables;
}
/** JOB UPDATE_RETRIES (key = job key). */
export interface UpdateRetriesCommandValue {
	retries: number;
}
/** JOB UPDATE_TIMEOUT (key = job key). */
export interface UpdateTimeoutCommandValue {
	timeout: number;
}
/** VARIABLE_DOCUMENT UPDATE. Answered with VARIABLE_DOCUMENT UPDATED (its key is the response key). */
export interface SetVariablesCommandValue {
	scopeKey: number;
	updateSemantics: "LOCAL" | "PROPAGATE";
	variables: Variables;
}

/**
 * PROCESS_INSTANCE_MODIFICATION MODIFY (key = process instance key). Answered with MODIFIED, whose
 * activate instructions also carry `ancestorScopeKeys` (the flow-scope instances used or created).
 */
export interface ModifyInstanceCommandValue {
	processInstanceKey: number;
	activateInstructions: Array<{
		elementId: string;
		/** The instance to create the element in (or an ancestor of it); -1 (or 0) = the one existing flow scope instance. */
		ancestorScopeKey: number;
		/** `elementId` "" (or the process id) = the process instance's root scope; else the element or one of its flow scopes. */
		variableInstructions: Array<{ elementId: string; variables: Variables }>;
	}>;
	terminateInstructions: Array<{ elementInstanceKey: number }>;
	tenantId?: string;
}

/** INCIDENT RESOLVE (key = incident key) and PROCESS_INSTANCE CANCEL (key = process instance key) carry `{}`. */
export type EmptyCommandValue = Record<string, never>;

/** MESSAGE PUBLISH. Answered with MESSAGE PUBLISHED (key = message key). */
export interface PublishMessageCommandValue {
	name: string;
	correlationKey: string;
	/** ms; 0 = not buffered. */
	timeToLive: number;
	messageId: string;
	variables: Variables;
	tenantId: string;
}

/** SIGNAL BROADCAST. Answered with SIGNAL BROADCASTED (key = signal key). */
export interface BroadcastSignalCommandValue {
	signalName: string;
	variables: Variables;
	tenantId: string;
}

/** DECISION_EVALUATION EVALUATE. Answered with DECISION_EVALUATION EVALUATED or FAILED (both accepted). */
export interface EvaluateDecisionCommandValue {
	/** > 0 to evaluate this decision version; otherwise `decisionId` names it (latest version). */
	decisionKey: number;
	decisionId: string;
	variables: Variables;
	tenantId: string;
}

/** One evaluated decision of a DECISION_EVALUATION record; values are JSON texts, as in Zeebe. */
export interface EvaluatedDecisionValue {
	decisionId: string;
	decisionName: string;
	decisionKey: number;
	decisionVersion: number;
	decisionType: string;
	decisionOutput: string;
	evaluatedInputs: Array<{ inputId: string; inputName: string; inputValue: string }>;
	matchedRules: Array<{
		ruleId: string;
		ruleIndex: number;
		evaluatedOutputs: Array<{ outputId: string; outputName: string; outputValue: string }>;
	}>;
	tenantId: string;
}

/** DECISION_EVALUATION EVALUATED / FAILED: what EvaluateDecision answers with. */
export interface DecisionEvaluationValue {
	decisionKey: number;
	decisionId: string;
	decisionName: string;
	decisionVersion: number;
	decisionRequirementsId: string;
	decisionRequirementsKey: number;
	decisionOutput: string;
	evaluatedDecisions: EvaluatedDecisionValue[];
	evaluationFailureMessage: string;
	failedDecisionId: string;
	tenantId: string;
}

/** RESOURCE_DELETION DELETE. Answered with RESOURCE_DELETION DELETING (key = the deletion's key). */
export interface DeleteResourceCommandValue {
	/** Key of a process definition or of a decision requirements graph. */
	resourceKey: number;
	tenantId: string;
}
