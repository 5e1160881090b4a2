import { type EvaluatedDecisionDetail, evaluateDecisionWithDetails } from "../../feel/dmn-decision";
import { decisionModel } from "../appliers/process-models";
import type { DecisionDefinition, EngineState } from "../engine-state";

/** Where a decision is evaluated from: a business rule task of a process instance, or none (EvaluateDecision RPC). */
export interface DecisionCaller {
	bpmnProcessId: string;
	processDefinitionKey: number;
	processInstanceKey: number;
	elementId: string;
	elementInstanceKey: number;
}

export const NO_CALLER: DecisionCaller = {
	bpmnProcessId: "",
	processDefinitionKey: -1,
	processInstanceKey: -1,
	elementId: "",
	elementInstanceKey: -1,
};

/** The evaluation of a deployed decision and the DECISION_EVALUATION record value (EVALUATED or FAILED) describing it. */
export type DeployedDecisionEvaluation =
	| { ok: true; output: unknown; recordValue: Record<string, unknown> }
	| { ok: false; message: string; recordValue: Record<string, unknown> };

const json = (value: unknown) => JSON.stringify(value ?? null);

/**
 * Evaluates a deployed decision (with the required decisions of its DRG) the way Zeebe's DecisionBehavior
 * does for business rule tasks and the EvaluateDecision RPC: the result, and the record value with every
 * evaluated decision, its inputs and matched rules; on failure `failedDecisionId` and
 * `evaluationFailureMessage` ("Expected to evaluate decision '…', but …").
 */
export function evaluateDeployedDecision(
	state: EngineState,
	decision: DecisionDefinition,
	variables: Record<string, unknown>,
	now: number,
	caller: DecisionCaller,
): DeployedDecisionEvaluation {
	const model = decisionModel(decision.checksum, decision.decisionId);
	const sameGraph = new Map<string, DecisionDefinition>();
	for (const candidate of state.decisions.values()) {
		if (candidate.decisionRequirementsKey === decision.decisionRequirementsKey)
			sameGraph.set(candidate.decisionId, candidate);
	}
	const evaluation = model
		? evaluateDecisionWithDetails(model, variables, now, (id) => decisionModel(decision.checksum, id))
		: {
				ok: false as const,
				message: "its model is not loaded",
				failedDecisionId: decision.decisionId,
				evaluated: [] as EvaluatedDecisionDetail[],
			};
	const evaluatedDecisions = evaluation.evaluated.map((detail) => {
		const definition = sameGraph.get(detail.decisionId);
		return {
			decisionId: detail.decisionId,
			decisionName: detail.decisionName,
			decisionKey: definition?.key ?? -1,
			decisionVersion: definition?.version ?? -1,
			decisionType: detail.decisionType,
			decisionOutput: json(detail.decisionOutput),
			evaluatedInputs: detail.evaluatedInputs.map((input) => ({ ...input, inputValue: json(input.inputValue) })),
			matchedRules: detail.matchedRules.map((rule) => ({
				...rule,
				evaluatedOutputs: rule.evaluatedOutputs.map((output) => ({ ...output, outputValue: json(output.outputValue) })),
			})),
			tenantId: decision.tenantId,
		};
	});
	const failureMessage = evaluation.ok
		? ""
		: `Expected to evaluate decision '${decision.decisionId}', but ${evaluation.message}`;
	const recordValue = {
		decisionKey: decision.key,
		decisionId: decision.decisionId,
		decisionName: decision.decisionName,
		decisionVersion: decision.version,
		decisionRequirementsId: decision.decisionRequirementsId,
		decisionRequirementsKey: decision.decisionRequirementsKey,
		decisionOutput: evaluation.ok ? json(evaluation.value) : "null",
		...caller,
		evaluatedDecisions,
		variables,
		evaluationFailureMessage: failureMessage,
		failedDecisionId: evaluation.ok ? "" : evaluation.failedDecisionId,
		tenantId: decision.tenantId,
	};
	return evaluation.ok
		? { ok: true, output: evaluation.value ?? null, recordValue }
		: { ok: false, message: failureMessage, recordValue };
}
