import { BpmnElementType, BpmnEventType } from "../core/protocol";
import { timerSchedule } from "../core/bpmn/timer-schedule";
import { feelSyntaxError } from "../feel/feel-evaluator";
import type {
	DeploymentProblem,
	ExecutableElement,
	ExecutableProcess,
	JobDefinition,
	UserTaskProperties,
	VariableMapping,
} from "./executable-model";

/**
 * Turns moddle's object graph into executable processes and validates Zeebe's deploy-time rules
 * (zeebe-behaviour.md §1.1). Every problem is collected; nothing stops at the first one.
 */

// biome-ignore lint/suspicious/noExplicitAny: moddle's object graph is untyped.
type Moddle = any;

/** BPMN flow elements Zeebe runs but this engine does not run yet: refused at deploy with a clear message. */
const notYetSupported = new Set(["bpmn:AdHocSubProcess"]);
/** Tolerated, never executed. */
const ignored = new Set(["bpmn:DataObject", "bpmn:DataObjectReference", "bpmn:DataStoreReference"]);

export const USER_TASK_JOB_TYPE = "io.camunda.zeebe:userTask";

class Collector {
	readonly problems: DeploymentProblem[] = [];
	constructor(readonly resourceName: string) {}
	add(elementId: string | null, message: string): void {
		this.problems.push({ resourceName: this.resourceName, elementId, message });
	}
}

function extension(element: Moddle, type: string): Moddle | undefined {
	return element.extensionElements?.values?.find((value: Moddle) => value.$type === type);
}

function mappings(list: Moddle[] | undefined, id: string, kind: string, problems: Collector): VariableMapping[] {
	const result: VariableMapping[] = [];
	for (const mapping of list ?? []) {
		const target = typeof mapping.target === "string" ? mapping.target.trim() : "";
		if (target === "") {
			problems.add(id, `a zeebe:${kind} mapping has no target; set the name of the variable to write`);
			continue;
		}
		const source = typeof mapping.source === "string" && mapping.source !== "" ? mapping.source : null;
		if (source === "=") problems.add(id, `the zeebe:${kind} mapping to '${target}' has an empty expression`);
		result.push({ source, target });
	}
	return result;
}

function eventTypeOf(element: Moddle, id: string, problems: Collector): BpmnEventType {
	const definitions: Moddle[] = element.eventDefinitions ?? [];
	if (definitions.length === 0) return BpmnEventType.NONE;
	if (definitions.length > 1) {
		problems.add(id, "has more than one event definition; multiple events are not supported, keep exactly one");
		return BpmnEventType.UNSPECIFIED;
	}
	switch (definitions[0].$type) {
		case "bpmn:ErrorEventDefinition":
			return BpmnEventType.ERROR;
		case "bpmn:MessageEventDefinition":
			return BpmnEventType.MESSAGE;
		case "bpmn:TimerEventDefinition":
			return BpmnEventType.TIMER;
		case "bpmn:SignalEventDefinition":
			return BpmnEventType.SIGNAL;
		case "bpmn:EscalationEventDefinition":
			return BpmnEventType.ESCALATION;
		case "bpmn:TerminateEventDefinition":
			return BpmnEventType.TERMINATE;
		case "bpmn:CompensateEventDefinition":
			return BpmnEventType.COMPENSATION;
		case "bpmn:LinkEventDefinition":
			return BpmnEventType.LINK;
		case "bpmn:ConditionalEventDefinition":
			return BpmnEventType.CONDITIONAL;
		default:
			return BpmnEventType.UNSPECIFIED;
	}
}

function signalOf(element: Moddle, id: string, problems: Collector): { name: string } | undefined {
	const name = (element.eventDefinitions ?? [])[0]?.signalRef?.name;
	if (typeof name !== "string" || name.trim() === "" || name.trim() === "=") {
		problems.add(id, "the signal event has no signal name; reference a bpmn:signal with a name");
		return undefined;
	}
	return { name: name.trim() };
}

function escalationCodeOf(element: Moddle): string | null {
	const code = (element.eventDefinitions ?? [])[0]?.escalationRef?.escalationCode;
	return typeof code === "string" && code !== "" ? code : null;
}

function errorCodeOf(element: Moddle): string | null {
	const definition = (element.eventDefinitions ?? [])[0];
	const code = definition?.errorRef?.errorCode;
	return typeof code === "string" && code !== "" ? code : null;
}

type TimerKind = "date" | "duration" | "cycle";

/** Reads a timer event definition and checks that its kind is allowed where the event sits (§6). */
function timerOf(element: Moddle, id: string, allowed: TimerKind[], where: string, problems: Collector) {
	const definition = (element.eventDefinitions ?? [])[0];
	const kinds: Array<[TimerKind, Moddle]> = [
		["date", definition?.timeDate],
		["duration", definition?.timeDuration],
		["cycle", definition?.timeCycle],
	];
	const present = kinds.filter(([, value]) => value);
	if (present.length !== 1) {
		problems.add(id, "a timer event needs exactly one of timeDate, timeDuration or timeCycle");
		return undefined;
	}
	const [kind, value] = present[0];
	const expression = typeof value.body === "string" ? value.body.trim() : "";
	if (expression === "") {
		problems.add(id, `the timer ${kind} is empty; set an ISO-8601 value or an expression`);
		return undefined;
	}
	if (!allowed.includes(kind)) {
		problems.add(id, `a time ${kind} is not allowed on ${where}; use ${allowed.map((k) => `time ${k}`).join(" or ")}`);
		return undefined;
	}
	if (!expression.startsWith("=")) {
		// A static definition can be checked now instead of failing when the timer is opened.
		const checked = timerSchedule(kind, expression, 0);
		if (typeof checked === "string") problems.add(id, `${checked}; fix the timer ${kind}`);
	}
	return { kind, expression };
}

/** Reads the referenced bpmn:message (name + zeebe:subscription correlationKey). */
function messageOf(element: Moddle, id: string, needsCorrelationKey: boolean, problems: Collector) {
	const message =
		element.$type === "bpmn:ReceiveTask" ? element.messageRef : (element.eventDefinitions ?? [])[0]?.messageRef;
	const name = typeof message?.name === "string" ? message.name.trim() : "";
	if (name === "" || name === "=") {
		problems.add(id, "the message event has no message name; reference a bpmn:message with a name");
		return undefined;
	}
	const subscription = extension(message, "zeebe:Subscription");
	const correlationKey = typeof subscription?.correlationKey === "string" ? subscription.correlationKey.trim() : "";
	if (needsCorrelationKey && correlationKey === "") {
		problems.add(
			id,
			`the message '${name}' has no correlation key; add zeebe:subscription correlationKey="=…" to the bpmn:message`,
		);
	}
	return { name, correlationKey: correlationKey === "" ? null : correlationKey };
}

function jobDefinition(element: Moddle, id: string, typeName: string, problems: Collector): JobDefinition | undefined {
	const definition = extension(element, "zeebe:TaskDefinition");
	const type = typeof definition?.type === "string" ? definition.type.trim() : "";
	if (type === "" || type === "=") {
		problems.add(
			id,
			`the ${typeName} has no job type; add a zeebe:taskDefinition with a 'type' (the job type your worker subscribes to)`,
		);
		return undefined;
	}
	const retries = typeof definition.retries === "string" && definition.retries !== "" ? definition.retries : "3";
	if (!retries.startsWith("=") && !/^-?\d+$/.test(retries.trim())) {
		problems.add(id, `the job retries '${retries}' is not a whole number; use e.g. retries="3" or an expression "=…"`);
	}
	return { type, retries, headers: headersOf(element, id, problems) };
}

function headersOf(element: Moddle, id: string, problems: Collector): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const header of extension(element, "zeebe:TaskHeaders")?.values ?? []) {
		if (typeof header.key !== "string" || header.key === "") {
			problems.add(id, "a zeebe:header has no key; give every task header a key");
			continue;
		}
		headers[header.key] = typeof header.value === "string" ? header.value : "";
	}
	return headers;
}

function userTaskJob(element: Moddle, id: string, problems: Collector): JobDefinition {
	const properties: UserTaskProperties = {};
	const assignment = extension(element, "zeebe:AssignmentDefinition");
	const schedule = extension(element, "zeebe:TaskSchedule");
	const form = extension(element, "zeebe:FormDefinition");
	const set = (key: keyof UserTaskProperties, value: unknown) => {
		if (typeof value === "string" && value.trim() !== "") properties[key] = value.trim();
	};
	set("assignee", assignment?.assignee);
	set("candidateGroups", assignment?.candidateGroups);
	set("candidateUsers", assignment?.candidateUsers);
	set("dueDate", schedule?.dueDate);
	set("followUpDate", schedule?.followUpDate);
	set("formKey", form?.formKey);
	if (!properties.formKey && typeof form?.formId === "string" && form.formId !== "") {
		// A linked form (formId) is resolved to its key at activation by Camunda user tasks; a job-based task
		// hands the form id to the task list in the form-key header so that it can look the form up.
		properties.formKey = form.formId;
	}
	return { type: USER_TASK_JOB_TYPE, retries: "1", headers: headersOf(element, id, problems), userTask: properties };
}

interface ScopeBuild {
	process: ExecutableProcess;
	problems: Collector;
}

function addFlowElements(container: Moddle, scopeId: string, build: ScopeBuild): void {
	const { process, problems } = build;
	const flowElements: Moddle[] = container.flowElements ?? [];
	const scope = process.elements[scopeId];
	const noneStarts: string[] = [];
	const allStarts: string[] = [];
	const eventSubProcessStartIds: string[] = [];
	for (const flowElement of flowElements) {
		const id: string = flowElement.id;
		const $type: string = flowElement.$type;
		if (ignored.has($type)) continue;
		const base = {
			id,
			name: typeof flowElement.name === "string" ? flowElement.name : undefined,
			flowScopeId: scopeId,
			incoming: (flowElement.incoming ?? []).map((flow: Moddle) => flow.id),
			outgoing: (flowElement.outgoing ?? []).map((flow: Moddle) => flow.id),
		};
		const add = (type: BpmnElementType, eventType: BpmnEventType, extra: Partial<ExecutableElement> = {}) => {
			const element: ExecutableElement = { ...base, type, eventType, ...extra };
			if (multiInstance) element.multiInstance = multiInstance;
			const ioMapping = extension(flowElement, "zeebe:IoMapping");
			if (ioMapping) {
				const inputs = mappings(ioMapping.inputParameters, id, "input", problems);
				const outputs = mappings(ioMapping.outputParameters, id, "output", problems);
				if (inputs.length > 0) element.inputs = inputs;
				if (outputs.length > 0) element.outputs = outputs;
			}
			process.elements[id] = element;
			return element;
		};
		if (extension(flowElement, "zeebe:ExecutionListeners")?.listeners?.length) {
			problems.add(
				id,
				`execution listeners on element '${id}' are not supported yet by this engine; remove the zeebe:executionListeners`,
			);
		}
		if (extension(flowElement, "zeebe:TaskListeners")?.listeners?.length) {
			problems.add(
				id,
				`task listeners on element '${id}' are not supported yet by this engine; remove the zeebe:taskListeners`,
			);
		}
		if (flowElement.isForCompensation === true) {
			problems.add(
				id,
				`compensation handler '${id}' is not supported yet by this engine; compensation is planned for a later step`,
			);
		}
		const loop = flowElement.loopCharacteristics;
		let multiInstance: ExecutableElement["multiInstance"];
		if (loop && loop.$type !== "bpmn:MultiInstanceLoopCharacteristics") {
			problems.add(id, "standard loop characteristics are not supported by Zeebe; use a multi-instance marker instead");
		} else if (loop) {
			const zeebeLoop = extension(loop, "zeebe:LoopCharacteristics");
			const text = (value: unknown) => (typeof value === "string" && value.trim() !== "" ? value.trim() : null);
			const inputCollection = text(zeebeLoop?.inputCollection);
			if (!inputCollection) {
				problems.add(
					id,
					'the multi-instance marker has no input collection; set zeebe:loopCharacteristics inputCollection="=items"',
				);
			}
			const outputCollection = text(zeebeLoop?.outputCollection);
			const outputElement = text(zeebeLoop?.outputElement);
			if ((outputCollection === null) !== (outputElement === null)) {
				problems.add(id, "outputCollection and outputElement of a multi-instance marker must be set together");
			}
			multiInstance = {
				sequential: loop.isSequential === true,
				inputCollection: inputCollection ?? "",
				inputElement: text(zeebeLoop?.inputElement),
				outputCollection,
				outputElement,
				completionCondition: text(loop.completionCondition?.body),
			};
		}
		switch ($type) {
			case "bpmn:SequenceFlow": {
				const condition: string | null = flowElement.conditionExpression?.body?.trim() || null;
				add(BpmnElementType.SEQUENCE_FLOW, BpmnEventType.UNSPECIFIED, {
					sourceId: flowElement.sourceRef?.id,
					targetId: flowElement.targetRef?.id,
					condition,
				});
				if (!flowElement.sourceRef || !flowElement.targetRef) {
					problems.add(id, "the sequence flow has no source or no target; connect both ends");
				}
				break;
			}
			case "bpmn:StartEvent": {
				const eventType = eventTypeOf(flowElement, id, problems);
				allStarts.push(id);
				if (eventType === BpmnEventType.NONE) noneStarts.push(id);
				const interrupting = flowElement.isInterrupting !== false;
				const element = add(BpmnElementType.START_EVENT, eventType, { interrupting });
				if (eventType === BpmnEventType.ERROR) element.errorCode = errorCodeOf(flowElement);
				if (eventType === BpmnEventType.MESSAGE) {
					const inEventSubProcess = scope.type === BpmnElementType.EVENT_SUB_PROCESS;
					element.message = messageOf(flowElement, id, inEventSubProcess, problems);
					if (!inEventSubProcess && scope.type === BpmnElementType.PROCESS) {
						if (element.message?.name.startsWith("=")) {
							problems.add(
								id,
								"a message start event needs a static message name; expressions are not supported there yet",
							);
						}
						scope.messageStartEventIds = [...(scope.messageStartEventIds ?? []), id];
					}
				}
				if (eventType === BpmnEventType.SIGNAL) {
					element.signal = signalOf(flowElement, id, problems);
					if (scope.type === BpmnElementType.PROCESS) {
						if (element.signal?.name.startsWith("=")) {
							problems.add(
								id,
								"a signal start event needs a static signal name; expressions are not supported there yet",
							);
						}
						scope.signalStartEventIds = [...(scope.signalStartEventIds ?? []), id];
					}
				}
				if (eventType === BpmnEventType.TIMER) {
					const inEventSubProcess = scope.type === BpmnElementType.EVENT_SUB_PROCESS;
					const allowed: TimerKind[] = !inEventSubProcess
						? ["date", "cycle"]
						: interrupting
							? ["date", "duration"]
							: ["date", "duration", "cycle"];
					const where = !inEventSubProcess
						? "a process start event"
						: interrupting
							? "an interrupting event sub-process start event"
							: "a non-interrupting event sub-process start event";
					element.timer = timerOf(flowElement, id, allowed, where, problems);
					if (!inEventSubProcess && scope.type === BpmnElementType.PROCESS) {
						scope.timerStartEventIds = [...(scope.timerStartEventIds ?? []), id];
					}
				}
				if (scope.type === BpmnElementType.EVENT_SUB_PROCESS) {
					eventSubProcessStartIds.push(id);
					if (eventType === BpmnEventType.ESCALATION) element.escalationCode = escalationCodeOf(flowElement);
					if (
						eventType !== BpmnEventType.ERROR &&
						eventType !== BpmnEventType.TIMER &&
						eventType !== BpmnEventType.MESSAGE &&
						eventType !== BpmnEventType.ESCALATION &&
						eventType !== BpmnEventType.SIGNAL
					) {
						problems.add(
							id,
							eventType === BpmnEventType.NONE
								? "an event sub-process needs a typed start event (error, message, timer, signal or escalation), not a none start event"
								: `element '${id}' of type start event with ${eventType} trigger in an event sub-process is not supported yet by this engine; use an error, timer, message, signal or escalation start event`,
						);
					}
				} else if (
					eventType !== BpmnEventType.NONE &&
					!(
						(eventType === BpmnEventType.TIMER ||
							eventType === BpmnEventType.MESSAGE ||
							eventType === BpmnEventType.SIGNAL) &&
						scope.type === BpmnElementType.PROCESS
					)
				) {
					problems.add(
						id,
						eventType === BpmnEventType.ERROR
							? "an error start event is only allowed in an event sub-process"
							: `element '${id}' of type start event with ${eventType} trigger is not supported yet by this engine; use a none, timer, message or signal start event`,
					);
				}
				break;
			}
			case "bpmn:EndEvent": {
				const eventType = eventTypeOf(flowElement, id, problems);
				const element = add(BpmnElementType.END_EVENT, eventType);
				if (eventType === BpmnEventType.ERROR) {
					element.errorCode = errorCodeOf(flowElement);
					if (element.errorCode === null) {
						problems.add(
							id,
							"the error end event has no error code; reference a bpmn:error with an errorCode (static or =expression)",
						);
					}
				} else if (eventType === BpmnEventType.SIGNAL) {
					element.signal = signalOf(flowElement, id, problems);
				} else if (eventType === BpmnEventType.ESCALATION) {
					element.escalationCode = escalationCodeOf(flowElement);
					if (element.escalationCode === null) {
						problems.add(
							id,
							"the escalation end event has no escalation code; reference a bpmn:escalation with an escalationCode",
						);
					}
				} else if (eventType === BpmnEventType.MESSAGE) {
					// Message end events are job-based in Zeebe (§5.4).
					const job = jobDefinition(flowElement, id, "message end event", problems);
					if (job) element.job = job;
				} else if (eventType !== BpmnEventType.NONE && eventType !== BpmnEventType.TERMINATE) {
					problems.add(
						id,
						`element '${id}' of type end event with ${eventType} trigger is not supported yet by this engine; use a none, error, escalation, signal, message or terminate end event`,
					);
				}
				break;
			}
			case "bpmn:IntermediateThrowEvent": {
				const eventType = eventTypeOf(flowElement, id, problems);
				const element = add(BpmnElementType.INTERMEDIATE_THROW_EVENT, eventType);
				if (eventType === BpmnEventType.MESSAGE) {
					const job = jobDefinition(flowElement, id, "message throw event", problems);
					if (job) element.job = job;
				} else if (eventType === BpmnEventType.LINK) {
					element.link = { name: String((flowElement.eventDefinitions ?? [])[0]?.name ?? "") };
				} else if (eventType === BpmnEventType.SIGNAL) {
					element.signal = signalOf(flowElement, id, problems);
				} else if (eventType === BpmnEventType.ESCALATION) {
					element.escalationCode = escalationCodeOf(flowElement);
					if (element.escalationCode === null) {
						problems.add(
							id,
							"the escalation throw event has no escalation code; reference a bpmn:escalation with an escalationCode",
						);
					}
				} else if (eventType !== BpmnEventType.NONE) {
					problems.add(
						id,
						`element '${id}' of type intermediate throw event with ${eventType} trigger is not supported yet by this engine`,
					);
				}
				break;
			}
			case "bpmn:IntermediateCatchEvent": {
				const eventType = eventTypeOf(flowElement, id, problems);
				const element = add(BpmnElementType.INTERMEDIATE_CATCH_EVENT, eventType);
				if (eventType === BpmnEventType.TIMER) {
					element.timer = timerOf(flowElement, id, ["date", "duration"], "an intermediate catch event", problems);
				} else if (eventType === BpmnEventType.MESSAGE) {
					element.message = messageOf(flowElement, id, true, problems);
				} else if (eventType === BpmnEventType.LINK) {
					element.link = { name: String((flowElement.eventDefinitions ?? [])[0]?.name ?? "") };
				} else if (eventType === BpmnEventType.SIGNAL) {
					element.signal = signalOf(flowElement, id, problems);
				} else {
					problems.add(
						id,
						`element '${id}' of type intermediate catch event with ${eventType} trigger is not supported yet by this engine; use a timer, message, signal or link catch event`,
					);
				}
				break;
			}
			case "bpmn:BoundaryEvent": {
				const eventType = eventTypeOf(flowElement, id, problems);
				const interrupting = flowElement.cancelActivity !== false;
				const element = add(BpmnElementType.BOUNDARY_EVENT, eventType, {
					attachedToId: flowElement.attachedToRef?.id,
					interrupting,
				});
				if (!flowElement.attachedToRef) problems.add(id, "the boundary event is not attached to an activity");
				if (eventType === BpmnEventType.ERROR) {
					element.errorCode = errorCodeOf(flowElement);
					if (!interrupting) problems.add(id, "an error boundary event must be interrupting (cancelActivity=true)");
				} else if (eventType === BpmnEventType.TIMER) {
					element.timer = timerOf(
						flowElement,
						id,
						interrupting ? ["date", "duration"] : ["date", "duration", "cycle"],
						interrupting ? "an interrupting boundary event" : "a non-interrupting boundary event",
						problems,
					);
				} else if (eventType === BpmnEventType.MESSAGE) {
					element.message = messageOf(flowElement, id, true, problems);
				} else if (eventType === BpmnEventType.SIGNAL) {
					element.signal = signalOf(flowElement, id, problems);
				} else if (eventType === BpmnEventType.ESCALATION) {
					element.escalationCode = escalationCodeOf(flowElement);
					const attachedType = flowElement.attachedToRef?.$type;
					if (attachedType !== "bpmn:SubProcess" && attachedType !== "bpmn:CallActivity") {
						problems.add(id, "an escalation boundary event can only be attached to a sub-process or a call activity");
					}
				} else if ((flowElement.eventDefinitions ?? []).length === 0) {
					problems.add(id, "a boundary event needs exactly one event definition");
				} else {
					problems.add(
						id,
						`element '${id}' of type boundary event with ${eventType} trigger is not supported yet by this engine; use an error, timer, message, signal or escalation boundary event`,
					);
				}
				break;
			}
			case "bpmn:ServiceTask":
			case "bpmn:SendTask": {
				const type = $type === "bpmn:ServiceTask" ? BpmnElementType.SERVICE_TASK : BpmnElementType.SEND_TASK;
				const job = jobDefinition(
					flowElement,
					id,
					$type === "bpmn:ServiceTask" ? "service task" : "send task",
					problems,
				);
				add(type, BpmnEventType.UNSPECIFIED, job ? { job } : {});
				break;
			}
			case "bpmn:ScriptTask": {
				const script = extension(flowElement, "zeebe:Script");
				if (script) {
					const expression = typeof script.expression === "string" ? script.expression.trim() : "";
					const resultVariable = typeof script.resultVariable === "string" ? script.resultVariable.trim() : "";
					if (expression === "" || expression === "=") {
						problems.add(id, "the zeebe:script has no expression; set a FEEL expression such as '=a + b'");
					}
					if (resultVariable === "") {
						problems.add(id, "the zeebe:script has no resultVariable; name the variable that receives the result");
					}
					add(BpmnElementType.SCRIPT_TASK, BpmnEventType.UNSPECIFIED, { script: { expression, resultVariable } });
				} else {
					const job = jobDefinition(flowElement, id, "script task", problems);
					add(BpmnElementType.SCRIPT_TASK, BpmnEventType.UNSPECIFIED, job ? { job } : {});
				}
				break;
			}
			case "bpmn:UserTask":
				add(BpmnElementType.USER_TASK, BpmnEventType.UNSPECIFIED, { job: userTaskJob(flowElement, id, problems) });
				break;
			case "bpmn:CallActivity": {
				const called = extension(flowElement, "zeebe:CalledElement");
				const processId = typeof called?.processId === "string" ? called.processId.trim() : "";
				if (processId === "" || processId === "=") {
					problems.add(id, "the call activity has no called process; add zeebe:calledElement with a processId");
				}
				// Both flags default to true when the attribute is absent (App. B).
				add(BpmnElementType.CALL_ACTIVITY, BpmnEventType.UNSPECIFIED, {
					calledElement: {
						processId,
						propagateAllChildVariables: called?.propagateAllChildVariables !== false,
						propagateAllParentVariables: called?.propagateAllParentVariables !== false,
					},
				});
				break;
			}
			case "bpmn:BusinessRuleTask": {
				const called = extension(flowElement, "zeebe:CalledDecision");
				if (called) {
					const decisionId = typeof called.decisionId === "string" ? called.decisionId.trim() : "";
					const resultVariable = typeof called.resultVariable === "string" ? called.resultVariable.trim() : "";
					if (decisionId === "")
						problems.add(id, "the zeebe:calledDecision has no decisionId; name the DMN decision to evaluate");
					if (resultVariable === "") {
						problems.add(
							id,
							"the zeebe:calledDecision has no resultVariable; name the variable that receives the decision result",
						);
					}
					add(BpmnElementType.BUSINESS_RULE_TASK, BpmnEventType.UNSPECIFIED, {
						calledDecision: { decisionId, resultVariable },
					});
				} else {
					const job = jobDefinition(flowElement, id, "business rule task", problems);
					add(BpmnElementType.BUSINESS_RULE_TASK, BpmnEventType.UNSPECIFIED, job ? { job } : {});
				}
				break;
			}
			case "bpmn:ReceiveTask": {
				if (flowElement.instantiate === true) {
					problems.add(
						id,
						"a receive task that instantiates the process is not supported by Zeebe; use a message start event",
					);
				}
				add(BpmnElementType.RECEIVE_TASK, BpmnEventType.MESSAGE, {
					message: messageOf(flowElement, id, true, problems),
				});
				break;
			}
			case "bpmn:ManualTask":
				add(BpmnElementType.MANUAL_TASK, BpmnEventType.UNSPECIFIED);
				break;
			case "bpmn:Task":
				add(BpmnElementType.TASK, BpmnEventType.UNSPECIFIED);
				break;
			case "bpmn:ExclusiveGateway":
				add(BpmnElementType.EXCLUSIVE_GATEWAY, BpmnEventType.UNSPECIFIED, {
					defaultFlowId: flowElement.default?.id,
				});
				break;
			case "bpmn:InclusiveGateway":
				add(BpmnElementType.INCLUSIVE_GATEWAY, BpmnEventType.UNSPECIFIED, {
					defaultFlowId: flowElement.default?.id,
					joins: false,
				});
				break;
			case "bpmn:EventBasedGateway":
				add(BpmnElementType.EVENT_BASED_GATEWAY, BpmnEventType.UNSPECIFIED);
				break;
			case "bpmn:ParallelGateway":
				add(BpmnElementType.PARALLEL_GATEWAY, BpmnEventType.UNSPECIFIED, { joins: false });
				break;
			case "bpmn:SubProcess": {
				const isEventSubProcess = flowElement.triggeredByEvent === true;
				add(
					isEventSubProcess ? BpmnElementType.EVENT_SUB_PROCESS : BpmnElementType.SUB_PROCESS,
					BpmnEventType.UNSPECIFIED,
				);
				addFlowElements(flowElement, id, build);
				break;
			}
			default:
				if (notYetSupported.has($type)) {
					problems.add(
						id,
						`element '${id}' of type ${$type.slice(5)} is not supported yet by this engine; it is planned for a later step`,
					);
				} else if (!$type.startsWith("bpmn:")) {
					problems.add(id, `element of type '${$type}' is not a BPMN flow element`);
				} else {
					problems.add(id, `Elements of type '${$type.slice(5)}' are currently not supported by Zeebe; remove it`);
				}
		}
	}
	if (eventSubProcessStartIds.length > 0 && scope.flowScopeId) {
		// The start events of an event sub-process belong to the container it sits in: that container's
		// activation opens them, and errors thrown inside the container are caught by them.
		const container = process.elements[scope.flowScopeId];
		container.eventSubProcessStartIds = [...(container.eventSubProcessStartIds ?? []), ...eventSubProcessStartIds];
	}
	if (scope.type === BpmnElementType.PROCESS) {
		if (allStarts.length === 0) problems.add(scopeId, "the process has no start event; add a none start event");
		if (noneStarts.length > 1)
			problems.add(scopeId, "the process has more than one none start event; keep exactly one");
		if (noneStarts.length >= 1) scope.noneStartEventId = noneStarts[0];
	} else if (scope.type === BpmnElementType.SUB_PROCESS) {
		if (noneStarts.length !== 1 || allStarts.length !== 1) {
			problems.add(scopeId, "an embedded sub-process must have exactly one none start event");
		} else scope.noneStartEventId = noneStarts[0];
	} else if (scope.type === BpmnElementType.EVENT_SUB_PROCESS) {
		if (allStarts.length !== 1) problems.add(scopeId, "an event sub-process must have exactly one start event");
	}
}

/** Every `=expression` of an element must parse (Zeebe validates expressions at deploy time). */
function checkExpressions(element: ExecutableElement, problems: Collector): void {
	const texts: Array<[string, string | null | undefined]> = [
		["condition", element.condition],
		["job type", element.job?.type],
		["job retries", element.job?.retries],
		["script", element.script?.expression],
		["timer", element.timer?.expression],
		["called process id", element.calledElement?.processId],
		["message name", element.message?.name],
		["decision id", element.calledDecision?.decisionId],
		["signal name", element.signal?.name],
		["correlation key", element.message?.correlationKey],
		["error code", element.type === BpmnElementType.END_EVENT ? element.errorCode : undefined],
		["escalation code", element.escalationCode],
		["input collection", element.multiInstance?.inputCollection],
		["output element", element.multiInstance?.outputElement],
		["completion condition", element.multiInstance?.completionCondition],
		...Object.entries(element.job?.userTask ?? {}).map(([name, text]) => [name, text] as [string, string]),
		...(element.inputs ?? []).map(
			(mapping) => [`input '${mapping.target}'`, mapping.source] as [string, string | null],
		),
		...(element.outputs ?? []).map(
			(mapping) => [`output '${mapping.target}'`, mapping.source] as [string, string | null],
		),
	];
	for (const [what, text] of texts) {
		if (!text?.startsWith("=")) continue;
		const error = feelSyntaxError(text.slice(1));
		if (error) problems.add(element.id, `${what}: ${error}; fix the expression`);
	}
}

/** Structural rules that need the whole process (gateways, flows, boundary events, error codes). */
function validateProcess(process: ExecutableProcess, problems: Collector): void {
	const elements = process.elements;
	// Like Zeebe's transformer, connect flow nodes from the flows' sourceRef/targetRef (document order of
	// the flows) rather than from the optional <bpmn:incoming>/<bpmn:outgoing> children.
	const all = Object.values(elements);
	for (const element of all) {
		if (element.type !== BpmnElementType.SEQUENCE_FLOW) {
			element.incoming = [];
			element.outgoing = [];
		}
	}
	for (const flow of all) {
		if (flow.type !== BpmnElementType.SEQUENCE_FLOW) continue;
		const source = flow.sourceId ? elements[flow.sourceId] : undefined;
		const target = flow.targetId ? elements[flow.targetId] : undefined;
		source?.outgoing.push(flow.id);
		target?.incoming.push(flow.id);
	}
	for (const element of all) {
		if (element.type === BpmnElementType.PARALLEL_GATEWAY || element.type === BpmnElementType.INCLUSIVE_GATEWAY) {
			element.joins = element.incoming.length > 1;
		}
		if (element.type === BpmnElementType.END_EVENT && element.outgoing.length > 0) {
			problems.add(element.id, "an end event must not have outgoing sequence flows");
		}
		if (element.type === BpmnElementType.BOUNDARY_EVENT) {
			if (element.incoming.length > 0)
				problems.add(element.id, "a boundary event must not have incoming sequence flows");
			if (element.outgoing.length === 0)
				problems.add(element.id, "a boundary event needs at least one outgoing sequence flow");
		}
		if (
			element.type === BpmnElementType.EVENT_SUB_PROCESS &&
			(element.incoming.length > 0 || element.outgoing.length > 0)
		) {
			problems.add(element.id, "an event sub-process must not have incoming or outgoing sequence flows");
		}
	}
	const errorCatchesByOwner = new Map<string, Array<{ id: string; code: string | null }>>();
	for (const element of Object.values(elements)) {
		if (element.type === BpmnElementType.SEQUENCE_FLOW) {
			const source = element.sourceId ? elements[element.sourceId] : undefined;
			const target = element.targetId ? elements[element.targetId] : undefined;
			if (source && target && source.flowScopeId !== target.flowScopeId) {
				problems.add(element.id, "the sequence flow crosses a sub-process border; connect elements of the same scope");
			}
			const fromGateway =
				source?.type === BpmnElementType.EXCLUSIVE_GATEWAY || source?.type === BpmnElementType.INCLUSIVE_GATEWAY;
			if (element.condition && !fromGateway && source) {
				problems.add(
					element.id,
					"conditional sequence flows are only supported at exclusive and inclusive gateways; remove the condition or add a gateway",
				);
			}
		}
		if (element.type === BpmnElementType.EXCLUSIVE_GATEWAY || element.type === BpmnElementType.INCLUSIVE_GATEWAY) {
			if (element.defaultFlowId && !element.outgoing.includes(element.defaultFlowId)) {
				problems.add(element.id, "the default flow does not start at this gateway; pick one of its outgoing flows");
			}
			if (element.outgoing.length > 1) {
				for (const flowId of element.outgoing) {
					const flow = elements[flowId];
					if (flow && flowId !== element.defaultFlowId && !flow.condition) {
						problems.add(
							flowId,
							`the sequence flow leaves ${element.type === BpmnElementType.EXCLUSIVE_GATEWAY ? "exclusive" : "inclusive"} gateway '${element.id}' without a condition; add a condition or make it the default flow`,
						);
					}
				}
			}
		}
		if (element.type === BpmnElementType.BOUNDARY_EVENT && element.attachedToId) {
			const owner = elements[element.attachedToId];
			if (owner) owner.boundaryEventIds = [...(owner.boundaryEventIds ?? []), element.id];
			if (element.eventType === BpmnEventType.ERROR) {
				const list = errorCatchesByOwner.get(element.attachedToId) ?? [];
				list.push({ id: element.id, code: element.errorCode ?? null });
				errorCatchesByOwner.set(element.attachedToId, list);
			}
		}
		if (
			element.type === BpmnElementType.START_EVENT &&
			element.eventType === BpmnEventType.ERROR &&
			element.flowScopeId
		) {
			const eventSubProcess = elements[element.flowScopeId];
			const ownerId = eventSubProcess?.flowScopeId ?? element.flowScopeId;
			const list = errorCatchesByOwner.get(`esp:${ownerId}`) ?? [];
			list.push({ id: element.id, code: element.errorCode ?? null });
			errorCatchesByOwner.set(`esp:${ownerId}`, list);
			if (element.interrupting === false) problems.add(element.id, "an error start event must be interrupting");
		}
	}
	// Link events (§8.8): every throw jumps to the one catch of the same name in the same scope.
	for (const element of all) {
		if (!element.link || element.type !== BpmnElementType.INTERMEDIATE_THROW_EVENT) continue;
		const catches = all.filter(
			(other) =>
				other.type === BpmnElementType.INTERMEDIATE_CATCH_EVENT &&
				other.link?.name === element.link?.name &&
				other.flowScopeId === element.flowScopeId,
		);
		if (catches.length !== 1) {
			problems.add(
				element.id,
				catches.length === 0
					? `no link catch event named '${element.link.name}' in the same scope; add one or fix the link name`
					: `more than one link catch event is named '${element.link.name}' in the same scope; link names must be unique`,
			);
		} else element.link.targetId = catches[0].id;
	}
	for (const element of all) {
		checkExpressions(element, problems);
		if (element.type !== BpmnElementType.EVENT_BASED_GATEWAY) continue;
		// §1.1: ≥2 outgoing flows, each to a message or timer catch event that has no other incoming flow.
		if (element.outgoing.length < 2)
			problems.add(element.id, "an event-based gateway needs at least two outgoing sequence flows");
		const targets: string[] = [];
		for (const flowId of element.outgoing) {
			const target = elements[elements[flowId]?.targetId ?? ""];
			const catchable =
				target?.type === BpmnElementType.INTERMEDIATE_CATCH_EVENT &&
				(target.eventType === BpmnEventType.MESSAGE || target.eventType === BpmnEventType.TIMER);
			if (!catchable) {
				problems.add(
					flowId,
					`the flow leaves event-based gateway '${element.id}' to something other than a message or timer catch event`,
				);
				continue;
			}
			if (target.incoming.length > 1) {
				problems.add(
					target.id,
					`a catch event after event-based gateway '${element.id}' must have no other incoming flow`,
				);
			}
			targets.push(target.id);
		}
		element.eventGatewayTargetIds = targets;
		const names = targets.map((id) => elements[id].message?.name).filter((name) => name !== undefined);
		if (new Set(names).size !== names.length)
			problems.add(element.id, "the catch events after an event-based gateway must wait for different messages");
	}
	for (const [owner, catches] of errorCatchesByOwner) {
		const catchAll = catches.filter((entry) => entry.code === null);
		if (catchAll.length > 1) {
			problems.add(
				catchAll[1].id,
				`more than one catch-all error event on '${owner.replace(/^esp:/, "")}'; keep at most one error event without an error code`,
			);
		}
		const seen = new Set<string>();
		for (const entry of catches) {
			if (entry.code === null) continue;
			if (seen.has(entry.code)) {
				problems.add(
					entry.id,
					`the error code '${entry.code}' is caught twice in the same scope; keep one catch event per code`,
				);
			}
			seen.add(entry.code);
		}
	}
}

/** Transforms a parsed `bpmn:Definitions` into executable processes and validates them. */
export function transformDefinitions(
	resourceName: string,
	definitions: Moddle,
): { processes: ExecutableProcess[]; problems: DeploymentProblem[] } {
	const problems = new Collector(resourceName);
	const processes: ExecutableProcess[] = [];
	const rootElements: Moddle[] = definitions?.rootElements ?? [];
	const executable = rootElements.filter(
		(element) => element.$type === "bpmn:Process" && element.isExecutable !== false,
	);
	if (executable.length === 0) {
		problems.add(null, 'the resource contains no executable process; set isExecutable="true" on the process');
	}
	for (const element of executable) {
		const id: string = element.id;
		if (!id) {
			problems.add(null, "a process has no id; give it an id (it becomes the bpmnProcessId)");
			continue;
		}
		const process: ExecutableProcess = {
			bpmnProcessId: id,
			name: typeof element.name === "string" ? element.name : undefined,
			elements: {
				[id]: {
					id,
					name: typeof element.name === "string" ? element.name : undefined,
					type: BpmnElementType.PROCESS,
					eventType: BpmnEventType.UNSPECIFIED,
					flowScopeId: null,
					incoming: [],
					outgoing: [],
				},
			},
		};
		if (extension(element, "zeebe:ExecutionListeners")?.listeners?.length) {
			problems.add(
				id,
				"execution listeners on the process are not supported yet by this engine; remove the zeebe:executionListeners",
			);
		}
		addFlowElements(element, id, { process, problems });
		validateProcess(process, problems);
		processes.push(process);
	}
	return { processes, problems: problems.problems };
}
