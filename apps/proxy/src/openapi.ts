// The OpenAPI 3.1 description of the proxy, generated from core's route table and the schema's
// message descriptors: a field or route added to the proto appears here with no edit.

import type { DescEnum, DescField, DescMessage } from "@bufbuild/protobuf";
import { type AnyMethodName, type Route, routes, watchRoutes } from "@jobrun/core";

type JsonSchema = Record<string, unknown>;

/** The OpenAPI document, as a plain object (serve it with JSON.stringify). */
export function openApiDocument(): Record<string, unknown> {
  const schemas: Record<string, JsonSchema> = { "google.rpc.Status": statusSchema() };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of [...routes, ...watchRoutes]) {
    const { path, parameters, pathFields } = openApiPath(route);
    const streaming = route.policy.streaming;
    const operation: Record<string, unknown> = {
      operationId: route.rpc,
      summary: `${route.descriptor.parent.typeName}.${route.rpc}`,
      parameters: [
        ...parameters,
        ...queryParameters(route, pathFields, schemas),
        ...(streaming ? [LAST_EVENT_ID, ...STREAM_SYSTEM_PARAMETERS] : SYSTEM_PARAMETERS),
      ],
      responses: {
        "200": streaming
          ? eventStreamResponse(route, schemas)
          : {
              description: route.output.typeName,
              content: {
                "application/json": { schema: refTo(route.output, schemas) },
                // alt=proto: the binary protobuf of the same message.
                "application/x-protobuf": {
                  schema: { type: "string", contentMediaType: "application/x-protobuf" },
                },
              },
            },
        default: {
          description: "A google.rpc.Status error",
          content: { "application/json": { schema: { $ref: "#/components/schemas/google.rpc.Status" } } },
        },
      },
    };
    if (route.body === "*") {
      operation.requestBody = {
        required: false,
        content: { "application/json": { schema: messageSchema(route.input, schemas, pathFields) } },
      };
    }
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "jobrun proxy: Cloud Deploy JobRuns",
      version: "v1",
      description: "The Cloud Deploy v1 JobRun REST surface, as served by @jobrun/proxy (proto3 JSON).",
    },
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "An API key (jrp_…) or a JWT" },
        apiKey: { type: "apiKey", in: "header", name: "x-goog-api-key" },
      },
    },
    security: [{ bearer: [] }, { apiKey: [] }],
  };
}

/**
 * A streaming method's answer: Server-Sent Events, one event per response, its `data:` the response
 * in proto3 JSON on one line and its `id:` a resume token for Last-Event-ID.
 */
function eventStreamResponse(route: Route<AnyMethodName>, schemas: Record<string, JsonSchema>) {
  return {
    description:
      `A stream of ${route.output.typeName}, as Server-Sent Events: each event's data is one response in ` +
      "proto3 JSON, its id a resume token to send back as Last-Event-ID; a comment line is a heartbeat.",
    content: {
      "text/event-stream": {
        schema: { type: "string" },
        // OpenAPI 3.1 cannot type the events of a stream (3.2 adds itemSchema): the data schema rides
        // in an extension.
        "x-event-data": refTo(route.output, schemas),
      },
    },
  };
}

/** `/v1/{name=projects/*\/…}` → `/v1/projects/{project}/…`: one OpenAPI parameter per `*` segment. */
function openApiPath(route: Route<AnyMethodName>) {
  const parts: string[] = [];
  const parameters: Record<string, unknown>[] = [];
  const pathFields = new Set<string>();
  for (const segment of route.template.segments) {
    if (segment.kind === "literal") {
      parts.push(segment.value);
      continue;
    }
    pathFields.add(segment.field);
    segment.pattern.forEach((part, i) => {
      if (part !== "*") {
        parts.push(part);
        return;
      }
      // The variable is named after the collection before it: projects/* → {project}.
      const collection = segment.pattern[i - 1] ?? segment.field;
      const name = collection.endsWith("s") ? collection.slice(0, -1) : `${collection}Id`;
      parts.push(`{${name}}`);
      parameters.push({
        name,
        in: "path",
        required: true,
        description: `Segment of ${segment.field} (${segment.pattern.join("/")})`,
        schema: { type: "string", pattern: "^[A-Za-z0-9._~:-]{1,63}$" },
      });
    });
  }
  const verb = route.template.verb === "" ? "" : `:${route.template.verb}`;
  return { path: `/${parts.join("/")}${verb}`, parameters, pathFields };
}

function queryParameters(
  route: Route<AnyMethodName>,
  pathFields: Set<string>,
  schemas: Record<string, JsonSchema>,
) {
  if (route.body === "*") return [];
  return route.input.fields
    .filter((field) => !pathFields.has(field.name))
    .map((field) => ({
      name: field.jsonName,
      in: "query",
      required: false,
      schema: fieldSchema(field, schemas),
    }));
}

/** Google's system parameters the proxy serves on every method (see the README's table). */
const SYSTEM_PARAMETERS = [
  {
    name: "$alt",
    description: '"json;enum-encoding=int" returns enums as numbers (as Google\'s generated clients ask)',
    schema: { type: "string" },
  },
  {
    name: "alt",
    description: '"json" (default) or "proto" (the binary protobuf, application/x-protobuf)',
    schema: { type: "string", enum: ["json", "proto"] },
  },
  {
    name: "fields",
    description: 'a partial response, in Google\'s syntax: "name,state", "jobRuns(name,state),nextPageToken"',
    schema: { type: "string" },
  },
  {
    name: "prettyPrint",
    description: "indented JSON (Google's default); false for compact output",
    schema: { type: "boolean", default: true },
  },
  {
    name: "$.xgafv",
    description: 'the error format: "2" (default) or "1", which adds the legacy errors array',
    schema: { type: "string", enum: ["1", "2"] },
  },
  {
    name: "quotaUser",
    description: "whom to count the call against within the project's quota (forwarded to Google)",
    schema: { type: "string" },
  },
].map((parameter) => ({ ...parameter, in: "query", required: false }));

/**
 * The system parameters a stream serves: its events are always compact proto3 JSON, so `alt`,
 * `fields` and `prettyPrint` do not apply (alt=proto and fields are refused).
 */
const STREAM_SYSTEM_PARAMETERS = SYSTEM_PARAMETERS.filter(
  (parameter) => parameter.name !== "alt" && parameter.name !== "fields" && parameter.name !== "prettyPrint",
);

/** The header an EventSource sends when it reconnects: the id of the last event it got. */
const LAST_EVENT_ID = {
  name: "Last-Event-ID",
  in: "header",
  required: false,
  description: "Resume after this event: what was missed is replayed, or the initial state sent again",
  schema: { type: "string" },
};

function refTo(message: DescMessage, schemas: Record<string, JsonSchema>): JsonSchema {
  if (!(message.typeName in schemas)) {
    schemas[message.typeName] = {}; // placeholder first: messages may refer to themselves
    schemas[message.typeName] = messageSchema(message, schemas, new Set());
  }
  return { $ref: `#/components/schemas/${message.typeName}` };
}

function messageSchema(
  message: DescMessage,
  schemas: Record<string, JsonSchema>,
  skip: Set<string>,
): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const field of message.fields) {
    if (skip.has(field.name)) continue;
    properties[field.jsonName] = fieldSchema(field, schemas);
  }
  return { type: "object", title: message.name, properties, additionalProperties: false };
}

function fieldSchema(field: DescField, schemas: Record<string, JsonSchema>): JsonSchema {
  switch (field.fieldKind) {
    case "scalar":
      return scalarSchema(field.scalar);
    case "enum":
      return enumSchema(field.enum);
    case "message":
      return messageRef(field.message, schemas);
    case "list":
      return { type: "array", items: elementSchema(field, schemas) };
    case "map":
      return { type: "object", additionalProperties: elementSchema(field, schemas) };
  }
}

/** The schema of one item of a list, or of one value of a map. */
function elementSchema(
  field: DescField & { fieldKind: "list" | "map" },
  schemas: Record<string, JsonSchema>,
): JsonSchema {
  if (field.scalar !== undefined) return scalarSchema(field.scalar);
  if (field.enum !== undefined) return enumSchema(field.enum);
  return messageRef(field.message!, schemas);
}

function messageRef(message: DescMessage, schemas: Record<string, JsonSchema>): JsonSchema {
  if (message.typeName === "google.protobuf.Timestamp") return { type: "string", format: "date-time" };
  return refTo(message, schemas);
}

function enumSchema(desc: DescEnum): JsonSchema {
  return {
    title: desc.typeName,
    oneOf: [
      { type: "string", enum: desc.values.map((v) => v.name) },
      { type: "integer", enum: desc.values.map((v) => v.number) },
    ],
  };
}

// ScalarType numbers of protobuf-es (descriptor.proto's FieldDescriptorProto.Type).
function scalarSchema(scalar: number): JsonSchema {
  switch (scalar) {
    case 1: // double
    case 2: // float
      return { type: "number" };
    case 3: // int64
    case 4: // uint64
    case 6: // fixed64
    case 16: // sfixed64
    case 18: // sint64
      return { type: "string", format: "int64" };
    case 5: // int32
    case 7: // fixed32
    case 13: // uint32
    case 15: // sfixed32
    case 17: // sint32
      return { type: "integer", format: "int32" };
    case 8:
      return { type: "boolean" };
    case 12:
      return { type: "string", contentEncoding: "base64" };
    default:
      return { type: "string" };
  }
}

function statusSchema(): JsonSchema {
  return {
    type: "object",
    properties: {
      error: {
        type: "object",
        properties: {
          code: { type: "integer", description: "The HTTP status" },
          message: { type: "string" },
          status: { type: "string", description: "The google.rpc.Code name" },
          details: { type: "array", items: { type: "object", properties: { "@type": { type: "string" } } } },
        },
        required: ["code", "message", "status"],
      },
    },
    required: ["error"],
  };
}
