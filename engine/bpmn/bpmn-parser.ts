import { BpmnModdle } from "bpmn-moddle";
import zeebeDescriptor from "zeebe-bpmn-moddle/resources/zeebe.json";
import type { DeploymentProblem, ExecutableProcess } from "./executable-model";
import { transformDefinitions } from "./bpmn-transformer";

/** A parsed BPMN resource: its executable processes, or every problem found. */
export interface ParsedBpmnResource {
	processes: ExecutableProcess[];
	problems: DeploymentProblem[];
}

/** Refused before parsing: a DTD could expand entities (billion laughs, external entities). */
const doctypeOrEntity = /<!DOCTYPE|<!ENTITY/i;

/**
 * Parses and validates a BPMN resource into executable processes. Never throws: whatever is wrong with
 * the resource comes back in `problems` (empty when the resource can be deployed).
 */
export async function parseBpmnResource(resourceName: string, xml: string): Promise<ParsedBpmnResource> {
	if (doctypeOrEntity.test(xml)) {
		return {
			processes: [],
			problems: [
				{
					resourceName,
					elementId: null,
					message:
						"the XML declares a DOCTYPE or ENTITY, which is refused (entity expansion is unsafe); remove the DOCTYPE declaration and export the diagram again",
				},
			],
		};
	}
	const moddle = new BpmnModdle({ zeebe: zeebeDescriptor });
	let parsed: { rootElement: unknown; warnings: Array<{ message: string }> };
	try {
		parsed = (await moddle.fromXML(xml, "bpmn:Definitions")) as typeof parsed;
	} catch (error) {
		const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
		return {
			processes: [],
			problems: [
				{
					resourceName,
					elementId: null,
					message: `the resource is not a readable BPMN 2.0 XML document (${reason}); check that it is a .bpmn file exported by a modeler`,
				},
			],
		};
	}
	const problems: DeploymentProblem[] = [];
	for (const warning of parsed.warnings) {
		// Unknown BPMN elements are a modelling error; unknown foreign extensions (colors, modeler metadata) are fine.
		if (/unknown type <bpmn:/i.test(warning.message)) {
			problems.push({
				resourceName,
				elementId: null,
				message: `${warning.message.split("\n")[0]}; use only BPMN 2.0 elements`,
			});
		}
	}
	const transformed = transformDefinitions(resourceName, parsed.rootElement);
	return { processes: transformed.processes, problems: [...problems, ...transformed.problems] };
}
