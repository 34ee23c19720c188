// @jobrun/core/server: the serving side of the REST surface, for a server that answers Cloud Deploy's
// REST requests (@jobrun/proxy, a test double of Google). A separate entry because a client never
// needs it: the main entry stays what a browser or Worker calling the API pays for. The route table
// itself (`routes`, `watchRoutes`, `routeOf`) is in the main entry: the client builds its requests
// from it.

export {
  ALL_FIELDS,
  checkFieldSelection,
  type FieldSelection,
  type FieldSelectionNode,
  parseFieldSelection,
  selectFields,
} from "./rest/field-selection.js";
export { matchRoute, matchTemplate, type RouteMatch } from "./rest/match-route.js";
export { type ParseHttpRequestOptions, parseHttpRequest } from "./rest/parse-http-request.js";
export {
  type AltFormat,
  DEFAULT_SYSTEM_PARAMETERS,
  readSystemParameters,
  SYSTEM_QUERY_PARAMETERS,
  type SystemParameterName,
  type SystemParameters,
  systemParameterName,
} from "./rest/system-parameters.js";
