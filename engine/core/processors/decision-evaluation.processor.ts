import { evaluateDeployedDecision, NO_CALLER } from "../bpmn/decision.behavior";
import type { EvaluateDecisionCommandValue } from "../commands";
import { type DecisionDefinition, latestDecision } from "../engine-state";
import type { ProcessingContext, QueuedCommand } from "../processing-context";
import { DEFAULT_TENANT, RejectionType, ValueType } from "../protocol";

/**
 * DECISION_EVALUATION EVALUATE (the EvaluateDecision RPC): finds the decision by key, or the latest
 * not-deleted version of a decision id, of the command's tenant; evaluates it with the given variables and
 * its required decisions; writes EVALUATED, or FAILED with the failing decision and message — both answer
 * the client (a failed evaluation is not a rejection, as in Zeebe). Unknown decision → NOT_FOUND.
 */
export function processDecisionEvaluate(context: ProcessingContext, command: QueuedCommand): void {
	const value = command.record.value as unknown as EvaluateDecisionCommandValue;
	const tenantId = value.tenantId || DEFAULT_TENANT;
	const decisionKey = typeof value.decisionKey === "number" ? value.decisionKey : -1;
	const decisionId = typeof value.decisionId === "string" ? value.decisionId : "";
	const variables = value.variables ?? {};
	if (typeof variables !== "object" || variables === null || Array.isArray(variables)) {
		context.reject(
			command,
			RejectionType.INVALID_ARGUMENT,
			'Expected the variables to be a JSON object, but they are not; send a document like {"name": value}',
		);
		return;
	}
	let decision: DecisionDefinition | undefined;
	if (decisionKey > 0) {
		decision = context.state.decisions.get(decisionKey);
		if (decision && decision.tenantId !== tenantId) decision = undefined;
		if (!decision) {
			context.reject(
				command,
				RejectionType.NOT_FOUND,
				`Expected to evaluate decision with key '${decisionKey}', but no such decision found; deploy the DMN resource or check the key`,
			);
			return;
		}
	} else if (decisionId !== "") {
		decision = latestDecision(context.state, decisionId, tenantId);
		if (!decision) {
			context.reject(
				command,
				RejectionType.NOT_FOUND,
				`Expected to evaluate decision '${decisionId}', but no decision found for id '${decisionId}'; deploy the DMN resource first`,
			);
			return;
		}
	} else {
		context.reject(
			command,
			RejectionType.INVALID_ARGUMENT,
			"Expected either a decision key or a decision id, but neither was given",
		);
		return;
	}
	const evaluation = evaluateDeployedDecision(context.state, decision, variables, context.now, NO_CALLER);
	const record = context.event(
		ValueType.DECISION_EVALUATION,
		evaluation.ok ? "EVALUATED" : "FAILED",
		context.nextKey(),
		evaluation.recordValue,
	);
	context.respond(command.requestId, record);
}
