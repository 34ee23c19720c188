// The load generator, in its own process: autocannon's work (building requests, parsing answers)
// then never shares an event loop or a core's time slice with a server it measures. The parent sends
// one job at a time over IPC, `{ url, connections, durationS }`, and gets back what autocannon counted.
import autocannon from "autocannon";

process.on("message", (job) => {
  autocannon(
    { url: job.url, connections: job.connections, duration: job.durationS, pipelining: 1 },
    (error, result) => {
      if (error) {
        process.send?.({ error: error.message });
        return;
      }
      process.send?.({
        requests: result.requests.total,
        durationS: result.duration,
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        latencyP50Ms: result.latency.p50,
        latencyP99Ms: result.latency.p99,
      });
    },
  );
});
process.on("disconnect", () => process.exit(0));
