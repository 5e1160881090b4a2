import { createHash } from "node:crypto";
import { formatDual } from "../../domain";

/** Document types `document.generate` renders (header `documentType`). */
export const DOCUMENT_TYPES = ["INQUIRY_RECORD", "REFERRAL_LETTER", "LOST_REPORT_CERTIFICATE"] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** NDMO classification markings (domain.md §3.6), Arabic first. */
export const CLASSIFICATION_MARKINGS: Record<string, { ar: string; en: string }> = {
	PUBLIC: { ar: "عام", en: "Public" },
	RESTRICTED: { ar: "مقيد", en: "Restricted" },
	SECRET: { ar: "سري", en: "Secret" },
	TOP_SECRET: { ar: "سري للغاية", en: "Top Secret" },
};

const TITLES: Record<DocumentType, { ar: string; en: string }> = {
	INQUIRY_RECORD: { ar: "محضر الاستدلال", en: "Inquiry record" },
	REFERRAL_LETTER: { ar: "خطاب إحالة إلى النيابة العامة", en: "Referral letter to the Public Prosecution" },
	LOST_REPORT_CERTIFICATE: { ar: "شهادة بلاغ فقدان", en: "Lost report certificate" },
};

/** What goes on the document. No national ID: documents leave the system, identities stay in it. */
export interface DocumentContent {
	documentType: DocumentType;
	number: string;
	classification: string;
	unitNameAr: string;
	unitNameEn: string;
	issuedAt: Date;
	/** Label/value rows of the body, Arabic label first. */
	rows: { labelAr: string; labelEn: string; value: string }[];
}

/** A rendered document with the SHA-256 (hex) of its exact bytes. */
export interface RenderedDocument {
	mediaType: "text/html; charset=utf-8";
	content: Buffer;
	sha256: string;
}

/**
 * Renders a bilingual document as HTML5: `lang="ar" dir="rtl"`, Arabic first with the English beneath
 * (isolated `dir="ltr"` so numbers and Latin text do not reorder the Arabic), and the classification
 * marking at the top and bottom of every printed page (`position: fixed` boxes repeat on each page in
 * print, and the `@page` margin boxes carry it for engines that support them). HTML rather than PDF:
 * PDF libraries without a shaping engine draw Arabic letters unjoined and left to right.
 */
export function renderDocument(content: DocumentContent): RenderedDocument {
	const marking = CLASSIFICATION_MARKINGS[content.classification] ?? CLASSIFICATION_MARKINGS.RESTRICTED!;
	const title = TITLES[content.documentType];
	const rows = content.rows
		.map(
			(row) =>
				`<tr><th scope="row">${escapeHtml(row.labelAr)}<br><span dir="ltr" lang="en">${escapeHtml(row.labelEn)}</span></th><td><bdi>${escapeHtml(row.value)}</bdi></td></tr>`,
		)
		.join("\n");
	const html = `<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title.ar)} — ${escapeHtml(content.number)}</title>
<style>
@page { size: A4; margin: 25mm 20mm; @top-center { content: "${marking.ar} — ${marking.en}"; } @bottom-center { content: "${marking.ar} — ${marking.en}"; } }
body { font-family: "Noto Naskh Arabic", "Amiri", "Arial", sans-serif; direction: rtl; text-align: right; }
.classification { position: fixed; left: 0; right: 0; text-align: center; font-weight: bold; color: #b00020; }
.classification.top { top: 0; } .classification.bottom { bottom: 0; }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #999; padding: 4px 8px; vertical-align: top; }
th { width: 35%; background: #f2f2f2; }
</style>
</head>
<body>
<div class="classification top" role="note" aria-label="التصنيف">${escapeHtml(marking.ar)} <span dir="ltr" lang="en">(${escapeHtml(marking.en)})</span></div>
<header>
<p>${escapeHtml(content.unitNameAr)}<br><span dir="ltr" lang="en">${escapeHtml(content.unitNameEn)}</span></p>
<h1>${escapeHtml(title.ar)}<br><span dir="ltr" lang="en">${escapeHtml(title.en)}</span></h1>
<p>الرقم / <span lang="en">No.</span>: <bdi dir="ltr">${escapeHtml(content.number)}</bdi></p>
<p>التاريخ / <span lang="en">Date</span>: ${escapeHtml(formatDual(content.issuedAt))}</p>
</header>
<main>
<table>
${rows}
</table>
</main>
<div class="classification bottom" role="note" aria-label="التصنيف">${escapeHtml(marking.ar)} <span dir="ltr" lang="en">(${escapeHtml(marking.en)})</span></div>
</body>
</html>
`;
	const bytes = Buffer.from(html, "utf8");
	return { mediaType: "text/html; charset=utf-8", content: bytes, sha256: createHash("sha256").update(bytes).digest("hex") };
}

function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
