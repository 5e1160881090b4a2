import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { localizeSchema, type TranslationMap, translationsOf, variableOfField } from "./form-i18n";

const schema = {
	id: "hand-made",
	components: [
		{ type: "text", id: "Field_title", text: "### سماع الأقوال" },
		{ type: "textfield", id: "f1", key: "nationalId", label: "رقم الهوية", description: "١٠ أرقام" },
		{ type: "textfield", id: "f2", key: "phone", label: "الهاتف", properties: { "label:en": "Phone" } },
		{ type: "select", id: "f3", key: "decision", label: "القرار", values: [{ value: "DETAIN", label: "توقيف" }] },
		{ type: "datetime", id: "f4", key: "heardAt", dateLabel: "التاريخ", timeLabel: "الوقت" },
		{
			type: "dynamiclist",
			id: "g",
			path: "items",
			label: "المضبوطات",
			components: [{ type: "textfield", id: "f5", key: "name", label: "الاسم" }],
		},
	],
};
const map: TranslationMap = {
	en: {
		$title: "Take statement",
		nationalId: "National ID",
		"nationalId.description": "10 digits",
		decision: "Decision",
		"decision.DETAIN": "Detain",
		heardAt: "Date",
		"heardAt.time": "Time",
		items: "Seized items",
		name: "Name",
	},
};

describe("localizeSchema", () => {
	it("should take English texts from the form's map: labels, descriptions, options, datetime, title, nested lists", () => {
		const english = localizeSchema(schema, "en", map) as unknown as typeof schema & {
			components: Record<string, unknown>[];
		};
		const [title, id, phone, decision, heardAt, items] = english.components as Record<string, unknown>[];
		expect(title!.text).toBe("### Take statement");
		expect([id!.label, id!.description]).toEqual(["National ID", "10 digits"]);
		expect(phone!.label).toBe("Phone");
		expect(decision!.label).toBe("Decision");
		expect((decision!.values as { label: string }[])[0]!.label).toBe("Detain");
		expect([heardAt!.dateLabel, heardAt!.timeLabel]).toEqual(["Date", "Time"]);
		expect(items!.label).toBe("Seized items");
		expect((items!.components as { label: string }[])[0]!.label).toBe("Name");
	});

	it("should leave the Arabic source untouched", () => {
		expect(localizeSchema(schema, "ar", map)).toBe(schema);
		expect(schema.components[1]!.label).toBe("رقم الهوية");
	});

	it("should find the map of every form in forms/ by its id and translate each labelled field", () => {
		const dir = new URL("../../../forms/", import.meta.url);
		const forms = readdirSync(dir).filter((name) => name.endsWith(".form"));
		for (const name of forms) {
			const form = JSON.parse(readFileSync(new URL(name, dir), "utf8")) as {
				id: string;
				components: Record<string, unknown>[];
			};
			const translations = translationsOf(form);
			if (!translations) continue; // a form whose map is still being written; forms/forms.test.ts guards that
			const english = localizeSchema(form, "en") as { components: Record<string, unknown>[] };
			const field = english.components.find(
				(component) => typeof component.key === "string" && translations.en?.[component.key as string],
			);
			if (field) expect(field.label ?? field.dateLabel, name).toBe(translations.en![field.key as string]);
		}
		expect(forms.length).toBeGreaterThan(0);
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
