// Preloaded (`node --require`) by bench/run.ts into the process it times: writes the process's
// own start, `performance.timeOrigin` (epoch ms, high resolution, taken by Node as it starts), to
// the file named by JOBRUN_BENCH_ORIGIN_FILE. The harness then times the first frame from that
// start instead of from its own spawn of `script`, `sh` and `stty`, which are not the process's
// time. CommonJS and synchronous so it costs about nothing (run.ts measures that too).
"use strict";
const file = process.env.JOBRUN_BENCH_ORIGIN_FILE;
// The pid too: the harness stops this process itself (`script` puts it in a session of its own).
if (file) require("node:fs").writeFileSync(file, `${performance.timeOrigin} ${process.pid}`);
