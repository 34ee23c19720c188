// Run by `pnpm generate` after `buf generate`: the generated descriptors stop hydrating the google/api
// files that jobrun's protos import only for options nothing reads at runtime.
//
// jobrun.proto and watch.proto import google/api/client.proto, field_behavior.proto and
// resource.proto for options: the default host, OAuth scopes and method signatures, OUTPUT_ONLY and
// REQUIRED, resource patterns. They document the API (and buf lints them), but no code of ours reads
// them: only `google.api.http` (annotations.proto), which core's route table reads. Yet each generated
// file hydrates every file it imports as it loads, and client.proto alone is a sizeable descriptor
// (with launch_stage.proto behind it): 4.1 KB of the 44.9 KB gzip of core's whole entry, and about
// 1% of the TUI's start before its first frame.
//
// So the generated files are given only the imports whose types or extensions code uses. The options
// stay in the descriptors as written: protobuf-es keeps an extension it has no declaration for as an
// unknown field of the options, where `getOption` with that extension still reads it
// (test/option-files.test.ts). Messages, enums and services are described by the same bytes as before,
// so their JSON and binary forms cannot change (the codec, proto-compat and conformance tests run on
// these descriptors). Anything unexpected (the imports missing, another generated file importing one
// of them) fails the generation, to be reviewed here.

import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const gen = fileURLToPath(new URL("../src/gen/", import.meta.url));

/** The google/api files imported only for options, as generated (launch_stage: client.proto's import). */
const UNREAD = ["client", "field_behavior", "resource", "launch_stage"];
/** The generated files that import them. */
const IMPORTERS = ["google/cloud/deploy/v1/jobrun_pb.ts", "jobrun/v1/watch_pb.ts"];

for (const file of IMPORTERS) {
  const path = join(gen, file);
  let source = await readFile(path, "utf8");
  let dropped = 0;
  for (const name of UNREAD) {
    const symbol = `file_google_api_${name}`;
    const importLine = new RegExp(`^import \\{ ${symbol} \\} from "\\.[^"]*/api/${name}_pb\\.js";\\n`, "m");
    if (!importLine.test(source)) continue;
    // The import, and the file's entry in the dependency list given to fileDesc().
    source = source.replace(importLine, "");
    const inList = new RegExp(`(\\[|, )${symbol}(?=[,\\]])(, )?`);
    if (!inList.test(source)) throw new Error(`${file}: ${symbol} is imported but not in fileDesc()'s list`);
    source = source.replace(inList, (_, before, after) =>
      before === "[" ? "[" : after === undefined ? "" : ", ",
    );
    dropped += 1;
  }
  if (dropped === 0) throw new Error(`${file} imports none of the unread option files: review this script`);
  for (const name of UNREAD) {
    if (source.includes(`file_google_api_${name}`)) throw new Error(`${file} still refers to ${name}.proto`);
  }
  await writeFile(path, source);
}

// Nothing else of the generated code may import them: they stay generated (and built) for code that
// reads those options on purpose, as test/proto-compat.test.ts does to compare them with Google's proto.
const sources = await readdir(gen, { recursive: true });
for (const file of sources.filter((f) => f.endsWith("_pb.ts") && !f.startsWith(join("google", "api")))) {
  const source = await readFile(join(gen, file), "utf8");
  for (const name of UNREAD) {
    if (source.includes(`/api/${name}_pb.js"`)) {
      throw new Error(`${file} imports google/api/${name}.proto: review scripts/unread-option-files.mjs`);
    }
  }
}
