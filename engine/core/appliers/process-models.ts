import type { ExecutableProcess } from "../../bpmn/executable-model";
import type { DecisionModel } from "../../feel/dmn-decision";

/**
 * Executable models by resource checksum and process id, filled before a PROCESS CREATED event is
 * applied (by the deployment processor from the prepared command, or by replay/restore after parsing
 * the resource). Models are immutable, so one registry serves every state.
 */
const models = new Map<string, ExecutableProcess>();

const modelKey = (checksum: string, bpmnProcessId: string) => `${checksum}\u0000${bpmnProcessId}`;

export function registerProcessModel(checksum: string, model: ExecutableProcess): void {
	models.set(modelKey(checksum, model.bpmnProcessId), model);
}

export function processModel(checksum: string, bpmnProcessId: string): ExecutableProcess | undefined {
	return models.get(modelKey(checksum, bpmnProcessId));
}

const decisions = new Map<string, DecisionModel>();

/** Decision models by DMN resource checksum and decision id (same idea as process models). */
export function registerDecisionModel(checksum: string, model: DecisionModel): void {
	decisions.set(modelKey(checksum, model.decisionId), model);
}

export function decisionModel(checksum: string, decisionId: string): DecisionModel | undefined {
	return decisions.get(modelKey(checksum, decisionId));
}
