import { enqueueNotification, PersonSchema } from "../../domain";
import type { EntityManager } from "@mikro-orm/postgresql";
import { complete, type JobInput, type JobModule } from "../runtime/job-module";
import { findCaseRef, optionalString, requireHeader, riyadhIso } from "./job-variables";

/** Each template: who receives it and what it says (Arabic first; English for non-Arabic readers). */
const TEMPLATES = {
	"report-receipt": { to: ["reporter"], ar: "تم استلام بلاغكم رقم {n}", en: "Your report {n} was received" },
	"referred-elsewhere": { to: ["reporter"], ar: "أحيل بلاغكم رقم {n} إلى الجهة المختصة", en: "Your report {n} was referred to the competent unit" },
	"arrest-contact": { to: ["family"], ar: "تم إبلاغكم بالقبض على ذويكم في القضية {n}", en: "A relative was arrested in case {n}" },
	"dismissal-notice": { to: ["victim", "reporter"], ar: "صدر أمر بحفظ الدعوى في القضية {n}", en: "The case {n} was dismissed by the Public Prosecution" },
	"absher-lost-document": { to: ["reporter"], ar: "لفقدان الوثائق الرسمية يرجى استخدام خدمة أبشر", en: "For lost official documents use the Absher service" },
	"lost-report-receipt": { to: ["reporter"], ar: "تم تسجيل بلاغ الفقدان رقم {n}", en: "Lost-property report {n} registered" },
	"lost-report-closed": { to: ["reporter"], ar: "أغلق بلاغ الفقدان رقم {n}", en: "Lost-property report {n} closed" },
	"violation-notice": { to: ["violator", "owner"], ar: "سُجّلت مخالفة مرورية رقم {n}", en: "Traffic violation {n} recorded" },
	"violation-cancelled": { to: ["violator", "owner"], ar: "أُلغيت المخالفة رقم {n}", en: "Violation {n} cancelled" },
	"objection-rejected": { to: ["violator", "owner"], ar: "رُفض الاعتراض على المخالفة رقم {n}", en: "Objection to violation {n} rejected" },
	"najm-referral": { to: ["reporter", "driver"], ar: "أحيل الحادث رقم {n} إلى نجم", en: "Accident {n} referred to Najm" },
	"guardian-notice": { to: ["guardian"], ar: "إشعار ولي الأمر بشأن القضية {n}", en: "Guardian notice about case {n}" },
} as const;

type Template = keyof typeof TEMPLATES;

/**
 * `notify.citizen`: one outbox row per recipient the template implies (SMS to the mobile in
 * `<role>Mobile` / `<role>Phone` (the forms' field) or on the person `<role>PersonId`), Arabic first. With no contact on file the duty desk
 * of the unit gets an internal row instead, so the legal duty to inform is never dropped silently.
 * Writes `notifiedAt`.
 */
export const notifyCitizenWorker: JobModule = {
	type: "notify.citizen",
	description: "Queues the citizen notification of the header's template (SMS/Absher) in the outbox",
	async handle(job, { em, services }) {
		const template = requireHeader(job, "template", Object.keys(TEMPLATES) as Template[]);
		const spec = TEMPLATES[template];
		const number =
			optionalString(job, "caseNumber") ?? optionalString(job, "violationNumber") ?? optionalString(job, "reportNumber");
		const ref = number && !optionalString(job, "violationNumber") ? await findCaseRef(em, number).catch(() => undefined) : undefined;
		const text = { textAr: spec.ar.replace("{n}", number ?? ""), textEn: spec.en.replace("{n}", number ?? "") };
		const payload = {
			...text,
			caseNumber: number ?? null,
			absherLink: template === "absher-lost-document" || job.variables.containsOfficialDocument === true,
		};
		let index = 0;
		for (const role of spec.to) {
			const mobile = await mobileOf(em, job, role);
			if (!mobile) continue;
			index += 1;
			await enqueueNotification(em, {
				idempotencyKey: `${job.key}:${index}`,
				channel: "SMS",
				recipient: mobile,
				template,
				payload: { ...payload, role },
				caseId: ref?.caseRecord?.id,
			});
		}
		if (index === 0) {
			await enqueueNotification(em, {
				idempotencyKey: `${job.key}:desk`,
				channel: "INTERNAL",
				recipient: `duty-desk-officer${ref ? `:${ref.unitCode}` : ""}`,
				template: "citizen-without-contact",
				payload: { ...payload, template, roles: spec.to },
				caseId: ref?.caseRecord?.id,
			});
		}
		return complete({ notifiedAt: riyadhIso(services.now()) });
	},
};

async function mobileOf(em: EntityManager, job: JobInput, role: string): Promise<string | undefined> {
	const direct = optionalString(job, `${role}Mobile`) ?? optionalString(job, `${role}Phone`);
	if (direct) return direct;
	const personId = optionalString(job, `${role}PersonId`);
	if (!personId) return undefined;
	const person = await em.findOne(PersonSchema, personId);
	return person?.mobile ?? undefined;
}
