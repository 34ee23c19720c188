// The workload of list-through-proxy.ts, bundled twice (with the client's JSON reader and without)
// and run in a process of its own: list every run through the proxy, page by page, with the real
// client. Prints one JSON line: the runs seen and, per listing, wall and CPU milliseconds.
import { createJobRunsClient, staticToken } from "../src/index.js";

const [endpoint, pageSizeText, listingsText] = process.argv.slice(2);
const client = createJobRunsClient({ endpoint: endpoint!, retry: false, auth: staticToken("bench") });
const parent = "projects/demo-project/locations/-/deliveryPipelines/-/releases/-/rollouts/-";

async function listAll(): Promise<number> {
  let count = 0;
  for await (const _run of client.listAllJobRuns({ parent, pageSize: Number(pageSizeText) })) count += 1;
  return count;
}

const runs = await listAll(); // warm-up: JIT, connections
const listings: { wallMs: number; cpuMs: number }[] = [];
for (let i = 0; i < Number(listingsText); i += 1) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  if ((await listAll()) !== runs) throw new Error("the number of runs changed between listings");
  const used = process.cpuUsage(cpu);
  listings.push({ wallMs: performance.now() - start, cpuMs: (used.user + used.system) / 1000 });
}
console.log(JSON.stringify({ runs, listings }));
