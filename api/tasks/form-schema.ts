import vm from "node:vm";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { evaluate } from "feelin";
import type { FieldError } from "../errors/error-registry";

/** The parts of a Camunda Form component (form-js JSON) that validation reads. */
export interface FormComponent {
	type: string;
	key?: string;
	/** Groups and dynamic lists with a path nest their fields under it. */
	path?: string;
	label?: string;
	values?: Array<{ value: unknown }>;
	validate?: {
		required?: boolean;
		minLength?: number;
		maxLength?: number;
		min?: number;
		max?: number;
		pattern?: string;
		validationType?: "email" | "phone" | string;
	};
	/** `hide` is a FEEL expression (`=labRequested != true`): a hidden field is neither required nor submitted. */
	conditional?: { hide?: string };
	components?: FormComponent[];
	disabled?: boolean;
	readonly?: boolean;
}

/** A Camunda Form. */
export interface FormDefinition {
	id?: string;
	components: FormComponent[];
}

type JsonSchema = Record<string, unknown>;
type Data = Record<string, unknown>;

/** A `hide` condition is a short test; longer text or evaluation past this time counts as "shown". */
export const HIDE_MAX_LENGTH = 2_000;
export const HIDE_TIME_LIMIT_MS = 50;

// The condition runs inside a vm script so its time-out can stop feelin mid-evaluation (a `for` over a huge range,
// a backtracking regular expression): the request thread must not hang on a form's FEEL.
const hideGuard: { run?: () => unknown } = {};
const hideContext = vm.createContext(hideGuard);
const hideScript = new vm.Script("run()");

function isHidden(component: FormComponent, data: Data): boolean {
	const hide = component.conditional?.hide?.trim();
	if (!hide || hide.length > HIDE_MAX_LENGTH) return false;
	try {
		// form-js evaluates `hide` as a FEEL expression against the form's data; `true` hides the component.
		hideGuard.run = () => evaluate(hide.replace(/^=/, ""), data).value;
		return hideScript.runInContext(hideContext, { timeout: HIDE_TIME_LIMIT_MS }) === true;
	} catch {
		// A failing or too slow condition shows the field, so its rules are checked rather than skipped.
		return false;
	} finally {
		hideGuard.run = undefined;
	}
}

function fieldSchema(component: FormComponent): JsonSchema | undefined {
	const rules = component.validate ?? {};
	const staticValues = component.values?.map((item) => item.value);
	const required = rules.required === true;
	switch (component.type) {
		case "textfield":
		case "textarea": {
			const schema: JsonSchema = { type: "string" };
			if (rules.minLength !== undefined) schema.minLength = rules.minLength;
			if (required) schema.minLength = Math.max(1, (schema.minLength as number | undefined) ?? 1);
			if (rules.maxLength !== undefined) schema.maxLength = rules.maxLength;
			if (rules.pattern) schema.pattern = rules.pattern;
			if (rules.validationType === "email") schema.format = "email";
			if (rules.validationType === "phone") schema.pattern = "^\\+?[0-9 ()-]{6,20}$";
			return schema;
		}
		case "number": {
			const schema: JsonSchema = { type: "number" };
			if (rules.min !== undefined) schema.minimum = rules.min;
			if (rules.max !== undefined) schema.maximum = rules.max;
			return schema;
		}
		case "checkbox":
			// A required checkbox must be ticked (form-js).
			return required ? { const: true } : { type: "boolean" };
		case "radio":
		case "select":
			return staticValues?.length ? { enum: staticValues } : { type: ["string", "number", "boolean"] };
		case "checklist":
		case "taglist":
			return {
				type: "array",
				items: staticValues?.length ? { enum: staticValues } : {},
				...(required ? { minItems: 1 } : {}),
			};
		case "datetime":
			return { type: "string", minLength: 1 };
		default:
			return undefined;
	}
}

interface Scope {
	properties: JsonSchema;
	required: string[];
}

/** The schema of one nesting level (dotted keys and group paths make nested objects). */
function objectAt(scope: Scope, path: string[]): Scope {
	let current = scope;
	for (const part of path) {
		let child = current.properties[part] as (JsonSchema & { properties: JsonSchema; required: string[] }) | undefined;
		if (child?.type !== "object") {
			child = { type: "object", properties: {}, required: [] };
			current.properties[part] = child;
		}
		current = { properties: child.properties, required: child.required };
	}
	return current;
}

/** Dynamic lists found while building, validated item by item (their fields' conditions depend on the item). */
interface DynamicList {
	path: string[];
	components: FormComponent[];
}

function collect(components: FormComponent[], data: Data, scope: Scope, prefix: string[], lists: DynamicList[]): void {
	for (const component of components) {
		if (isHidden(component, data) || component.disabled || component.readonly) continue;
		const nested = component.path ? [...prefix, ...component.path.split(".")] : prefix;
		if (component.type === "dynamiclist" && component.path) {
			lists.push({ path: nested, components: component.components ?? [] });
			const parent = objectAt(scope, nested.slice(0, -1));
			parent.properties[nested[nested.length - 1]!] = { type: "array", items: { type: "object" } };
			continue;
		}
		if (component.components) collect(component.components, data, scope, nested, lists);
		if (!component.key) continue;
		const schema = fieldSchema(component);
		if (!schema) continue;
		const keyPath = [...prefix, ...component.key.split(".")];
		const holder = objectAt(scope, keyPath.slice(0, -1));
		const name = keyPath[keyPath.length - 1]!;
		const required = component.validate?.required === true;
		holder.properties[name] = {
			...(required ? schema : { anyOf: [schema, { type: "null" }] }),
			...(component.label ? { title: component.label } : {}),
		};
		if (required) holder.required.push(name);
	}
}

/**
 * A JSON Schema for the variables a form submits, given the data that decides which conditional fields are
 * shown: types from the component kind; `required`, min/max, lengths and patterns from its `validate` rules.
 * Unknown variables stay allowed (a process may pass more than the form shows).
 */
export function formToJsonSchema(form: FormDefinition, data: Data = {}): JsonSchema {
	const root: Scope = { properties: {}, required: [] };
	collect(form.components, data, root, [], []);
	return { type: "object", properties: root.properties, required: root.required };
}

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const compiled = new Map<string, ValidateFunction>();

function validatorFor(schema: JsonSchema): ValidateFunction {
	const text = JSON.stringify(schema);
	let validate = compiled.get(text);
	if (!validate) {
		validate = ajv.compile(schema);
		if (compiled.size > 1000) compiled.clear();
		compiled.set(text, validate);
	}
	return validate;
}

function describe(error: ErrorObject, prefix: string): FieldError {
	const params = error.params as Record<string, unknown>;
	const field =
		`${prefix}${error.instancePath}${typeof params.missingProperty === "string" ? `/${params.missingProperty}` : ""}` ||
		"/";
	let message = error.message ?? "is not valid";
	if (typeof params.missingProperty === "string") message = "is required by the form";
	else if (error.keyword === "const") message = "must be checked";
	else if (error.keyword === "minLength" && params.limit === 1) message = "is required by the form";
	else if (error.keyword === "enum") message = `must be one of ${(params.allowedValues as unknown[]).join(", ")}`;
	return { field, location: "body.variables", message };
}

function validateScope(
	components: FormComponent[],
	data: Data,
	values: unknown,
	prefix: string,
	errors: FieldError[],
): void {
	const root: Scope = { properties: {}, required: [] };
	const lists: DynamicList[] = [];
	collect(components, data, root, [], lists);
	const validate = validatorFor({ type: "object", properties: root.properties, required: root.required });
	if (!validate(values ?? {})) {
		// anyOf failures repeat each branch's error; the first branch (the field's own rule) says what matters.
		const relevant = (validate.errors ?? []).filter(
			(error) => !error.schemaPath.includes("/anyOf/1") && error.keyword !== "anyOf",
		);
		errors.push(...relevant.map((error) => describe(error, prefix)));
	}
	for (const list of lists) {
		let items: unknown = values;
		for (const part of list.path) items = (items as Data | undefined)?.[part];
		if (!Array.isArray(items)) continue;
		items.forEach((item, index) => {
			const itemData = { ...data, ...(item as Data) };
			validateScope(list.components, itemData, item, `${prefix}/${list.path.join("/")}/${index}`, errors);
		});
	}
}

/**
 * Every field error of the submitted variables against the form; empty when they satisfy it.
 * @param context the task's variables, which (with the submission on top) decide conditional fields.
 */
export function validateAgainstForm(form: FormDefinition, variables: Data, context: Data = {}): FieldError[] {
	const errors: FieldError[] = [];
	validateScope(form.components, { ...context, ...variables }, variables, "", errors);
	return errors;
}
