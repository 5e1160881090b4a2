import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { formFolderResolver } from "./form-folder.resolver";
import { type FormDefinition, validateAgainstForm } from "./form-schema";

const fields = (errors: Array<{ field: string }>) => errors.map((error) => error.field).sort();

describe("form validation", () => {
	const form: FormDefinition = {
		components: [
			{ type: "text", key: "ignored" },
			{ type: "textfield", key: "nationalId", validate: { required: true, pattern: "^[12][0-9]{9}$" } },
			{ type: "number", key: "age", validate: { min: 0, max: 120 } },
			{ type: "checkbox", key: "arrested" },
			{ type: "checkbox", key: "confirmed", validate: { required: true } },
			{
				type: "textarea",
				key: "arrestReason",
				validate: { required: true },
				conditional: { hide: "=arrested != true" },
			},
			{
				type: "group",
				path: "vehicle",
				components: [{ type: "textfield", key: "plate", validate: { required: true } }],
			},
			{
				type: "dynamiclist",
				path: "items",
				components: [
					{
						type: "select",
						key: "kind",
						values: [{ value: "CASH" }, { value: "WEAPON" }],
						validate: { required: true },
					},
					{ type: "number", key: "amount", validate: { required: true }, conditional: { hide: '=kind != "CASH"' } },
				],
			},
		],
	};
	const valid = {
		nationalId: "1012345678",
		confirmed: true,
		vehicle: { plate: "ABC-123" },
		items: [{ kind: "WEAPON" }, { kind: "CASH", amount: 500 }],
	};

	it("should accept a complete submission, with optional fields empty or null", () => {
		expect(validateAgainstForm(form, valid)).toEqual([]);
		expect(validateAgainstForm(form, { ...valid, age: null })).toEqual([]);
	});

	it("should list every broken rule at once, nested fields by their full pointer", () => {
		const errors = validateAgainstForm(form, {
			nationalId: "12",
			age: 130,
			confirmed: false,
			vehicle: {},
			items: [{ kind: "GOLD" }, { kind: "CASH" }],
		});
		expect(fields(errors)).toEqual([
			"/age",
			"/confirmed",
			"/items/0/kind",
			"/items/1/amount",
			"/nationalId",
			"/vehicle/plate",
		]);
		expect(errors.find((error) => error.field === "/confirmed")?.message).toBe("must be checked");
	});

	it("should require a conditional field only while it is shown, deciding with the task's variables too", () => {
		expect(fields(validateAgainstForm(form, { ...valid, arrested: true }))).toEqual(["/arrestReason"]);
		expect(validateAgainstForm(form, valid, { arrested: false })).toEqual([]);
		expect(fields(validateAgainstForm(form, valid, { arrested: true }))).toEqual(["/arrestReason"]);
	});

	it("should stop a hide condition that loops or is too long and treat the field as shown", () => {
		const hostile: FormDefinition = {
			components: [
				{
					type: "textfield",
					key: "slow",
					validate: { required: true },
					conditional: { hide: "=count(for i in 1..1000000000 return i) > 0" },
				},
				{
					type: "textfield",
					key: "long",
					validate: { required: true },
					conditional: { hide: `=${"true or ".repeat(400)}true` },
				},
			],
		};
		const started = performance.now();
		expect(fields(validateAgainstForm(hostile, {}))).toEqual(["/long", "/slow"]);
		expect(performance.now() - started).toBeLessThan(1_000);
	});

	it("should resolve the repository's forms by linked id and refuse paths", async () => {
		const resolve = formFolderResolver(fileURLToPath(new URL("../../forms/", import.meta.url)));
		const evidence = await resolve("collect-evidence");
		expect(evidence?.components.length).toBeGreaterThan(0);
		expect(await resolve("camunda-forms:bpmn:collect-evidence")).toBe(evidence);
		expect(await resolve("../package")).toBeUndefined();
		expect(await resolve("no-such-form")).toBeUndefined();
		const errors = validateAgainstForm(evidence!, { seizedItems: [{}] });
		expect(errors.some((error) => error.field.startsWith("/seizedItems/0/"))).toBe(true);
	});
});
