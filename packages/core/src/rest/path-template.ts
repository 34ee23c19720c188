// google.api.http path templates (the subset Google's APIs use):
//   Template = "/" Segments [ ":" Verb ]
//   Segment  = "*" | LITERAL | "{" FieldPath [ "=" Segments ] "}"
// e.g. "/v1/{name=projects/*/locations/*}:terminate".

/** A literal segment, or a variable that spans one or more segments of its own pattern. */
export type TemplateSegment =
  | { readonly kind: "literal"; readonly value: string }
  | { readonly kind: "variable"; readonly field: string; readonly pattern: readonly string[] };

export interface PathTemplate {
  readonly source: string;
  readonly segments: readonly TemplateSegment[];
  /** The custom verb after the last `:`, e.g. "terminate"; "" when there is none. */
  readonly verb: string;
}

/** Parses a path template; throws on syntax it does not support (a bug in the schema, not in input). */
export function parsePathTemplate(source: string): PathTemplate {
  if (!source.startsWith("/")) throw new Error(`path template must start with "/": ${source}`);
  let rest = source.slice(1);
  let verb = "";
  const lastBrace = rest.lastIndexOf("}");
  const colon = rest.indexOf(":", lastBrace + 1);
  if (colon >= 0) {
    verb = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const segments: TemplateSegment[] = [];
  const tokens = rest.match(/\{[^}]*\}|[^/]+/g) ?? [];
  for (const token of tokens) {
    if (token.startsWith("{")) {
      const [field, pattern = "*"] = token.slice(1, -1).split("=");
      if (field === undefined || field === "")
        throw new Error(`path template has an empty variable: ${source}`);
      const parts = pattern.split("/");
      if (parts.some((p) => p === "**"))
        throw new Error(`path template uses "**", which is not supported: ${source}`);
      segments.push({ kind: "variable", field, pattern: parts });
    } else {
      if (token === "*" || token === "**")
        throw new Error(`path template has an unnamed wildcard: ${source}`);
      segments.push({ kind: "literal", value: token });
    }
  }
  return { source, segments, verb };
}
