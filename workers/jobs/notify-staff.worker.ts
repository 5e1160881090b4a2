import { enqueueNotification } from "../../domain";
import { complete, type JobModule } from "../runtime/job-module";
import { findCaseRef, optionalString, requireHeader } from "./job-variables";

const AUDIENCES = ["shift-supervisor", "investigation-officer", "station-commander", "legal-compliance"] as const;

/** Arabic first, English second: what the staff notification says per reason. */
const REASON_TEXT: Record<string, { ar: string; en: string }> = {
	REPORT_REVIEW_OVERDUE: { ar: "تأخر مراجعة البلاغ", en: "Report review overdue" },
	PROSECUTION_NOTIFY_DELAYED: { ar: "تأخر إبلاغ النيابة العامة", en: "Prosecution notification delayed" },
	LAB_RESULT_OVERDUE: { ar: "تأخر نتيجة المختبر", en: "Lab result overdue" },
	CUSTODY_12H_WARNING: { ar: "مضى 12 ساعة على القبض", en: "12 hours since arrest" },
	CUSTODY_20H_WARNING: { ar: "مضى 20 ساعة على القبض", en: "20 hours since arrest" },
	CUSTODY_LIMIT_BREACH: { ar: "تجاوز مدة الـ24 ساعة دون أمر", en: "24-hour hold exceeded without an order" },
	DETENTION_LIMIT_BREACH: { ar: "انتهاء مدة التوقيف دون تمديد", en: "Detention expired without extension" },
	EXTENSION_NOT_AUTHORISED: { ar: "تمديد غير نظامي", en: "Extension not authorised" },
	EVIDENCE_CHECK_IN_OVERDUE: { ar: "تأخر إيداع الحرز", en: "Evidence check-in overdue" },
};

/**
 * `notify.staff`: an internal notification (outbox channel INTERNAL) to the candidate group in the header,
 * scoped to the case's unit (`legal-compliance:RUH-OLY`), for SLA warnings and legal-breach notices.
 */
export const notifyStaffWorker: JobModule = {
	type: "notify.staff",
	description: "Queues an internal notification to the header's audience with the reason code",
	async handle(job, { em, services }) {
		const audience = requireHeader(job, "audience", AUDIENCES);
		const reason = job.customHeaders.reason || "UNSPECIFIED";
		const caseNumber = optionalString(job, "caseNumber");
		const ref = caseNumber ? await findCaseRef(em, caseNumber) : undefined;
		const unitCode = ref?.unitCode ?? optionalString(job, "unitCode");
		const text = REASON_TEXT[reason] ?? { ar: reason, en: reason };
		await enqueueNotification(em, {
			idempotencyKey: job.key,
			channel: "INTERNAL",
			recipient: unitCode ? `${audience}:${unitCode}` : audience,
			template: `staff-${reason.toLowerCase()}`,
			payload: {
				reason,
				textAr: text.ar,
				textEn: text.en,
				caseNumber: caseNumber ?? null,
				custodyId: optionalString(job, "custodyId") ?? null,
				evidenceId: optionalString(job, "evidenceId") ?? null,
				raisedAt: services.now().toISOString(),
			},
			caseId: ref?.caseRecord?.id,
		});
		return complete();
	},
};
