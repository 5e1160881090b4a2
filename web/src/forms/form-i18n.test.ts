import { describe, expect, it } from "vitest";
import { localizeSchema, variableOfField } from "./form-i18n";

const schema = {
	components: [
		{ type: "textfield", id: "f1", key: "nationalId", label: "رقم الهوية" },
		{ type: "textfield", id: "f2", key: "phone", label: "الهاتف", properties: { "label:en": "Phone" } },
		{ type: "select", id: "f3", key: "decision", label: "القرار", values: [{ value: "detain", label: "توقيف" }] },
		{
			type: "group",
			id: "g",
			label: "المشتبه به",
			components: [{ type: "textfield", id: "f4", key: "name", label: "الاسم" }],
		},
	],
	translations: {
		en: {
			nationalId: { label: "National ID" },
			decision: { label: "Decision", values: { detain: "Detain" } },
			"المشتبه به": "Suspect",
			الاسم: "Name",
		},
	},
};

describe("localizeSchema", () => {
	it("should take English labels by key, by custom property, by source text, also in nested groups and options", () => {
		const english = localizeSchema(schema, "en") as typeof schema;
		expect(english.components.map((component) => component.label)).toEqual([
			"National ID",
			"Phone",
			"Decision",
			"Suspect",
		]);
		expect(english.components[2]!.values![0]!.label).toBe("Detain");
		expect(english.components[3]!.components![0]!.label).toBe("Name");
	});

	it("should leave the Arabic source untouched", () => {
		expect(localizeSchema(schema, "ar")).toBe(schema);
		expect(schema.components[0]!.label).toBe("رقم الهوية");
	});
});

describe("variableOfField", () => {
	it("should read the variable from the pointer forms the API may use", () => {
		expect(variableOfField("/variables/nationalId")).toBe("nationalId");
		expect(variableOfField("/nationalId")).toBe("nationalId");
		expect(variableOfField("variables.suspect.phone")).toBe("suspect.phone");
		expect(variableOfField("/variables/suspect/phone")).toBe("suspect.phone");
	});
});
