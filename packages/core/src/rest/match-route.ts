import { ApiError } from "../errors/api-error.js";
import type { AnyMethodName, MethodName } from "../rpc/methods.js";
import { quote } from "../text/truncate.js";
import type { PathTemplate } from "./path-template.js";
import { type Route, routes } from "./route-table.js";

/** What a request's method and path resolve to (`RouteMatch<WatchMethodName>` for the watch routes). */
export type RouteMatch<M extends AnyMethodName = MethodName> =
  | { readonly kind: "match"; readonly route: Route<M>; readonly params: Readonly<Record<string, string>> }
  /** The path is a route's, the method is not: answer 405 with `allow`. */
  | { readonly kind: "method-not-allowed"; readonly allow: readonly string[] }
  | { readonly kind: "not-found" };

/**
 * Resolves a request to a route. `path` is the raw, still percent-encoded URL path (no query).
 * Each segment is decoded on its own, so an encoded `/` (`%2F`) can never split or join segments:
 * a segment that decodes to contain `/`, a dot segment, an empty segment or malformed
 * percent-encoding is refused with an INVALID_ARGUMENT ApiError.
 * `table` is the unary `routes` unless given (`watchRoutes` to match the watch).
 */
export function matchRoute<M extends AnyMethodName = MethodName>(
  method: string,
  path: string,
  table: readonly Route<M>[] = routes as readonly Route<M>[],
): RouteMatch<M> {
  const upper = method.toUpperCase();
  const allow: string[] = [];
  for (const route of table) {
    const params = matchTemplate(route.template, path);
    if (params === undefined) continue;
    if (route.method === upper) return { kind: "match", route, params };
    allow.push(route.method);
  }
  return allow.length > 0 ? { kind: "method-not-allowed", allow } : { kind: "not-found" };
}

/** Matches a raw path against one template; the variables are returned decoded and joined by "/". */
export function matchTemplate(template: PathTemplate, path: string): Record<string, string> | undefined {
  if (!path.startsWith("/")) return undefined;
  let rest = path.slice(1);
  const lastSlash = rest.lastIndexOf("/");
  const colon = rest.indexOf(":", lastSlash + 1);
  const verb = colon >= 0 ? rest.slice(colon + 1) : "";
  if (verb !== template.verb) return undefined;
  if (colon >= 0) rest = rest.slice(0, colon);
  const raw = rest.split("/");
  const params: Record<string, string> = {};
  let i = 0;
  for (const segment of template.segments) {
    if (segment.kind === "literal") {
      if (raw[i] !== segment.value) return undefined;
      i += 1;
      continue;
    }
    const values: string[] = [];
    for (const expected of segment.pattern) {
      const encoded = raw[i];
      if (encoded === undefined) return undefined;
      if (expected === "*") {
        values.push(decodeSegment(encoded, path));
      } else if (encoded !== expected) {
        return undefined;
      } else {
        values.push(expected);
      }
      i += 1;
    }
    params[segment.field] = values.join("/");
  }
  return i === raw.length ? params : undefined;
}

function decodeSegment(encoded: string, path: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(encoded);
  } catch (cause) {
    throw new ApiError(
      "INVALID_ARGUMENT",
      `malformed percent-encoding in path segment ${JSON.stringify(encoded)}`,
      {
        cause,
      },
    );
  }
  if (decoded === "") throw new ApiError("INVALID_ARGUMENT", `empty path segment in ${quote(path, 200)}`);
  if (decoded === "." || decoded === "..") {
    throw new ApiError("INVALID_ARGUMENT", `dot segment ${JSON.stringify(encoded)} in the path`);
  }
  if (decoded.includes("/")) {
    throw new ApiError("INVALID_ARGUMENT", `path segment ${JSON.stringify(encoded)} encodes a "/"`);
  }
  return decoded;
}
