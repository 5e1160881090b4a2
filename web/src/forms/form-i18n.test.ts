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

	it("should put a datetime's texts on dateLabel and timeLabel, whichever subtype, never on label", () => {
		const form = {
			id: "dates",
			components: [
				{ type: "datetime", id: "d1", key: "heardAt", subtype: "datetime", dateLabel: "التاريخ", timeLabel: "الوقت" },
				{ type: "datetime", id: "d2", key: "bornOn", subtype: "date" },
				{ type: "datetime", id: "d3", key: "opensAt", subtype: "time", timeLabel: "يفتح" },
				{ type: "datetime", id: "d4", key: "seenAt", subtype: "datetime", dateLabel: "اليوم", timeLabel: "الساعة" },
				{
					type: "datetime",
					id: "d5",
					key: "hand",
					subtype: "datetime",
					dateLabel: "يوم",
					timeLabel: "ساعة",
					properties: { "dateLabel:en": "Day", "timeLabel:en": "Hour" },
				},
				{
					type: "textfield",
					id: "t1",
					key: "amount",
					label: "المبلغ",
					placeholder: "مثلاً",
					appearance: { prefixAdorner: "ر.س" },
				},
				{ type: "button", id: "Button_send", action: "submit", label: "إرسال" },
				{ type: "table", id: "tb", key: "rows", label: "جدول", columns: [{ key: "who", label: "من" }] },
			],
		};
		const english = localizeSchema(form, "en", {
			en: {
				heardAt: "Heard on",
				"heardAt.time": "At",
				bornOn: "Born on",
				opensAt: "Opens at",
				seenAt: "Seen",
				"seenAt.date": "Seen on",
				"seenAt.time": "Seen at",
				amount: "Amount",
				"amount.placeholder": "e.g.",
				"amount.prefix": "SAR",
				$Button_send: "Send",
				"rows.who": "Who",
			},
		}) as { components: Record<string, unknown>[] };
		const [heard, born, opens, seen, hand, amount, button, table] = english.components;
		expect([heard!.dateLabel, heard!.timeLabel, heard!.label]).toEqual(["Heard on", "At", undefined]);
		expect([born!.dateLabel, born!.timeLabel, born!.label]).toEqual(["Born on", undefined, undefined]);
		expect([opens!.dateLabel, opens!.timeLabel, opens!.label]).toEqual([undefined, "Opens at", undefined]);
		expect([seen!.dateLabel, seen!.timeLabel]).toEqual(["Seen on", "Seen at"]);
		expect([hand!.dateLabel, hand!.timeLabel]).toEqual(["Day", "Hour"]);
		expect([
			amount!.label,
			amount!.placeholder,
			(amount!.appearance as { prefixAdorner: string }).prefixAdorner,
		]).toEqual(["Amount", "e.g.", "SAR"]);
		expect(button!.label).toBe("Send");
		expect((table!.columns as { label: string }[])[0]!.label).toBe("Who");
	});

	it("should translate the date and time label of every datetime field of forms/", () => {
		const dir = new URL("../../../forms/", import.meta.url);
		let checked = 0;
		for (const name of readdirSync(dir).filter((file) => file.endsWith(".form"))) {
			const form = JSON.parse(readFileSync(new URL(name, dir), "utf8")) as Record<string, unknown>;
			const english = translationsOf(form)?.en;
			if (!english) continue;
			const visit = (node: Record<string, unknown>) => {
				for (const component of (node.components ?? []) as Record<string, unknown>[]) {
					if (component.type === "datetime" && english[component.key as string]) {
						expect(component.dateLabel, name).toBe(english[component.key as string]);
						if (english[`${component.key as string}.time`])
							expect(component.timeLabel, name).toBe(english[`${component.key as string}.time`]);
						checked++;
					}
					visit(component);
				}
			};
			visit(localizeSchema(form, "en"));
		}
		expect(checked).toBeGreaterThan(10);
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
