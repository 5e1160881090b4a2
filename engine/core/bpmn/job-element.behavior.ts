import type { ExecutableElement, UserTaskProperties } from "../../bpmn/executable-model";
import { evaluateProperty, feelTypeName, isFeelExpression } from "../../feel/feel-evaluator";
import type { ElementInstance } from "../engine-state";
import type { ProcessingContext } from "../processing-context";
import { ErrorType, JobIntent, ProcessInstanceIntent, ValueType } from "../protocol";
import { visibleVariables } from "../variables/variable-behavior";
import { raiseIncident } from "./incident.behavior";

/**
 * Job-based elements (service, send, script-with-job and job-based user tasks; §4.1): evaluate the job
 * type (→ string) and retries (→ number) in the element's scope, write JOB CREATED, then ACTIVATED.
 * Any expression failure is an EXTRACT_VALUE_ERROR incident and the element stays ACTIVATING.
 */

type Evaluated<T> = { ok: true; value: T } | { ok: false; message: string };

const userTaskHeader = {
	assignee: "io.camunda.zeebe:assignee",
	candidateGroups: "io.camunda.zeebe:candidateGroups",
	candidateUsers: "io.camunda.zeebe:candidateUsers",
	dueDate: "io.camunda.zeebe:dueDate",
	followUpDate: "io.camunda.zeebe:followUpDate",
	formKey: "io.camunda.zeebe:formKey",
} as const;

function typeMismatch(text: string, expected: string, value: unknown): string {
	return `Expected result of the expression '${text.slice(1)}' to be '${expected}', but was '${feelTypeName(value)}'.`;
}

function evaluateString(text: string, variables: () => Record<string, unknown>, now: number): Evaluated<string> {
	if (!isFeelExpression(text)) return { ok: true, value: text };
	const result = evaluateProperty(text, variables(), now);
	if (!result.ok) return result;
	if (typeof result.value !== "string") return { ok: false, message: typeMismatch(text, "STRING", result.value) };
	return { ok: true, value: result.value };
}

function evaluateNumber(text: string, variables: () => Record<string, unknown>, now: number): Evaluated<number> {
	if (!isFeelExpression(text)) return { ok: true, value: Number.parseInt(text, 10) };
	const result = evaluateProperty(text, variables(), now);
	if (!result.ok) return result;
	if (typeof result.value !== "number") return { ok: false, message: typeMismatch(text, "NUMBER", result.value) };
	return { ok: true, value: Math.trunc(result.value) };
}

/** Static CSV, or an expression giving a list of strings (a single string is accepted as a one-item list). */
function evaluateList(text: string, variables: () => Record<string, unknown>, now: number): Evaluated<string[]> {
	if (!isFeelExpression(text)) {
		return {
			ok: true,
			value: text
				.split(",")
				.map((item) => item.trim())
				.filter((item) => item !== ""),
		};
	}
	const result = evaluateProperty(text, variables(), now);
	if (!result.ok) return result;
	if (typeof result.value === "string") return { ok: true, value: [result.value] };
	if (!Array.isArray(result.value) || result.value.some((item) => typeof item !== "string")) {
		return { ok: false, message: typeMismatch(text, "ARRAY of STRING", result.value) };
	}
	return { ok: true, value: result.value as string[] };
}

function userTaskHeaders(
	properties: UserTaskProperties,
	variables: () => Record<string, unknown>,
	now: number,
): Evaluated<Record<string, string>> {
	const headers: Record<string, string> = {};
	// A property whose expression gives null is left out, as for an empty one (§1.2).
	const isNull = (text: string) => {
		if (!isFeelExpression(text)) return false;
		const result = evaluateProperty(text, variables(), now);
		return result.ok && result.value === null;
	};
	for (const name of ["assignee", "dueDate", "followUpDate", "formKey"] as const) {
		const text = properties[name];
		if (text === undefined || isNull(text)) continue;
		const result = evaluateString(text, variables, now);
		if (!result.ok) return result;
		if (result.value !== "") headers[userTaskHeader[name]] = result.value;
	}
	for (const name of ["candidateGroups", "candidateUsers"] as const) {
		const text = properties[name];
		if (text === undefined || isNull(text)) continue;
		const result = evaluateList(text, variables, now);
		if (!result.ok) return result;
		if (result.value.length > 0) headers[userTaskHeader[name]] = JSON.stringify(result.value);
	}
	return { ok: true, value: headers };
}

export function activateJobElement(
	context: ProcessingContext,
	instance: ElementInstance,
	element: ExecutableElement,
): void {
	const job = element.job!;
	let cached: Record<string, unknown> | undefined;
	const variables = () => (cached ??= visibleVariables(context.state, instance.key));
	const type = evaluateString(job.type, variables, context.now);
	const retries = type.ok ? evaluateNumber(job.retries, variables, context.now) : type;
	const extraHeaders = job.userTask
		? userTaskHeaders(job.userTask, variables, context.now)
		: { ok: true as const, value: {} };
	const failure = !type.ok ? type : !retries.ok ? retries : !extraHeaders.ok ? extraHeaders : undefined;
	if (failure && !failure.ok) {
		raiseIncident(context, instance, ErrorType.EXTRACT_VALUE_ERROR, failure.message);
		return;
	}
	if (!type.ok || !retries.ok || !extraHeaders.ok) return;
	const value = instance.value;
	context.event(ValueType.JOB, JobIntent.CREATED, context.nextKey(), {
		type: type.value,
		customHeaders: { ...job.headers, ...extraHeaders.value },
		worker: "",
		retries: retries.value,
		retryBackoff: 0,
		recurringTime: -1,
		deadline: -1,
		timeout: -1,
		errorMessage: "",
		errorCode: "",
		elementId: value.elementId,
		elementInstanceKey: instance.key,
		bpmnProcessId: value.bpmnProcessId,
		processDefinitionVersion: value.version,
		processDefinitionKey: value.processDefinitionKey,
		processInstanceKey: value.processInstanceKey,
		jobKind: "BPMN_ELEMENT",
		jobListenerEventType: "UNSPECIFIED",
		variables: {},
		tenantId: value.tenantId,
	});
	context.jobsAvailable.add(type.value);
	context.event(ValueType.PROCESS_INSTANCE, ProcessInstanceIntent.ELEMENT_ACTIVATED, instance.key, value);
}
