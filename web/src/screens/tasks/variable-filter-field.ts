import { t } from "../../i18n/i18n";
import { parseVariableFilters } from "../../ui/variable-filters";

/**
 * Makes a `name=value; …` input refuse malformed conditions the way the browser refuses any invalid field: the
 * form cannot be submitted and the field says why.
 */
export function checkVariableFilters(input: HTMLInputElement): HTMLInputElement {
	const check = () => {
		try {
			parseVariableFilters(input.value);
			input.setCustomValidity("");
			input.removeAttribute("aria-invalid");
		} catch (error) {
			input.setCustomValidity(t("filter.invalidVariables", { reason: (error as Error).message }));
			input.setAttribute("aria-invalid", "true");
		}
	};
	input.addEventListener("input", check);
	return input;
}
