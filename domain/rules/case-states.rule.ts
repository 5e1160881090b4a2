import type { StateMachine } from "./state-machine.rule";

// The five state machines of domain.md §2.5. Where the design's arrows leave a path open, the choice
// and the reason are noted beside the row.

/** Report (بلاغ) states. */
export type ReportStatus =
	| "DRAFT"
	| "SUBMITTED"
	| "TRIAGED"
	| "CASE_OPENED"
	| "REFERRED_OTHER_AGENCY"
	| "NON_CRIMINAL_SERVICE"
	| "REJECTED_DUPLICATE"
	| "UNFOUNDED";

/** Report: DRAFT → SUBMITTED → TRIAGED → one outcome. */
export const REPORT_MACHINE: StateMachine<ReportStatus> = {
	name: "report",
	initial: "DRAFT",
	labels: {
		DRAFT: { ar: "مسودة", en: "Draft" },
		SUBMITTED: { ar: "مقدّم", en: "Submitted" },
		TRIAGED: { ar: "مفروز", en: "Triaged" },
		CASE_OPENED: { ar: "فُتحت قضية", en: "Case opened" },
		REFERRED_OTHER_AGENCY: { ar: "أحيل لجهة مختصة", en: "Referred to another agency" },
		NON_CRIMINAL_SERVICE: { ar: "خدمة غير جنائية", en: "Non-criminal service" },
		REJECTED_DUPLICATE: { ar: "مكرر", en: "Duplicate" },
		UNFOUNDED: { ar: "بلاغ غير صحيح", en: "Unfounded" },
	},
	transitions: {
		DRAFT: ["SUBMITTED"],
		SUBMITTED: ["TRIAGED"],
		TRIAGED: ["CASE_OPENED", "REFERRED_OTHER_AGENCY", "NON_CRIMINAL_SERVICE", "REJECTED_DUPLICATE", "UNFOUNDED"],
		CASE_OPENED: [],
		REFERRED_OTHER_AGENCY: [],
		NON_CRIMINAL_SERVICE: [],
		REJECTED_DUPLICATE: [],
		UNFOUNDED: [],
	},
};

/** Case (قضية) states. */
export type CaseStatus =
	| "OPEN"
	| "UNDER_INQUIRY"
	| "SUSPENDED_UNKNOWN_OFFENDER"
	| "REFERRED_TO_PP"
	| "RETURNED_FOR_COMPLETION"
	| "DISMISSED_BY_PP"
	| "INDICTED"
	| "IN_TRIAL"
	| "JUDGMENT_ISSUED"
	| "UNDER_APPEAL"
	| "FINAL_JUDGMENT"
	| "IN_EXECUTION"
	| "CLOSED";

/** Case: from opening to closing, with reopen loops for unknown offender and temporary dismissal. */
export const CASE_MACHINE: StateMachine<CaseStatus> = {
	name: "case",
	initial: "OPEN",
	labels: {
		OPEN: { ar: "مفتوحة", en: "Open" },
		UNDER_INQUIRY: { ar: "قيد الاستدلال", en: "Under inquiry" },
		SUSPENDED_UNKNOWN_OFFENDER: { ar: "موقوفة/ضد مجهول", en: "Suspended, unknown offender" },
		REFERRED_TO_PP: { ar: "محالة للنيابة", en: "Referred to the Public Prosecution" },
		RETURNED_FOR_COMPLETION: { ar: "معادة للاستيفاء", en: "Returned for completion" },
		DISMISSED_BY_PP: { ar: "محفوظة", en: "Dismissed by the Public Prosecution" },
		INDICTED: { ar: "محالة للمحكمة", en: "Indicted" },
		IN_TRIAL: { ar: "منظورة", en: "In trial" },
		JUDGMENT_ISSUED: { ar: "صدر حكم ابتدائي", en: "First-instance judgment issued" },
		UNDER_APPEAL: { ar: "قيد الاعتراض", en: "Under appeal" },
		FINAL_JUDGMENT: { ar: "حكم نهائي", en: "Final judgment" },
		IN_EXECUTION: { ar: "قيد التنفيذ", en: "In execution" },
		CLOSED: { ar: "مغلقة", en: "Closed" },
	},
	transitions: {
		// OPEN/UNDER_INQUIRY → CLOSED: a complaint-dependent case whose complaint is withdrawn (§5.4 C5).
		OPEN: ["UNDER_INQUIRY", "CLOSED"],
		UNDER_INQUIRY: ["SUSPENDED_UNKNOWN_OFFENDER", "REFERRED_TO_PP", "CLOSED"],
		// Reopened on NewEvidence; or referred so the PP can file it against an unknown offender.
		SUSPENDED_UNKNOWN_OFFENDER: ["UNDER_INQUIRY", "REFERRED_TO_PP"],
		REFERRED_TO_PP: ["RETURNED_FOR_COMPLETION", "DISMISSED_BY_PP", "INDICTED"],
		RETURNED_FOR_COMPLETION: ["REFERRED_TO_PP"],
		// A temporary dismissal may reopen on new evidence; a final one closes (checked by the service).
		DISMISSED_BY_PP: ["UNDER_INQUIRY", "CLOSED"],
		INDICTED: ["IN_TRIAL"],
		IN_TRIAL: ["JUDGMENT_ISSUED"],
		// No objection within 30 days → final; objection or mandatory review → under appeal.
		JUDGMENT_ISSUED: ["UNDER_APPEAL", "FINAL_JUDGMENT"],
		// The appeal court upholds or amends (final) or sends the case back for retrial.
		UNDER_APPEAL: ["FINAL_JUDGMENT", "IN_TRIAL"],
		// An acquittal has nothing to execute.
		FINAL_JUDGMENT: ["IN_EXECUTION", "CLOSED"],
		IN_EXECUTION: ["CLOSED"],
		CLOSED: [],
	},
};

/** Reasons of a PP dismissal (حفظ الدعوى). */
export const DISMISSAL_REASONS = [
	"INSUFFICIENT_EVIDENCE",
	"NO_OFFENCE",
	"UNKNOWN_OFFENDER",
	"PRIVATE_RIGHT_WAIVED",
	"ACCUSED_DECEASED",
	"PARDON",
	"OTHER",
] as const;
/** One of {@link DISMISSAL_REASONS}. */
export type DismissalReason = (typeof DISMISSAL_REASONS)[number];

/** Disposition of one charge against one accused. */
export type ChargeDisposition =
	| "PENDING"
	| "DETAINED"
	| "RELEASED"
	| "DISMISSED"
	| "INDICTED"
	| "CONVICTED"
	| "ACQUITTED"
	| "CLAIM_DISMISSED"
	| "FINAL";

/** Accused disposition per charge: outcomes are per accused per charge, never per case (§2.4). */
export const CHARGE_MACHINE: StateMachine<ChargeDisposition> = {
	name: "charge",
	initial: "PENDING",
	labels: {
		PENDING: { ar: "قيد النظر", en: "Pending" },
		DETAINED: { ar: "موقوف", en: "Detained" },
		RELEASED: { ar: "مُفرج عنه", en: "Released" },
		DISMISSED: { ar: "محفوظة", en: "Dismissed" },
		INDICTED: { ar: "محال للمحكمة", en: "Indicted" },
		CONVICTED: { ar: "مُدان", en: "Convicted" },
		ACQUITTED: { ar: "بريء", en: "Acquitted" },
		CLAIM_DISMISSED: { ar: "صرف النظر", en: "Claim dismissed" },
		FINAL: { ar: "نهائي", en: "Final" },
	},
	transitions: {
		// A summoned accused (not arrested, §5.4 C4) goes straight to the PP decision.
		PENDING: ["DETAINED", "RELEASED", "DISMISSED", "INDICTED"],
		DETAINED: ["RELEASED", "DISMISSED", "INDICTED"],
		RELEASED: ["DETAINED", "DISMISSED", "INDICTED"],
		// A temporary dismissal reopens the charge; a final one or an expired review makes it final.
		DISMISSED: ["PENDING", "FINAL"],
		INDICTED: ["CONVICTED", "ACQUITTED", "CLAIM_DISMISSED"],
		// An appeal may change the outcome before it becomes final.
		CONVICTED: ["FINAL", "ACQUITTED", "CLAIM_DISMISSED"],
		ACQUITTED: ["FINAL", "CONVICTED", "CLAIM_DISMISSED"],
		CLAIM_DISMISSED: ["FINAL", "CONVICTED", "ACQUITTED"],
		FINAL: [],
	},
};

/** Custody episode (توقيف) states. */
export type CustodyStatus =
	| "ARRESTED"
	| "HELD_BY_POLICE"
	| "TRANSFERRED_TO_INVESTIGATOR"
	| "DETAINED"
	| "EXTENDED"
	| "RELEASED"
	| "REFERRED_TO_COURT_IN_CUSTODY"
	| "CONVICTED_TRANSFERRED_TO_PRISON";

/** Custody episode: arrest, police hold (≤ 24 h), investigator, detention and extensions, an end. */
export const CUSTODY_MACHINE: StateMachine<CustodyStatus> = {
	name: "custody episode",
	initial: "ARRESTED",
	labels: {
		ARRESTED: { ar: "مقبوض عليه", en: "Arrested" },
		HELD_BY_POLICE: { ar: "محتجز لدى الشرطة", en: "Held by police" },
		TRANSFERRED_TO_INVESTIGATOR: { ar: "محال إلى المحقق", en: "Transferred to investigator" },
		DETAINED: { ar: "موقوف", en: "Detained" },
		EXTENDED: { ar: "مُدد توقيفه", en: "Detention extended" },
		RELEASED: { ar: "مُفرج عنه", en: "Released" },
		REFERRED_TO_COURT_IN_CUSTODY: { ar: "محال للمحكمة موقوفاً", en: "Referred to court in custody" },
		CONVICTED_TRANSFERRED_TO_PRISON: { ar: "محكوم ومنقول للسجن", en: "Convicted, transferred to prison" },
	},
	transitions: {
		ARRESTED: ["HELD_BY_POLICE", "RELEASED"],
		// Release at the 24-hour limit, or after hearing the arrestee with nothing against them.
		HELD_BY_POLICE: ["TRANSFERRED_TO_INVESTIGATOR", "RELEASED"],
		TRANSFERRED_TO_INVESTIGATOR: ["DETAINED", "RELEASED"],
		DETAINED: ["EXTENDED", "RELEASED", "REFERRED_TO_COURT_IN_CUSTODY"],
		EXTENDED: ["EXTENDED", "RELEASED", "REFERRED_TO_COURT_IN_CUSTODY"],
		RELEASED: [],
		REFERRED_TO_COURT_IN_CUSTODY: ["CONVICTED_TRANSFERRED_TO_PRISON", "RELEASED"],
		CONVICTED_TRANSFERRED_TO_PRISON: [],
	},
};

/** Evidence item (حرز/مضبوط) states. */
export type EvidenceStatus =
	| "COLLECTED"
	| "SEALED"
	| "IN_TEMP_STORAGE"
	| "IN_EVIDENCE_ROOM"
	| "CHECKED_OUT"
	| "RETURNED_TO_OWNER"
	| "DESTROYED"
	| "CONFISCATED"
	| "RETAINED"
	| "INTEGRITY_ALERT";

const EVIDENCE_DISPOSALS = ["RETURNED_TO_OWNER", "DESTROYED", "CONFISCATED", "RETAINED"] as const;

/** Evidence item: collected, sealed, stored, checked out and back, disposed; integrity alert on the side. */
export const EVIDENCE_MACHINE: StateMachine<EvidenceStatus> = {
	name: "evidence item",
	initial: "COLLECTED",
	labels: {
		COLLECTED: { ar: "مضبوط", en: "Collected" },
		SEALED: { ar: "محرّز", en: "Sealed" },
		IN_TEMP_STORAGE: { ar: "في الحفظ المؤقت", en: "In temporary storage" },
		IN_EVIDENCE_ROOM: { ar: "في غرفة الأحراز", en: "In evidence room" },
		CHECKED_OUT: { ar: "مُسلَّم (مختبر/محكمة)", en: "Checked out (lab/court)" },
		RETURNED_TO_OWNER: { ar: "أُعيد لمالكه", en: "Returned to owner" },
		DESTROYED: { ar: "أُتلف", en: "Destroyed" },
		CONFISCATED: { ar: "صودر", en: "Confiscated" },
		RETAINED: { ar: "محتفظ به", en: "Retained" },
		INTEGRITY_ALERT: { ar: "تنبيه سلامة الحرز", en: "Integrity alert" },
	},
	transitions: {
		COLLECTED: ["SEALED", "INTEGRITY_ALERT"],
		// Recovered property may go back to its owner from temporary storage (§5.4 C1).
		SEALED: ["IN_TEMP_STORAGE", "IN_EVIDENCE_ROOM", "INTEGRITY_ALERT"],
		IN_TEMP_STORAGE: ["IN_EVIDENCE_ROOM", "RETURNED_TO_OWNER", "INTEGRITY_ALERT"],
		IN_EVIDENCE_ROOM: ["CHECKED_OUT", ...EVIDENCE_DISPOSALS, "INTEGRITY_ALERT"],
		CHECKED_OUT: ["IN_EVIDENCE_ROOM", "INTEGRITY_ALERT"],
		RETURNED_TO_OWNER: [],
		DESTROYED: [],
		CONFISCATED: [],
		// Retained until final judgment, then disposed (§5.4 C4).
		RETAINED: ["RETURNED_TO_OWNER", "DESTROYED", "CONFISCATED"],
		// After review the item goes back to the room (re-sealed) or is retained as it is.
		INTEGRITY_ALERT: ["IN_EVIDENCE_ROOM", "RETAINED"],
	},
};
