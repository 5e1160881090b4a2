/**
 * A PostgreSQL array literal (`{"a","b"}`) for a text[] parameter: MikroORM's raw `execute` inlines JS arrays as
 * comma lists, so arrays go in as one escaped string and the SQL casts it with `?::text[]`.
 */
export function textArray(values: readonly string[]): string {
	return `{${values.map((value) => `"${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`).join(",")}}`;
}
