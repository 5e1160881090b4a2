import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import { evaluate } from "feelin";
import templateSchema from "@camunda/zeebe-element-templates-json-schema/resources/schema.json";
import { beforeAll, describe, expect, it } from "vitest";
import { FORMS_DIR } from "../forms/form.catalog";
import { type ModdleElement, parseBpmn, parseDmn } from "./moddle.parser";
import { decide as evaluateDecision } from "./path-walker";
import { ELEMENT_TEMPLATES_DIR, listDeploymentResources } from "./resource.catalog";

/** Candidate groups of domain.md §4 (roles). */
const ROLES = new Set([
	"duty-desk-officer",
	"patrol-unit",
	"investigation-officer",
	"shift-supervisor",
	"station-commander",
	"criminal-evidence-officer",
	"evidence-custodian",
	"detention-officer",
	"prosecution-liaison",
	"court-liaison",
	"transport-unit",
	"legal-compliance",
	"traffic-officer",
	"lost-found-clerk",
]);

/** Business keys messages may correlate on (domain.md §4 conventions). */
const CORRELATION_KEYS = new Set([
	"=caseNumber",
	"=custodyId",
	"=evidenceId",
	"=courtCaseNumber",
	"=labRequestId",
	"=violationNumber",
]);

interface Diagram {
	name: string;
	definitions: ModdleElement;
	warnings: string[];
}
interface Decisions {
	name: string;
	definitions: ModdleElement;
	warnings: string[];
}

const resources = listDeploymentResources();
const diagrams: Diagram[] = [];
const decisions: Decisions[] = [];

beforeAll(async () => {
	for (const r of resources.filter((x) => x.kind === "bpmn")) {
		const parsed = await parseBpmn(readFileSync(r.path, "utf8"));
		diagrams.push({ name: r.name, definitions: parsed.rootElement, warnings: parsed.warnings.map((w) => w.message) });
	}
	for (const r of resources.filter((x) => x.kind === "dmn")) {
		const parsed = await parseDmn(readFileSync(r.path, "utf8"));
		decisions.push({ name: r.name, definitions: parsed.rootElement, warnings: parsed.warnings.map((w) => w.message) });
	}
});

/** All flow elements of a container, descending into (event) subprocesses. */
function* flowElements(container: ModdleElement): Generator<ModdleElement> {
	for (const el of container.flowElements ?? []) {
		yield el;
		if (el.$type === "bpmn:SubProcess") yield* flowElements(el);
	}
}
function* allElements(): Generator<{ diagram: string; el: ModdleElement }> {
	for (const d of diagrams) {
		for (const root of d.definitions.rootElements) {
			if (root.$type === "bpmn:Process") for (const el of flowElements(root)) yield { diagram: d.name, el };
		}
	}
}
function extension(el: ModdleElement, type: string): ModdleElement | undefined {
	return (el.extensionElements?.values ?? []).find((v: ModdleElement) => v.$type === type);
}
function where(diagram: string, el: ModdleElement): string {
	return `${diagram}#${el.id}`;
}

describe("BPMN and DMN files", () => {
	it("parse without warnings", () => {
		const warnings = [...diagrams, ...decisions].flatMap((d) => d.warnings.map((w) => `${d.name}: ${w}`));
		expect(warnings).toEqual([]);
		expect(diagrams).toHaveLength(9);
		expect(decisions.map((d) => d.name).sort()).toEqual([
			"accident-routing.dmn",
			"appeal-path.dmn",
			"detention-extension-authority.dmn",
			"offence-classification.dmn",
			"report-classification.dmn",
		]);
	});

	it("target Camunda 8.6 and name every element in Arabic with an English id", () => {
		const problems: string[] = [];
		for (const d of diagrams) {
			if (d.definitions.$attrs["modeler:executionPlatform"] !== "Camunda Cloud") problems.push(`${d.name}: platform`);
			if (d.definitions.$attrs["modeler:executionPlatformVersion"] !== "8.6.0") problems.push(`${d.name}: version`);
		}
		for (const { diagram, el } of allElements()) {
			if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(el.id))
				problems.push(`${where(diagram, el)}: id is not an English identifier`);
			const needsName = el.$type !== "bpmn:SequenceFlow" && !/Gateway$/.test(el.$type);
			if (needsName && !/[\u0600-\u06FF]/.test(el.name ?? "")) problems.push(`${where(diagram, el)}: no Arabic name`);
		}
		expect(problems).toEqual([]);
	});

	it("give every shape and edge a diagram element", () => {
		const problems: string[] = [];
		for (const d of diagrams) {
			const planeElements = new Set(
				d.definitions.diagrams.flatMap((di: ModdleElement) =>
					di.plane.planeElement.map((pe: ModdleElement) => pe.bpmnElement?.id),
				),
			);
			for (const root of d.definitions.rootElements) {
				if (root.$type !== "bpmn:Process") continue;
				for (const el of flowElements(root)) if (!planeElements.has(el.id)) problems.push(`${d.name}#${el.id}`);
			}
			for (const di of d.definitions.diagrams.flatMap((x: ModdleElement) => x.plane.planeElement)) {
				const isEdge = di.$type === "bpmndi:BPMNEdge";
				if (isEdge && !(di.waypoint?.length >= 2)) problems.push(`${d.name}#${di.id}: fewer than 2 waypoints`);
				if (!isEdge && !(di.bounds?.width > 0 && di.bounds?.height > 0)) problems.push(`${d.name}#${di.id}: no bounds`);
			}
		}
		expect(problems).toEqual([]);
	});
});

describe("user tasks", () => {
	it("are job-based, for a role of domain.md §4, with a form that exists", () => {
		const problems: string[] = [];
		for (const { diagram, el } of allElements()) {
			if (el.$type !== "bpmn:UserTask") continue;
			if (extension(el, "zeebe:UserTask"))
				problems.push(`${where(diagram, el)}: must be job-based (no zeebe:userTask)`);
			const groups = String(extension(el, "zeebe:AssignmentDefinition")?.candidateGroups ?? "");
			for (const g of groups.split(","))
				if (!ROLES.has(g.trim())) problems.push(`${where(diagram, el)}: unknown group '${g}'`);
			const formId = extension(el, "zeebe:FormDefinition")?.formId;
			const formPath = join(FORMS_DIR, `${formId}.form`);
			if (!formId || !existsSync(formPath)) {
				problems.push(`${where(diagram, el)}: form '${formId}' missing in forms/`);
				continue;
			}
			const form = JSON.parse(readFileSync(formPath, "utf8")) as { id: string };
			if (form.id !== formId) problems.push(`${where(diagram, el)}: forms/${formId}.form has id '${form.id}'`);
			const due = extension(el, "zeebe:TaskSchedule")?.dueDate;
			if (due !== undefined && !String(due).startsWith("="))
				problems.push(`${where(diagram, el)}: due date must come from a variable`);
		}
		expect(problems).toEqual([]);
	});

	it("every form is used by some user task", () => {
		const used = new Set<string>();
		for (const { el } of allElements()) {
			if (el.$type === "bpmn:UserTask") used.add(extension(el, "zeebe:FormDefinition")?.formId);
		}
		const forms = readdirSync(FORMS_DIR)
			.filter((f) => f.endsWith(".form"))
			.map((f) => f.slice(0, -5));
		expect(forms.filter((f) => !used.has(f))).toEqual([]);
	});
});

describe("job workers and element templates", () => {
	const templates = readdirSync(ELEMENT_TEMPLATES_DIR).map((f) => ({
		file: f,
		json: JSON.parse(readFileSync(join(ELEMENT_TEMPLATES_DIR, f), "utf8")) as ModdleElement,
	}));
	const validate = new Ajv({ strict: false, allErrors: true }).compile(templateSchema);

	it("every template is valid against @camunda/zeebe-element-templates-json-schema", () => {
		const problems = templates.flatMap((t) =>
			validate(t.json) ? [] : [`${t.file}: ${JSON.stringify(validate.errors?.slice(0, 3))}`],
		);
		expect(problems).toEqual([]);
		expect(validate({ name: "no id", appliesTo: ["bpmn:Task"], properties: [{ type: "Nonsense" }] })).toBe(false);
	});

	it("every job type has exactly one template, and every template is used", () => {
		const templateTypes = new Map<string, string>();
		for (const t of templates) {
			const hidden = t.json.properties.find(
				(p: ModdleElement) => p.binding.type === "zeebe:taskDefinition" && p.binding.property === "type",
			);
			templateTypes.set(hidden?.value, t.file);
		}
		const used = new Set<string>();
		const problems: string[] = [];
		for (const { diagram, el } of allElements()) {
			const type = extension(el, "zeebe:TaskDefinition")?.type;
			if (!type) continue;
			used.add(type);
			if (!/^[a-z-]+\.[a-z-]+$/.test(type))
				problems.push(`${where(diagram, el)}: job type '${type}' is not domain.verb`);
			if (!templateTypes.has(type)) problems.push(`${where(diagram, el)}: no element template for '${type}'`);
			const linked = el.$attrs?.["zeebe:modelerTemplate"] ?? el.modelerTemplate;
			if (linked !== `mizan.${type}`) problems.push(`${where(diagram, el)}: linked template '${linked}'`);
		}
		for (const [type, file] of templateTypes) if (!used.has(type)) problems.push(`${file}: '${type}' is not used`);
		expect(problems).toEqual([]);
		expect(templates.map((t) => t.file)).toContain("custody.compute-deadlines.json");
	});

	it("every task header is offered by its template (workers get only values they know)", () => {
		const choicesByType = new Map<string, Map<string, Set<string>>>();
		for (const t of templates) {
			const type = t.json.properties.find((p: ModdleElement) => p.binding.property === "type")?.value;
			const headers = new Map<string, Set<string>>();
			for (const p of t.json.properties) {
				if (p.binding.type === "zeebe:taskHeader")
					headers.set(p.binding.key, new Set(p.choices.map((c: ModdleElement) => c.value)));
			}
			choicesByType.set(type, headers);
		}
		const problems: string[] = [];
		for (const { diagram, el } of allElements()) {
			const type = extension(el, "zeebe:TaskDefinition")?.type;
			if (!type) continue;
			for (const header of extension(el, "zeebe:TaskHeaders")?.values ?? []) {
				const allowed = choicesByType.get(type)?.get(header.key);
				if (!allowed?.has(header.value)) problems.push(`${where(diagram, el)}: header ${header.key}=${header.value}`);
			}
		}
		expect(problems).toEqual([]);
	});
});

describe("clocks, messages, references", () => {
	it("timers take their instants and durations from variables, never literals", () => {
		const problems: string[] = [];
		for (const { diagram, el } of allElements()) {
			for (const def of el.eventDefinitions ?? []) {
				if (def.$type !== "bpmn:TimerEventDefinition") continue;
				const body = String((def.timeDate ?? def.timeDuration ?? def.timeCycle)?.body ?? "");
				if (!body.startsWith("=") || /"P|PT\d|P\d/.test(body)) problems.push(`${where(diagram, el)}: timer '${body}'`);
			}
		}
		expect(problems).toEqual([]);
	});

	it("message catches correlate on a business key", () => {
		const problems: string[] = [];
		for (const d of diagrams) {
			const starts = new Set<string>();
			for (const root of d.definitions.rootElements) {
				if (root.$type !== "bpmn:Process") continue;
				for (const el of flowElements(root)) {
					const isProcessStart = el.$type === "bpmn:StartEvent" && el.$parent.$type === "bpmn:Process";
					const ref = el.messageRef ?? el.eventDefinitions?.find((e: ModdleElement) => e.messageRef)?.messageRef;
					if (ref && isProcessStart) starts.add(ref.id);
				}
			}
			for (const root of d.definitions.rootElements) {
				if (root.$type !== "bpmn:Message" || starts.has(root.id)) continue;
				const key = extension(root, "zeebe:Subscription")?.correlationKey;
				if (!CORRELATION_KEYS.has(key)) problems.push(`${d.name}#${root.id}: correlation key '${key}'`);
			}
		}
		expect(problems).toEqual([]);
	});

	it("call activities and business rule tasks point at deployed processes and decisions", () => {
		const processIds = new Set(
			diagrams
				.flatMap((d) => d.definitions.rootElements.filter((r: ModdleElement) => r.$type === "bpmn:Process"))
				.map((p) => p.id),
		);
		const decisionIds = new Set(decisions.flatMap((d) => d.definitions.drgElement.map((e: ModdleElement) => e.id)));
		const problems: string[] = [];
		for (const { diagram, el } of allElements()) {
			const called = extension(el, "zeebe:CalledElement")?.processId;
			if (el.$type === "bpmn:CallActivity" && !processIds.has(called))
				problems.push(`${where(diagram, el)}: ${called}`);
			const decision = extension(el, "zeebe:CalledDecision")?.decisionId;
			if (el.$type === "bpmn:BusinessRuleTask" && !decisionIds.has(decision))
				problems.push(`${where(diagram, el)}: ${decision}`);
		}
		expect(problems).toEqual([]);
	});

	it("gateway conditions stay boolean when their variables are missing (no incident on an unset flag)", () => {
		const problems: string[] = [];
		for (const { diagram, el } of allElements()) {
			if (el.$type !== "bpmn:SequenceFlow" || !el.conditionExpression) continue;
			const body = String(el.conditionExpression.body);
			const result = evaluate(body.slice(1), {}).value;
			if (!body.startsWith("=") || typeof result !== "boolean")
				problems.push(`${where(diagram, el)}: ${body} → ${result}`);
		}
		expect(problems).toEqual([]);
	});
});

/** Evaluates a decision of processes/ by id (hit policy FIRST, see path-walker.ts). */
function decide(decisionId: string, context: Record<string, unknown>): Record<string, unknown> | null {
	const decision = decisions.flatMap((d) => d.definitions.drgElement).find((e: ModdleElement) => e.id === decisionId);
	expect(decision.decisionLogic.hitPolicy).toBe("FIRST");
	return evaluateDecision(decision, context);
}
const date = (iso: string) => evaluate(`date("${iso}")`).value;

describe("decision tables (FEEL unary tests, evaluated with feelin)", () => {
	it.each([
		[
			"initial order by the investigator",
			{ cumulativeDaysFromArrest: 5, requestedPeriodDays: 5, authority: "INVESTIGATOR" },
			true,
			"INVESTIGATOR",
		],
		[
			"branch head to day 40 (C3)",
			{ cumulativeDaysFromArrest: 40, requestedPeriodDays: 35, authority: "BRANCH_HEAD" },
			true,
			"BRANCH_HEAD",
		],
		[
			"AG period of 30 days (C3)",
			{ cumulativeDaysFromArrest: 70, requestedPeriodDays: 30, authority: "ATTORNEY_GENERAL" },
			true,
			"ATTORNEY_GENERAL",
		],
		[
			"AG period of 45 days is rejected (C3)",
			{ cumulativeDaysFromArrest: 85, requestedPeriodDays: 45, authority: "ATTORNEY_GENERAL" },
			false,
			"ATTORNEY_GENERAL",
		],
		[
			"branch head beyond 40 days",
			{ cumulativeDaysFromArrest: 50, requestedPeriodDays: 10, authority: "BRANCH_HEAD" },
			false,
			"ATTORNEY_GENERAL",
		],
		[
			"beyond 180 days without a court (C3)",
			{ cumulativeDaysFromArrest: 190, requestedPeriodDays: 10, authority: "ATTORNEY_GENERAL" },
			false,
			"COURT",
		],
		[
			"beyond 180 days by a court",
			{ cumulativeDaysFromArrest: 190, requestedPeriodDays: 10, authority: "COURT" },
			true,
			"COURT",
		],
	])("detention-extension-authority: %s", (_name, input, allowed, approverRole) => {
		const result = decide("detention-extension-authority", { governingLaw: "LCP-1435", ...input });
		expect(result).toMatchObject({ allowed, approverRole });
	});

	it("offence-classification applies the AG list in force on the day (methamphetamine from 1/9/1446H)", () => {
		const before = decide("offence-classification", { offenceCode: "DRG-020", asOfDate: date("2025-02-28") });
		const after = decide("offence-classification", { offenceCode: "DRG-020", asOfDate: date("2025-09-02") });
		expect(before).toMatchObject({ majorCrime: false, majorCrimeListVersion: "AG-1/1442" });
		expect(after).toMatchObject({ majorCrime: true, majorCrimeListVersion: "AG-110/1446", categoryEn: "Narcotics" });
		expect(decide("offence-classification", { offenceCode: "ASL-001", asOfDate: date("2025-09-02") })).toMatchObject({
			complaintRequired: true,
		});
		expect(decide("offence-classification", { offenceCode: "XXX-999", asOfDate: date("2025-09-02") })).toMatchObject({
			categoryEn: "Unclassified",
		});
	});

	it("appeal-path makes death, stoning, amputation and qisas reviews mandatory", () => {
		expect(decide("appeal-path", { verdict: "CONVICTED", sentenceTypes: ["PRISON", "DEPORTATION"] })).toEqual({
			mandatoryReview: false,
			objectionDays: 30,
			supremeCourtDays: 30,
		});
		expect(decide("appeal-path", { verdict: "CONVICTED", sentenceTypes: ["QISAS"] })).toMatchObject({
			mandatoryReview: true,
		});
		expect(decide("appeal-path", { verdict: "ACQUITTED", sentenceTypes: null })).toMatchObject({
			mandatoryReview: false,
		});
	});

	it("accident-routing sends injuries to the criminal track (C6) and damage only to the insurer", () => {
		const injured = { deathsCount: 0, injuriesCount: 2, intoxicationSuspected: true, hitAndRun: false };
		expect(decide("accident-routing", injured)).toMatchObject({ route: "CRIMINAL", offenceCode: "TRF-101" });
		const damage = { deathsCount: 0, injuriesCount: 0, intoxicationSuspected: false, hitAndRun: false };
		expect(decide("accident-routing", damage)).toMatchObject({ route: "PROPERTY_DAMAGE_ONLY" });
	});

	it("report-classification triages tracks, priorities and classification", () => {
		expect(decide("report-classification", { categoryCode: "THEFT", ongoingDanger: true })).toMatchObject({
			track: "CRIMINAL",
			priority: "P1",
			reviewSla: "PT10M",
		});
		expect(decide("report-classification", { categoryCode: "EXTORTION" })).toMatchObject({
			classificationLevel: "SECRET",
		});
		expect(decide("report-classification", { categoryCode: "LOST_ITEM" })).toMatchObject({ track: "LOST_PROPERTY" });
		expect(decide("report-classification", { categoryCode: "ASSAULT", juvenileInvolved: true })).toMatchObject({
			classificationLevel: "SECRET",
		});
		expect(decide("report-classification", { categoryCode: "STATE_SECURITY" })).toMatchObject({
			track: "OTHER_AGENCY",
		});
	});
});
