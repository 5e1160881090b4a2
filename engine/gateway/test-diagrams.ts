/** Diagrams for the gateway tests: start → one service task → end, with its own process id and job type. */
export function oneTaskProcess(processId: string, jobType: string, options: { retries?: number; headers?: Record<string, string> } = {}): string {
	const headers = Object.entries(options.headers ?? {})
		.map(([key, value]) => `<zeebe:header key="${key}" value="${value}" />`)
		.join("");
	return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  id="d-${processId}" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="${processId}" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="task" />
    <bpmn:serviceTask id="task">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="${jobType}"${options.retries === undefined ? "" : ` retries="${options.retries}"`} />
        ${headers ? `<zeebe:taskHeaders>${headers}</zeebe:taskHeaders>` : ""}
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="f2" sourceRef="task" targetRef="end" />
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>`;
}
