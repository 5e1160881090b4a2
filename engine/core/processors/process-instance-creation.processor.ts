import type { CreateInstanceCommandValue } from "../commands";
import { latestProcess, type ProcessDefinition } from "../engine-state";
import type { ProcessingContext, QueuedCommand } from "../processing-context";
import {
	BpmnElementType,
	DEFAULT_TENANT,
	ProcessInstanceCreationIntent,
	ProcessInstanceIntent,
	RejectionType,
	ValueType,
} from "../protocol";
import { mergeLocalDocument } from "../variables/variable-behavior";

function findDefinition(context: ProcessingContext, value: CreateInstanceCommandValue): ProcessDefinition | string {
	const state = context.state;
	if (value.processDefinitionKey > 0) {
		return (
			state.processes.get(value.processDefinitionKey) ??
			`Expected to find process definition with key '${value.processDefinitionKey}', but none found; deploy the process first or check the key`
		);
	}
	const id = value.bpmnProcessId ?? "";
	if (id === "")
		return "Expected to find process definition, but neither a process definition key nor a BPMN process id was given";
	if (value.version === undefined || value.version < 0) {
		return (
			latestProcess(state, id) ??
			`Expected to find process definition with process ID '${id}', but none found; deploy it first`
		);
	}
	const key = state.processVersions.get(id)?.[value.version - 1];
	const definition = key !== undefined ? state.processes.get(key) : undefined;
	return (
		definition ??
		`Expected to find process definition with process ID '${id}' and version '${value.version}', but none found`
	);
}

/**
 * PROCESS_INSTANCE_CREATION CREATE / CREATE_WITH_AWAITING_RESULT (§2.4): root variables, CREATED (the
 * answer to CREATE), then ACTIVATE_ELEMENT of the process; the result waits for the instance's end.
 */
export function processInstanceCreate(context: ProcessingContext, command: QueuedCommand): void {
	const value = command.record.value as unknown as CreateInstanceCommandValue;
	const found = findDefinition(context, value);
	if (typeof found === "string") {
		context.reject(command, RejectionType.NOT_FOUND, found);
		return;
	}
	const definition = found;
	const variables = value.variables ?? {};
	if (typeof variables !== "object" || variables === null || Array.isArray(variables)) {
		context.reject(
			command,
			RejectionType.INVALID_ARGUMENT,
			'Expected the variables to be a JSON object, but they are not; send a document like {"name": value}',
		);
		return;
	}
	const model = definition.model;
	const instructions = (value.startInstructions ?? []).map((instruction) => instruction.elementId);
	for (const elementId of instructions) {
		const element = model.elements[elementId];
		if (!element) {
			context.reject(
				command,
				RejectionType.INVALID_ARGUMENT,
				`Expected to find element with id '${elementId}' in process '${definition.bpmnProcessId}' version ${definition.version}, but no such element was found`,
			);
			return;
		}
		if (
			element.flowScopeId !== definition.bpmnProcessId ||
			element.type === BpmnElementType.SEQUENCE_FLOW ||
			element.type === BpmnElementType.BOUNDARY_EVENT
		) {
			context.reject(
				command,
				RejectionType.INVALID_ARGUMENT,
				`Expected to start the instance at element '${elementId}', but only flow nodes directly inside the process (not boundary events, sequence flows or elements of sub-processes) can be start instructions`,
			);
			return;
		}
	}
	if (instructions.length === 0 && !model.elements[definition.bpmnProcessId].noneStartEventId) {
		context.reject(
			command,
			RejectionType.INVALID_STATE,
			"Expected to create instance of process with none start event, but there is no such event",
		);
		return;
	}
	const { processInstanceKey, created } = startProcessInstance(
		context,
		definition,
		variables as Record<string, unknown>,
		instructions,
		{ startInstructions: value.startInstructions ?? [], fetchVariables: value.fetchVariables ?? [] },
	);
	const awaitsResult = command.record.intent === ProcessInstanceCreationIntent.CREATE_WITH_AWAITING_RESULT;
	if (awaitsResult && command.requestId !== undefined) {
		// Transient by design: a waiting client does not survive a restart, so this is not event-sourced.
		context.state.awaitingResults.set(processInstanceKey, {
			requestId: command.requestId,
			fetchVariables: value.fetchVariables ?? [],
		});
	} else {
		context.respond(command.requestId, created);
	}
}

/**
 * Starts an instance of `definition`: root variables, PROCESS_INSTANCE_CREATION CREATED, then
 * ACTIVATE_ELEMENT of the process, which starts at the none start event or at `instructions`.
 */
export function startProcessInstance(
	context: ProcessingContext,
	definition: ProcessDefinition,
	variables: Record<string, unknown>,
	instructions: string[],
	extra: Record<string, unknown> = {},
	parent: { processInstanceKey: number; elementInstanceKey: number } = {
		processInstanceKey: -1,
		elementInstanceKey: -1,
	},
) {
	const model = definition.model;
	const processInstanceKey = context.nextKey();
	const tenantId = definition.tenantId || DEFAULT_TENANT;
	const owner = {
		processInstanceKey,
		processDefinitionKey: definition.key,
		bpmnProcessId: definition.bpmnProcessId,
		tenantId,
	};
	mergeLocalDocument(context, processInstanceKey, variables, owner);
	const created = context.event(
		ValueType.PROCESS_INSTANCE_CREATION,
		ProcessInstanceCreationIntent.CREATED,
		processInstanceKey,
		{
			bpmnProcessId: definition.bpmnProcessId,
			processDefinitionKey: definition.key,
			version: definition.version,
			processInstanceKey,
			variables,
			startInstructions: [],
			fetchVariables: [],
			tenantId,
			...extra,
		},
	);
	if (instructions.length > 0) context.startInstructions.set(processInstanceKey, instructions);
	const process = model.elements[definition.bpmnProcessId];
	context.command(ValueType.PROCESS_INSTANCE, ProcessInstanceIntent.ACTIVATE_ELEMENT, processInstanceKey, {
		bpmnProcessId: definition.bpmnProcessId,
		version: definition.version,
		processDefinitionKey: definition.key,
		processInstanceKey,
		elementId: process.id,
		flowScopeKey: -1,
		bpmnElementType: BpmnElementType.PROCESS,
		bpmnEventType: process.eventType,
		parentProcessInstanceKey: parent.processInstanceKey,
		parentElementInstanceKey: parent.elementInstanceKey,
		tenantId,
	});
	return { processInstanceKey, created };
}
