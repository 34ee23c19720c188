// An esbuild plugin for the `jobrun` binary (scripts/bundle-cli.mjs).
import { sourcePatch } from "./source-patch.mjs";

/**
 * The files whose descriptors import the google/api option files, with the imports the binary keeps.
 * google/api/annotations.proto stays: it declares `google.api.http`, which @jobrun/core's route table
 * reads (the client builds its requests from it).
 */
const FILES = [
  {
    file: /[\\/]core[\\/]dist[\\/]gen[\\/]google[\\/]cloud[\\/]deploy[\\/]v1[\\/]jobrun_pb\.js$/,
    imports:
      "[file_google_api_annotations, file_google_api_client, file_google_api_field_behavior, file_google_api_resource, file_google_protobuf_timestamp]",
    kept: "[file_google_api_annotations, file_google_protobuf_timestamp]",
  },
  {
    file: /[\\/]core[\\/]dist[\\/]gen[\\/]jobrun[\\/]v1[\\/]watch_pb\.js$/,
    imports:
      "[file_google_api_annotations, file_google_api_field_behavior, file_google_api_resource, file_google_cloud_deploy_v1_jobrun]",
    kept: "[file_google_api_annotations, file_google_cloud_deploy_v1_jobrun]",
  },
];

/** The import lines of the option files the binary does not hydrate. */
const UNREAD = /^import \{ file_google_api_(client|field_behavior|resource) \} from "[^"]+";$/gm;

/**
 * @jobrun/core's generated descriptors hydrate every file they import as they load: for the JobRun
 * and watch files that includes google/api/client.proto, field_behavior.proto and resource.proto,
 * imported only for options (default host, OAuth scopes, method signatures, OUTPUT_ONLY, resource
 * patterns) that nothing in the binary reads. Hydrating them was about 1% of the main thread's
 * instructions to the first frame. In the binary, the two files are given only the imports whose
 * types or extensions are used (timestamp.proto, annotations.proto for `google.api.http`); the
 * options themselves stay in the descriptors as they were (unread extensions are kept as unknown
 * fields), and messages, enums, services, JSON and binary forms are the same
 * (test/api-options-unread.test.ts compares them). The library entry (dist/index.js) is untouched.
 * The build fails if the generated code no longer looks as expected.
 */
export function apiOptionsUnread() {
  return sourcePatch(
    "api-options-unread",
    FILES.map(({ file, imports, kept }) => ({
      file,
      patch(source, path) {
        if (source.split(imports).length !== 2) {
          throw new Error(`${path} no longer imports ${imports}: review apiOptionsUnread`);
        }
        return source.replace(imports, kept).replace(UNREAD, "");
      },
    })),
  );
}
