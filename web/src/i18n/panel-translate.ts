import { currentLocale } from "./i18n";
import { panelTextsAr } from "./panels.ar";

/** The text of a bpmn.io panel in the page language, `{name}` placeholders filled from `replacements`. */
export function translatePanelText(template: string, replacements: Record<string, unknown> = {}): string {
	const text = currentLocale() === "ar" ? (panelTextsAr[template] ?? template) : template;
	return text.replace(/{([^}]+)}/g, (whole, key: string) =>
		replacements[key] === undefined ? whole : String(replacements[key]),
	);
}

/**
 * A bpmn-js module replacing its `translate` service (palette, context pad, replace menu, properties panel), as
 * bpmn-js documents for localisation. The language is read when the modeler is created: the modeler screen
 * creates a new modeler when the language changes.
 */
export const bpmnTranslateModule = { translate: ["value", translatePanelText] };

const translatedAttributes = ["title", "placeholder", "aria-label"] as const;
// User texts are not ours to translate: the form being designed and the selected field's own label.
const userText =
	".bio-properties-panel-header-label, .fjs-form-container, .fjs-form-field, .djs-container, input, textarea, [contenteditable]";

function translateNode(node: Node): void {
	if (node.nodeType === Node.TEXT_NODE) {
		const parent = node.parentElement;
		if (!parent || parent.closest(userText)) return;
		const text = node.nodeValue ?? "";
		const trimmed = text.trim();
		const arabic = trimmed ? panelTextsAr[trimmed] : undefined;
		if (arabic) node.nodeValue = text.replace(trimmed, arabic);
		return;
	}
	if (node.nodeType !== Node.ELEMENT_NODE) return;
	const element = node as Element;
	for (const attribute of translatedAttributes) {
		const value = element.getAttribute(attribute);
		const arabic = value ? panelTextsAr[value] : undefined;
		if (arabic) element.setAttribute(attribute, arabic);
	}
	for (const child of Array.from(element.childNodes)) translateNode(child);
}

/**
 * Puts the Arabic texts into panels that have no translation service (the form-js editor's palette and
 * properties panel): every text node and title/placeholder whose whole text is a known English label is replaced,
 * now and whenever the panel re-renders. Does nothing in English. Answers a function that stops watching.
 */
export function translatePanels(roots: Element[]): () => void {
	if (currentLocale() !== "ar") return () => {};
	for (const root of roots) translateNode(root);
	const observer = new MutationObserver((mutations) => {
		for (const mutation of mutations) {
			if (mutation.type === "characterData") translateNode(mutation.target);
			else if (mutation.type === "attributes") translateNode(mutation.target);
			else for (const added of Array.from(mutation.addedNodes)) translateNode(added);
		}
	});
	for (const root of roots)
		observer.observe(root, {
			subtree: true,
			childList: true,
			characterData: true,
			attributes: true,
			attributeFilter: [...translatedAttributes],
		});
	return () => observer.disconnect();
}
