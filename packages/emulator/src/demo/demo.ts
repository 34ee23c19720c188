// The live demo: a seeded history of finished rollouts, plus a few rollouts in progress that move on
// with time (predeploy → deploy → verify → postdeploy, phase by phase), succeed or fail, and are
// replaced by new ones, so that there is always something IN_PROGRESS. Everything random comes from
// one seeded generator, and every step is told its time (`tick(atMs)`) instead of reading a clock: the
// ticker (ticker.ts) replays missed ticks at their own times, so a seed and a sequence of clock times
// give the same world whether ticks ran on timers or were caught up later.

import { ApiError, type JobRun, JobRun_State, type RolloutNameParts } from "@jobrun/core";
import {
  DEMO_PROJECT,
  type PipelineSpec,
  type PlannedJob,
  pipelines,
  planRollout,
  type TargetSpec,
} from "./catalog.js";
import { buildJobRun, drawFailure, type RunContext, withOutcome } from "./job-run-factory.js";
import { createRandom } from "./random.js";

/** Options of the demo world (EmulatorOptions.demo). */
export interface DemoOptions {
  /** Seed of every random choice; default EmulatorOptions.seed, else 1. */
  readonly seed?: number;
  /** Rollouts in progress at any time. Default 3. */
  readonly activeRollouts?: number;
  /** Finished releases generated per pipeline as history. Default 4. */
  readonly historyReleases?: number;
  /** How often the world moves, in ms of clock time. Default 1000. */
  readonly tickMs?: number;
  /**
   * The most ticks one catch-up replays (default 3600: an hour at the default tickMs). When the world
   * was not looked at for longer (a Worker isolate idle overnight), the older part of the gap is skipped
   * (see ticker.ts), so no call waits for hours of simulation.
   */
  readonly maxCatchUpTicks?: number;
  /** Shortest and longest live job, in ms. Default [8000, 40000]. */
  readonly jobDurationMs?: readonly [number, number];
  /** Probability that a live job fails. Default 0.1. */
  readonly failureRate?: number;
}

/** What the demo needs from the emulator: reading a run, and writing one (which notifies). */
export interface DemoHost {
  get(name: string): JobRun | undefined;
  write(run: JobRun): JobRun;
}

/** The seeded world's moving part. The ticker decides when `tick` runs; the demo owns no timer. */
export interface Demo {
  readonly tickMs: number;
  readonly maxCatchUpTicks: number;
  /** One step of the world at `atMs`: finished jobs end, the next job or a new rollout starts. */
  tick(atMs: number): void;
  /**
   * The earliest time a tick has anything to do on its own (a running job's end), if any. Ticks before
   * it change nothing and draw no random numbers, so the ticker may skip them without changing the
   * world; changes from outside (terminate, import) are reported to the ticker separately.
   */
  nextDeadlineMs(): number | undefined;
}

interface ActiveRollout {
  readonly context: RunContext;
  readonly plan: readonly PlannedJob[];
  index: number;
  runName: string;
  endsAtMs: number;
}

const HOUR = 3_600_000;

/** Seeds the world into `host` as of `seedMs`; `tick` makes it move. */
export function createDemo(host: DemoHost, options: DemoOptions & { seed: number }, seedMs: number): Demo {
  const random = createRandom(options.seed);
  const activeCount = options.activeRollouts ?? 3;
  const tickMs = options.tickMs ?? 1000;
  const maxCatchUpTicks = options.maxCatchUpTicks ?? 3600;
  // Ticks lie on a grid of tickMs and catch-up is bounded in ticks: both need positive numbers.
  if (!(Number.isFinite(tickMs) && tickMs > 0)) {
    throw new ApiError("INVALID_ARGUMENT", `demo.tickMs must be a positive number, got ${tickMs}`);
  }
  if (!(Number.isInteger(maxCatchUpTicks) && maxCatchUpTicks > 0)) {
    throw new ApiError(
      "INVALID_ARGUMENT",
      `demo.maxCatchUpTicks must be a positive integer, got ${maxCatchUpTicks}`,
    );
  }
  const [minJobMs, maxJobMs] = options.jobDurationMs ?? [8000, 40000];
  const failureRate = options.failureRate ?? 0.1;
  const nextRelease = new Map<string, number>();
  const active: ActiveRollout[] = [];

  function contextFor(pipeline: PipelineSpec, target: TargetSpec, release: string): RunContext {
    const rollout: RolloutNameParts = {
      project: DEMO_PROJECT,
      location: pipeline.location,
      deliveryPipeline: pipeline.id,
      release,
      rollout: `${release}-to-${target.id}-0001`,
    };
    return { rollout, pipeline, targetId: target.id };
  }

  function takeRelease(pipeline: PipelineSpec): string {
    const number = (nextRelease.get(pipeline.id) ?? 0) + 1;
    nextRelease.set(pipeline.id, number);
    return `rel-${String(number).padStart(3, "0")}`;
  }

  /** A finished rollout in the past: every job ran to its end; a failure or termination stops it. */
  function seedFinishedRollout(
    context: RunContext,
    target: TargetSpec,
    startMs: number,
  ): { endMs: number; ok: boolean } {
    let t = startMs;
    for (const job of planRollout(context.pipeline, target)) {
      const createMs = t;
      const begin = createMs + random.int(1000, 5000);
      const end = begin + random.int(20_000, 240_000);
      const roll = random.next();
      const state =
        roll < 0.85 ? JobRun_State.SUCCEEDED : roll < 0.97 ? JobRun_State.FAILED : JobRun_State.TERMINATED;
      const failure = state === JobRun_State.FAILED ? drawFailure(random, job.kind) : undefined;
      host.write(buildJobRun(random, context, job, state, { createMs, startMs: begin, endMs: end }, failure));
      t = end + random.int(2000, 20_000);
      if (state !== JobRun_State.SUCCEEDED) return { endMs: t, ok: false };
    }
    return { endMs: t, ok: true };
  }

  function seedHistory(): void {
    const releases = options.historyReleases ?? 4;
    for (const pipeline of pipelines) {
      for (let r = 0; r < releases; r++) {
        const release = takeRelease(pipeline);
        let t = seedMs - (releases - r) * 8 * HOUR - random.int(0, 2 * HOUR);
        for (const target of pipeline.targets) {
          const { endMs, ok } = seedFinishedRollout(contextFor(pipeline, target, release), target, t);
          if (!ok) break;
          t = endMs + random.int(5 * 60_000, 60 * 60_000);
        }
      }
    }
  }

  /** Starts job `index` of a rollout at `atMs` (or, while seeding, `elapsedMs` before it). */
  function startJob(rollout: ActiveRollout, atMs: number, elapsedMs = 0): void {
    const job = rollout.plan[rollout.index]!;
    const startMs = atMs - elapsedMs;
    const duration = random.int(minJobMs, maxJobMs);
    const run = buildJobRun(random, rollout.context, job, JobRun_State.IN_PROGRESS, {
      createMs: startMs - 1000,
      startMs,
    });
    host.write(run);
    rollout.runName = run.name;
    rollout.endsAtMs = startMs + Math.max(duration, elapsedMs + 1000);
  }

  function startRollout(atMs: number, seeding: boolean): void {
    const pipeline = random.pick(pipelines);
    const target = random.pick(pipeline.targets);
    const context = contextFor(pipeline, target, takeRelease(pipeline));
    const plan = planRollout(pipeline, target);
    const rollout: ActiveRollout = { context, plan, index: 0, runName: "", endsAtMs: 0 };
    if (seeding) {
      // Join the rollout part-way: earlier jobs already succeeded a little while ago.
      rollout.index = random.int(0, plan.length - 1);
      let t = atMs - (rollout.index + 1) * 90_000;
      for (let i = 0; i < rollout.index; i++) {
        const begin = t + 2000;
        const end = begin + random.int(20_000, 80_000);
        host.write(
          buildJobRun(random, context, plan[i]!, JobRun_State.SUCCEEDED, {
            createMs: t,
            startMs: begin,
            endMs: end,
          }),
        );
        t = end + 3000;
      }
      startJob(rollout, atMs, random.int(1000, minJobMs));
    } else {
      startJob(rollout, atMs);
    }
    active.push(rollout);
  }

  function retire(rollout: ActiveRollout, atMs: number): void {
    active.splice(active.indexOf(rollout), 1);
    startRollout(atMs, false);
  }

  function tick(t: number): void {
    for (const rollout of [...active]) {
      const run = host.get(rollout.runName);
      // Terminated (or replaced by an import): the rollout stops here; a new one takes its place.
      if (run === undefined || run.state !== JobRun_State.IN_PROGRESS) {
        retire(rollout, t);
        continue;
      }
      if (t < rollout.endsAtMs) continue;
      const job = rollout.plan[rollout.index]!;
      // Now and then someone terminates a job by hand, as people do.
      if (random.chance(0.03)) {
        host.write(withOutcome(run, JobRun_State.TERMINATED, t));
        retire(rollout, t);
        continue;
      }
      if (random.chance(failureRate)) {
        host.write(withOutcome(run, JobRun_State.FAILED, t, drawFailure(random, job.kind)));
        retire(rollout, t);
        continue;
      }
      host.write(withOutcome(run, JobRun_State.SUCCEEDED, t));
      rollout.index++;
      if (rollout.index < rollout.plan.length) startJob(rollout, t);
      else retire(rollout, t);
    }
  }

  seedHistory();
  for (let i = 0; i < activeCount; i++) startRollout(seedMs, true);

  return {
    tickMs,
    maxCatchUpTicks,
    tick,
    nextDeadlineMs() {
      let earliest: number | undefined;
      for (const rollout of active) {
        if (earliest === undefined || rollout.endsAtMs < earliest) earliest = rollout.endsAtMs;
      }
      return earliest;
    },
  };
}
