import Ajv, { type ErrorObject } from "ajv";
import addFormats from "ajv-formats";
import type { FieldError } from "../errors/error-registry";

/** The parts of a Camunda Form (form-js JSON) that validation reads. */
export interface FormComponent {
	type: string;
	key?: string;
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

function fieldSchema(component: FormComponent): JsonSchema | undefined {
	const rules = component.validate ?? {};
	const staticValues = component.values?.map((item) => item.value);
	switch (component.type) {
		case "textfield":
		case "textarea": {
			const schema: JsonSchema = { type: "string" };
			if (rules.minLength !== undefined) schema.minLength = rules.minLength;
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
			return { type: "boolean" };
		case "radio":
		case "select":
			return staticValues?.length ? { enum: staticValues } : { type: ["string", "number", "boolean"] };
		case "checklist":
		case "taglist":
			return { type: "array", items: staticValues?.length ? { enum: staticValues } : {} };
		case "datetime":
			return { type: "string", minLength: 1 };
		default:
			return undefined;
	}
}

function collect(components: FormComponent[], properties: JsonSchema, required: string[]): void {
	for (const component of components) {
		if (component.components) collect(component.components, properties, required);
		if (!component.key || component.disabled || component.readonly) continue;
		const schema = fieldSchema(component);
		if (!schema) continue;
		properties[component.key] = component.label ? { ...schema, title: component.label } : schema;
		if (component.validate?.required) required.push(component.key);
	}
}

/**
 * A JSON Schema for the variables a form submits: types from the component kind, `required`, min/max,
 * lengths and patterns from its `validate` rules. Unknown variables stay allowed (a process may pass more).
 */
export function formToJsonSchema(form: FormDefinition): JsonSchema {
	const properties: JsonSchema = {};
	const required: string[] = [];
	collect(form.components, properties, required);
	return { type: "object", properties, required };
}

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const compiled = new WeakMap<FormDefinition, ReturnType<typeof ajv.compile>>();

function describe(error: ErrorObject): FieldError {
	const params = error.params as Record<string, unknown>;
	const field =
		typeof params.missingProperty === "string"
			? `${error.instancePath}/${params.missingProperty}`
			: error.instancePath || "/";
	const message =
		typeof params.missingProperty === "string" ? "is required by the form" : (error.message ?? "is not valid");
	return { field, location: "body.variables", message };
}

/** Every field error of the submitted variables against the form; empty when they satisfy it. */
export function validateAgainstForm(form: FormDefinition, variables: Record<string, unknown>): FieldError[] {
	let validate = compiled.get(form);
	if (!validate) {
		validate = ajv.compile(formToJsonSchema(form));
		compiled.set(form, validate);
	}
	return validate(variables) ? [] : (validate.errors ?? []).map(describe);
}
