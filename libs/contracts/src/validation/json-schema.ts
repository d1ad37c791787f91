/** A JSON Schema (draft 2020-12) node, kept as plain data so it serializes as written. */
export type JsonSchema = { [keyword: string]: unknown };
