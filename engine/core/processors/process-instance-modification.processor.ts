import type { ExecutableElement, ExecutableProcess } from "../../bpmn/executable-model";
import { activateChild, childValue, terminateElement } from "../bpmn/element-lifecycle";
import { openMessageSubscriptions } from "../bpmn/message.behavior";
import { openSignalSubscriptions } from "../bpmn/signal.behavior";
import { openOwnedTimers } from "../bpmn/timer.behavior";
import type { ModifyInstanceCommandValue } from "../commands";
import type { ElementInstance, EngineState } from "../engine-state";
import type { ProcessingContext, QueuedCommand } from "../processing-context";
import { BpmnElementType, ProcessInstanceIntent, RejectionType, ValueType } from "../protocol";
import { mergeLocalDocument } from "../variables/variable-behavior";

/**
 * PROCESS_INSTANCE_MODIFICATION MODIFY (Zeebe's ProcessInstanceModificationProcessor, 8.6): every
 * instruction is validated first, so a rejected command writes nothing else. Then, in order, each
 * activate instruction finds or creates the instances of the element's flow scopes (a new sub-process
 * instance is activated by events, without its start event, with its event subscriptions), writes its
 * variable instructions and ACTIVATE_ELEMENT of the element; then each terminate instruction terminates
 * its element instance (job canceled, subscriptions closed, incidents resolved), and a flow scope left
 * with nothing active — up to the process instance itself — is terminated too. MODIFIED answers.
 */

const UNSUPPORTED_TYPES = new Set<string>([
	BpmnElementType.START_EVENT,
	BpmnElementType.SEQUENCE_FLOW,
	BpmnElementType.BOUNDARY_EVENT,
	BpmnElementType.PROCESS,
]);

/** An element instance as the plan sees it: a live one, or one this command will create (negative id). */
interface PlannedScope {
	key: number;
	elementId: string;
	parent: number;
}

/** The flow-scope instances one activate instruction uses or creates, outermost first. */
interface ActivationPlan {
	element: ExecutableElement;
	/** Keys of scopes to reuse (≥ 0) or create (< 0, numbered per command). */
	scopes: Array<{ key: number; element: ExecutableElement; body: boolean }>;
	variables: Array<{ elementId: string; variables: Record<string, unknown> }>;
}

class Rejection {
	constructor(
		readonly type: RejectionType,
		readonly reason: string,
	) {}
}

const reject = (reason: string) => new Rejection(RejectionType.INVALID_ARGUMENT, reason);
const quoted = (ids: Iterable<string | number>) => [...new Set([...ids].map(String))].join("', '");

/** The ids of the element's flow scopes below the process, outermost first. */
function flowScopeChain(model: ExecutableProcess, element: ExecutableElement): ExecutableElement[] {
	const chain: ExecutableElement[] = [];
	for (let id = element.flowScopeId; id; id = model.elements[id]?.flowScopeId ?? null) {
		const scope = model.elements[id];
		if (!scope || scope.type === BpmnElementType.PROCESS) break;
		chain.unshift(scope);
	}
	return chain;
}

function connectedToEventBasedGateway(model: ExecutableProcess, element: ExecutableElement): boolean {
	return element.incoming.some((flowId) => {
		const source = model.elements[model.elements[flowId]?.sourceId ?? ""];
		return source?.type === BpmnElementType.EVENT_BASED_GATEWAY;
	});
}

/** Static checks of the instructions (Zeebe's validateCommand, in its order). */
function validate(
	state: EngineState,
	model: ExecutableProcess,
	processInstance: ElementInstance,
	value: ModifyInstanceCommandValue,
): Rejection | null {
	const processId = processInstance.value.bpmnProcessId;
	const activate = value.activateInstructions;
	const unknown = activate.filter((instruction) => !model.elements[instruction.elementId]);
	if (unknown.length > 0) {
		return reject(
			`Expected to modify instance of process '${processId}' but it contains one or more activate instructions with an element that could not be found: '${quoted(unknown.map((i) => i.elementId))}'`,
		);
	}
	const elements = activate.map((instruction) => model.elements[instruction.elementId]);
	const gatewayEvents = elements.filter((element) => connectedToEventBasedGateway(model, element));
	if (gatewayEvents.length > 0) {
		return reject(
			`Expected to modify instance of process '${processId}' but it contains one or more activate instructions for elements that are unsupported: '${quoted(gatewayEvents.map((e) => e.id))}'. The activation of events belonging to an event-based gateway is not supported.`,
		);
	}
	const unsupported = elements.filter((element) => UNSUPPORTED_TYPES.has(element.type));
	if (unsupported.length > 0) {
		return reject(
			`Expected to modify instance of process '${processId}' but it contains one or more activate instructions for elements that are unsupported: '${quoted(unsupported.map((e) => e.id))}'. The activation of elements with type '${quoted(unsupported.map((e) => e.type))}' is not supported; activate a task, event, gateway or sub-process instead.`,
		);
	}
	const missing = value.terminateInstructions
		.map((instruction) => instruction.elementInstanceKey)
		.filter((key) => state.elementInstances.get(key)?.value.processInstanceKey !== processInstance.key);
	if (missing.length > 0) {
		return reject(
			`Expected to modify instance of process '${processId}' but it contains one or more terminate instructions with an element instance that could not be found: '${quoted(missing)}'`,
		);
	}
	if (value.terminateInstructions.some((instruction) => instruction.elementInstanceKey === processInstance.key)) {
		return reject(
			`Expected to modify instance of process '${processId}' but a terminate instruction names the process instance '${processInstance.key}' itself; cancel the instance with CancelProcessInstance instead`,
		);
	}
	const variableScopes = activate.flatMap((instruction) =>
		instruction.variableInstructions.map((variables) => variables.elementId).filter((id) => id !== ""),
	);
	const unknownScopes = variableScopes.filter((id) => !model.elements[id]);
	if (unknownScopes.length > 0) {
		return reject(
			`Expected to modify instance of process '${processId}' but it contains one or more variable instructions with a scope element id that could not be found: '${quoted(unknownScopes)}'`,
		);
	}
	const notFlowScope = activate.some((instruction) => {
		const chain = flowScopeChain(model, model.elements[instruction.elementId]).map((scope) => scope.id);
		return instruction.variableInstructions.some(
			({ elementId }) =>
				elementId !== "" &&
				elementId !== instruction.elementId &&
				elementId !== processId &&
				!chain.includes(elementId),
		);
	});
	if (notFlowScope) {
		return reject(
			`Expected to modify instance of process '${processId}' but it contains one or more variable instructions with a scope element that doesn't belong to the activating element's flow scope. These variables should be set before or after the modification.`,
		);
	}
	const ancestors = activate.map((instruction) => instruction.ancestorScopeKey).filter((key) => key > 0);
	const inactive = ancestors.filter((key) => state.elementInstances.get(key)?.state !== "ACTIVATED");
	if (inactive.length > 0) {
		return reject(
			`Expected to modify instance of process '${processId}' but it contains one or more activate instructions with an ancestor scope key that does not exist, or is not in an active state: '${quoted(inactive)}'`,
		);
	}
	const foreign = ancestors.filter(
		(key) => state.elementInstances.get(key)?.value.processInstanceKey !== processInstance.key,
	);
	if (foreign.length > 0) {
		return reject(
			`Expected to modify instance of process '${processId}' but it contains one or more activate instructions with an ancestor scope key that does not belong to the modified process instance: '${quoted(foreign)}'`,
		);
	}
	const notAncestor = activate
		.filter((instruction) => instruction.ancestorScopeKey > 0)
		.filter((instruction) => {
			const ancestorId = state.elementInstances.get(instruction.ancestorScopeKey)!.value.elementId;
			if (ancestorId === processId) return false;
			const chain = flowScopeChain(model, model.elements[instruction.elementId]);
			return !chain.some((scope) => scope.id === ancestorId);
		})
		.map(
			(instruction) =>
				`\n- instance '${instruction.ancestorScopeKey}' of element '${state.elementInstances.get(instruction.ancestorScopeKey)!.value.elementId}' is not an ancestor of element '${instruction.elementId}'`,
		);
	if (notAncestor.length > 0) {
		return reject(
			`Expected to modify instance of process '${processId}' but it contains one or more activate instructions with an ancestor scope key that is not an ancestor of the element to activate:${notAncestor.join("")}`,
		);
	}
	return null;
}

/**
 * Plans the activations in order (Zeebe's ElementActivationBehavior): for each flow scope of the
 * element, an existing instance is reused when there is exactly one (unless it lies inside the selected
 * ancestor, which asks for a new one), the selected ancestor decides between several, and a missing one
 * is created — except a multi-instance body or inner instance, which the modification cannot create.
 */
function plan(
	state: EngineState,
	model: ExecutableProcess,
	processInstance: ElementInstance,
	value: ModifyInstanceCommandValue,
): ActivationPlan[] | Rejection {
	const processId = processInstance.value.bpmnProcessId;
	const planned = new Map<number, PlannedScope>();
	let nextPlanned = -2;
	const parentOf = (key: number): number =>
		key < 0 ? (planned.get(key)?.parent ?? -1) : (state.elementInstances.get(key)?.value.flowScopeKey ?? -1);
	const isAncestor = (ancestorKey: number, key: number): boolean => {
		for (let scope = parentOf(key); scope !== -1; scope = parentOf(scope)) if (scope === ancestorKey) return true;
		return false;
	};
	const instancesOf = (elementId: string, parentKey: number, body: boolean): number[] => {
		const live = [...(state.children.get(parentKey) ?? [])].filter((key) => {
			const instance = state.elementInstances.get(key)!;
			const isBody = instance.value.bpmnElementType === BpmnElementType.MULTI_INSTANCE_BODY;
			return instance.value.elementId === elementId && isBody === body && instance.state !== "TERMINATING";
		});
		const created = [...planned.values()].filter(
			(scope) => scope.parent === parentKey && scope.elementId === elementId,
		);
		return [...live, ...created.map((scope) => scope.key)];
	};
	const multipleInstances = (scopeId: string) =>
		reject(
			`Expected to modify instance of process '${processId}' but it contains one or more activate instructions for an element that has a flow scope with more than one active instance: '${scopeId}'. Can't decide in which instance of the flow scope the element should be activated. Please specify an ancestor element instance key for this activate instruction.`,
		);
	/** The instance to reuse, or null to create one (Zeebe's findReusableSubprocessInstanceKey). */
	const findScope = (candidates: number[], ancestorKey: number, scopeId: string): number | null | Rejection => {
		if (candidates.length === 0) return null;
		if (candidates.length === 1) {
			return ancestorKey !== -1 && isAncestor(ancestorKey, candidates[0]) ? null : candidates[0];
		}
		if (ancestorKey === -1) return multipleInstances(scopeId);
		if (candidates.includes(ancestorKey)) return ancestorKey;
		if (candidates.some((key) => isAncestor(ancestorKey, key))) return null;
		const above = candidates.find((key) => isAncestor(key, ancestorKey));
		return above ?? multipleInstances(scopeId);
	};
	const plans: ActivationPlan[] = [];
	for (const instruction of value.activateInstructions) {
		const element = model.elements[instruction.elementId];
		const ancestorKey = instruction.ancestorScopeKey > 0 ? instruction.ancestorScopeKey : -1;
		const scopes: ActivationPlan["scopes"] = [];
		let parentKey = processInstance.key;
		for (const scope of flowScopeChain(model, element)) {
			// A multi-instance sub-process is two levels of instances: the body, then one inner instance per item.
			const levels = scope.multiInstance ? [true, false] : [false];
			for (const body of levels) {
				const found = findScope(instancesOf(scope.id, parentKey, body), ancestorKey, scope.id);
				if (found instanceof Rejection) return found;
				let key = found;
				if (key === null) {
					if (scope.multiInstance) {
						return reject(
							`Expected to modify instance of process '${processId}' but it contains one or more activate instructions that would result in the activation of multi-instance element '${scope.id}', which is currently unsupported.`,
						);
					}
					key = nextPlanned--;
					planned.set(key, { key, elementId: scope.id, parent: parentKey });
				}
				scopes.push({ key, element: scope, body });
				parentKey = key;
			}
		}
		plans.push({
			element,
			scopes,
			variables: instruction.variableInstructions.map((variables) => ({
				elementId: variables.elementId,
				variables: variables.variables ?? {},
			})),
		});
	}
	return plans;
}

/**
 * Would the terminate instructions leave the process instance with nothing active (so that it ends)?
 * Mirrors the cascade below: a scope emptied by the modification ends; one with nothing in it before is kept.
 */
function processInstanceEnds(
	state: EngineState,
	processInstance: ElementInstance,
	terminated: Set<number>,
	hasActivations: boolean,
): boolean {
	if (hasActivations) return false;
	const survives = (key: number): boolean => {
		if (terminated.has(key)) return false;
		const instance = state.elementInstances.get(key);
		if (!instance) return false;
		const children = state.children.get(key);
		if (!children || children.size === 0 || instance.pendingFlows > 0) return true;
		return [...children].some(survives);
	};
	return !survives(processInstance.key);
}

function isInsideTermination(state: EngineState, instance: ElementInstance): boolean {
	for (let current: ElementInstance | undefined = instance; current; ) {
		if (current.state === "TERMINATING") return true;
		current = state.elementInstances.get(current.value.flowScopeKey);
	}
	return false;
}

/** PROCESS_INSTANCE_MODIFICATION MODIFY (key and `processInstanceKey` = the process instance). */
export function processInstanceModify(context: ProcessingContext, command: QueuedCommand): void {
	const state = context.state;
	const value = normalise(command.record.value as unknown as ModifyInstanceCommandValue);
	const eventKey = command.record.key > -1 ? command.record.key : value.processInstanceKey;
	const processInstance = state.elementInstances.get(value.processInstanceKey);
	if (!processInstance || processInstance.value.bpmnElementType !== BpmnElementType.PROCESS) {
		context.reject(
			command,
			RejectionType.NOT_FOUND,
			`Expected to modify process instance but no process instance found with key '${eventKey}'`,
		);
		return;
	}
	if (processInstance.state !== "ACTIVATED") {
		context.reject(
			command,
			RejectionType.INVALID_STATE,
			`Expected to modify process instance with key '${eventKey}', but it is in state '${processInstance.state}' (only an active instance can be modified)`,
		);
		return;
	}
	const definition = state.processes.get(processInstance.value.processDefinitionKey);
	if (!definition) throw new Error(`process definition ${processInstance.value.processDefinitionKey} is not deployed`);
	const model = definition.model;
	const invalid = validate(state, model, processInstance, value);
	const plans = invalid ?? plan(state, model, processInstance, value);
	const terminated = new Set(value.terminateInstructions.map((instruction) => instruction.elementInstanceKey));
	const childEnds =
		!(plans instanceof Rejection) &&
		processInstance.value.parentProcessInstanceKey > 0 &&
		processInstanceEnds(state, processInstance, terminated, value.activateInstructions.length > 0);
	const rejection = plans instanceof Rejection ? plans : childEnds ? reject(childEndsReason(processInstance)) : null;
	if (rejection) {
		context.reject(command, rejection.type, rejection.reason);
		return;
	}
	const owner = {
		processInstanceKey: processInstance.key,
		processDefinitionKey: definition.key,
		bpmnProcessId: definition.bpmnProcessId,
		tenantId: processInstance.value.tenantId,
	};
	// Keys of the flow scopes this command created, by their planned (negative) number.
	const createdKeys = new Map<number, number>();
	const activated = (plans as ActivationPlan[]).map((activation, index) => {
		const variablesFor = (elementId: string, scopeKey: number) => {
			for (const instruction of activation.variables) {
				const matches =
					instruction.elementId === elementId ||
					(instruction.elementId === "" && elementId === definition.bpmnProcessId);
				if (matches) mergeLocalDocument(context, scopeKey, instruction.variables, owner);
			}
		};
		variablesFor(definition.bpmnProcessId, processInstance.key);
		const scopeKeys = [processInstance.key];
		let scope = processInstance;
		for (const planned of activation.scopes) {
			let key = planned.key;
			if (key < 0) {
				key = createdKeys.get(planned.key) ?? activateScopeByEvents(context, scope, planned.element);
				createdKeys.set(planned.key, key);
			}
			// Variables of a multi-instance sub-process go to its inner instance, not to the body.
			if (!planned.body) variablesFor(planned.element.id, key);
			scopeKeys.push(key);
			scope = state.elementInstances.get(key)!;
		}
		const elementKey = context.nextKey();
		variablesFor(activation.element.id, elementKey);
		activateChild(context, scope, activation.element, elementKey);
		return { ...value.activateInstructions[index], ancestorScopeKeys: scopeKeys };
	});
	for (const { elementInstanceKey } of value.terminateInstructions) {
		const instance = state.elementInstances.get(elementInstanceKey);
		// Already ended or being terminated by an earlier instruction (its scope, or itself twice).
		if (!instance || isInsideTermination(state, instance)) continue;
		context.terminatedByModification.add(instance.key);
		terminateElement(context, instance);
	}
	const modified = context.event(ValueType.PROCESS_INSTANCE_MODIFICATION, "MODIFIED", eventKey, {
		processInstanceKey: processInstance.key,
		tenantId: processInstance.value.tenantId,
		activateInstructions: activated,
		terminateInstructions: value.terminateInstructions,
	});
	context.respond(command.requestId, modified);
}

function childEndsReason(processInstance: ElementInstance): string {
	return `Expected to modify instance of process '${processInstance.value.bpmnProcessId}' but the given instructions would terminate the instance. The instance was created by a call activity in the parent process. To terminate this instance please modify the parent process instead.`;
}

/** A flow scope created for an activation: ACTIVATING and ACTIVATED by events (no start event), then its subscriptions. */
function activateScopeByEvents(context: ProcessingContext, scope: ElementInstance, element: ExecutableElement): number {
	const key = context.nextKey();
	const value = childValue(scope, element);
	context.event(ValueType.PROCESS_INSTANCE, ProcessInstanceIntent.ELEMENT_ACTIVATING, key, value);
	context.event(ValueType.PROCESS_INSTANCE, ProcessInstanceIntent.ELEMENT_ACTIVATED, key, value);
	const instance = context.state.elementInstances.get(key)!;
	// A subscription that cannot be opened (e.g. a correlation key that does not evaluate) raises an incident.
	if (openOwnedTimers(context, instance, element) && openMessageSubscriptions(context, instance, element)) {
		openSignalSubscriptions(context, instance, element);
	}
	return key;
}

/** Fills in what a client may leave out (proto3 defaults). */
function normalise(value: ModifyInstanceCommandValue): ModifyInstanceCommandValue {
	return {
		...value,
		activateInstructions: (value.activateInstructions ?? []).map((instruction) => ({
			elementId: instruction.elementId ?? "",
			ancestorScopeKey: instruction.ancestorScopeKey > 0 ? instruction.ancestorScopeKey : -1,
			variableInstructions: (instruction.variableInstructions ?? []).map((variables) => ({
				elementId: variables.elementId ?? "",
				variables: variables.variables ?? {},
			})),
		})),
		terminateInstructions: value.terminateInstructions ?? [],
	};
}
