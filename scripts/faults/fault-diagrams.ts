/** Diagrams of the fault tests; each names its own process id and job types. */

const head = (id: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  id="d-${id}" targetNamespace="http://bpmn.io/schema/bpmn">`;

const task = (id: string, type: string) =>
	`<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="${type}" /></bpmn:extensionElements></bpmn:serviceTask>`;

/** start → message catch event (`messageName`, correlation key `=caseId`) → service task `afterType` → end. */
export function messageThenTaskProcess(processId: string, messageName: string, afterType: string): string {
	return `${head(processId)}
  <bpmn:message id="m-${processId}" name="${messageName}"><bpmn:extensionElements><zeebe:subscription correlationKey="=caseId" /></bpmn:extensionElements></bpmn:message>
  <bpmn:process id="${processId}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:intermediateCatchEvent id="wait"><bpmn:messageEventDefinition messageRef="m-${processId}" /></bpmn:intermediateCatchEvent>
    ${task("after", afterType)}
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="after" />
    <bpmn:sequenceFlow id="f3" sourceRef="after" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;
}

/** start → timer catch event (ISO duration) → service task `afterType` → end: one job per timer fire. */
export function timerThenTaskProcess(processId: string, duration: string, afterType: string): string {
	return `${head(processId)}
  <bpmn:process id="${processId}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>${duration}</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    ${task("after", afterType)}
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="after" />
    <bpmn:sequenceFlow id="f3" sourceRef="after" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;
}

/** start → two parallel service tasks of types `firstType` and `secondType` → join → end. */
export function twoTasksProcess(processId: string, firstType: string, secondType: string): string {
	return `${head(processId)}
  <bpmn:process id="${processId}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:parallelGateway id="fork" />
    ${task("first", firstType)}
    ${task("second", secondType)}
    <bpmn:parallelGateway id="join" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="fork" />
    <bpmn:sequenceFlow id="f2" sourceRef="fork" targetRef="first" />
    <bpmn:sequenceFlow id="f3" sourceRef="fork" targetRef="second" />
    <bpmn:sequenceFlow id="f4" sourceRef="first" targetRef="join" />
    <bpmn:sequenceFlow id="f5" sourceRef="second" targetRef="join" />
    <bpmn:sequenceFlow id="f6" sourceRef="join" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;
}

/** start → user task `review` assigned to `assignee` → end: the API's task service stores and completes it. */
export function assignedUserTaskProcess(processId: string, assignee: string): string {
	return `${head(processId)}
  <bpmn:process id="${processId}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="review" name="Review"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="${assignee}" /></bpmn:extensionElements></bpmn:userTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;
}
