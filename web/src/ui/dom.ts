/** Attributes and listeners of {@link h}: `on*` functions become listeners, the rest attributes. */
export type Props = Record<string, string | number | boolean | null | undefined | EventListener>;
/** What {@link h} accepts as children. */
export type Child = Node | string | null | undefined | false | Child[];

/**
 * Creates an element: `h("button", { class: "btn", onclick: go }, t("app.retry"))`. Strings become text
 * nodes (never HTML), so nothing from the server can inject markup.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
	tag: K,
	props: Props = {},
	...children: Child[]
): HTMLElementTagNameMap[K] {
	const element = document.createElement(tag);
	for (const [name, value] of Object.entries(props)) {
		if (value === undefined || value === null || value === false) continue;
		if (typeof value === "function") element.addEventListener(name.slice(2).toLowerCase(), value);
		else if (value === true) element.setAttribute(name, "");
		else element.setAttribute(name, String(value));
	}
	append(element, children);
	return element;
}

function append(parent: Node, children: Child[]): void {
	for (const child of children) {
		if (child === null || child === undefined || child === false) continue;
		if (Array.isArray(child)) append(parent, child);
		else parent.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
	}
}

/**
 * An identifier (case number, task key, phone) isolated from the surrounding text direction, so that
 * `RUH-OLY-1447-000153-9` or `+966 50 123 4567` never reorders inside Arabic text.
 */
export function bdi(text: string, className = "id"): HTMLElement {
	return h("bdi", { class: className, dir: "ltr" }, text);
}

/** Replaces the children of `parent`. */
export function replace(parent: Element, ...children: Child[]): void {
	parent.replaceChildren();
	append(parent, children);
}
