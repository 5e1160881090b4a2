/** Diagrams for the gateway's message, signal and timer tests; each has its own process id. */

const head = (id: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  id="d-${id}" targetNamespace="http://bpmn.io/schema/bpmn">`;

/** start → message catch event (`messageName`, correlation key `=caseId`) → end. */
export function messageCatchProcess(processId: string, messageName: string): string {
	return `${head(processId)}
  <bpmn:message id="m-${processId}" name="${messageName}"><bpmn:extensionElements><zeebe:subscription correlationKey="=caseId" /></bpmn:extensionElements></bpmn:message>
  <bpmn:process id="${processId}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:intermediateCatchEvent id="wait"><bpmn:messageEventDefinition messageRef="m-${processId}" /></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;
}

/** signal start event (`startSignal`) → signal catch event (`continueSignal`) → end. */
export function signalProcess(processId: string, startSignal: string, continueSignal: string): string {
	return `${head(processId)}
  <bpmn:signal id="s-start-${processId}" name="${startSignal}" />
  <bpmn:signal id="s-continue-${processId}" name="${continueSignal}" />
  <bpmn:process id="${processId}" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:signalEventDefinition signalRef="s-start-${processId}" /></bpmn:startEvent>
    <bpmn:intermediateCatchEvent id="wait"><bpmn:signalEventDefinition signalRef="s-continue-${processId}" /></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;
}

/** start → timer catch event (ISO duration, e.g. `PT1S`) → end. */
export function timerProcess(processId: string, duration: string): string {
	return `${head(processId)}
  <bpmn:process id="${processId}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>${duration}</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;
}

/** start → script task `day = string(today())` (zeebe:script) → timer catch event → end: FEEL time and timers on one clock. */
export function stampedTimerProcess(processId: string, duration: string): string {
	return `${head(processId)}
  <bpmn:process id="${processId}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:scriptTask id="stamp"><bpmn:extensionElements><zeebe:script expression="=string(today())" resultVariable="day" /></bpmn:extensionElements></bpmn:scriptTask>
    <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>${duration}</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="stamp" />
    <bpmn:sequenceFlow id="f2" sourceRef="stamp" targetRef="wait" />
    <bpmn:sequenceFlow id="f3" sourceRef="wait" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;
}
