// The live demo: a seeded history of finished rollouts, plus a few rollouts in progress that move on
// with the clock (predeploy → deploy → verify → postdeploy, phase by phase), succeed or fail, and are
// replaced by new ones, so that there is always something IN_PROGRESS. Everything random comes from
// one seeded generator and all time from the injected clock, so a seed and a manual clock replay the
// same world exactly.

import { type JobRun, JobRun_State, type RolloutNameParts } from "@jobrun/core";
import type { Clock } from "../clock.js";
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
  /** Shortest and longest live job, in ms. Default [8000, 40000]. */
  readonly jobDurationMs?: readonly [number, number];
  /** Probability that a live job fails. Default 0.1. */
  readonly failureRate?: number;
}

/** What the demo needs from the emulator: time, reading a run, and writing one (which notifies). */
export interface DemoHost {
  readonly clock: Clock;
  get(name: string): JobRun | undefined;
  write(run: JobRun): JobRun;
}

export interface Demo {
  start(): void;
  stop(): void;
}

interface ActiveRollout {
  readonly context: RunContext;
  readonly plan: readonly PlannedJob[];
  index: number;
  runName: string;
  endsAtMs: number;
}

const HOUR = 3_600_000;

/** Seeds the world into `host` at once; `start()` makes it move. */
export function createDemo(host: DemoHost, options: DemoOptions & { seed: number }): Demo {
  const random = createRandom(options.seed);
  const activeCount = options.activeRollouts ?? 3;
  const tickMs = options.tickMs ?? 1000;
  const [minJobMs, maxJobMs] = options.jobDurationMs ?? [8000, 40000];
  const failureRate = options.failureRate ?? 0.1;
  const nextRelease = new Map<string, number>();
  const active: ActiveRollout[] = [];
  let timer: unknown;

  const now = () => host.clock.now();

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
        let t = now() - (releases - r) * 8 * HOUR - random.int(0, 2 * HOUR);
        for (const target of pipeline.targets) {
          const { endMs, ok } = seedFinishedRollout(contextFor(pipeline, target, release), target, t);
          if (!ok) break;
          t = endMs + random.int(5 * 60_000, 60 * 60_000);
        }
      }
    }
  }

  /** Starts job `index` of a rollout now (or, while seeding, `elapsedMs` ago). */
  function startJob(rollout: ActiveRollout, elapsedMs = 0): void {
    const job = rollout.plan[rollout.index]!;
    const startMs = now() - elapsedMs;
    const duration = random.int(minJobMs, maxJobMs);
    const run = buildJobRun(random, rollout.context, job, JobRun_State.IN_PROGRESS, {
      createMs: startMs - 1000,
      startMs,
    });
    host.write(run);
    rollout.runName = run.name;
    rollout.endsAtMs = startMs + Math.max(duration, elapsedMs + 1000);
  }

  function startRollout(seeding: boolean): void {
    const pipeline = random.pick(pipelines);
    const target = random.pick(pipeline.targets);
    const context = contextFor(pipeline, target, takeRelease(pipeline));
    const plan = planRollout(pipeline, target);
    const rollout: ActiveRollout = { context, plan, index: 0, runName: "", endsAtMs: 0 };
    if (seeding) {
      // Join the rollout part-way: earlier jobs already succeeded a little while ago.
      rollout.index = random.int(0, plan.length - 1);
      let t = now() - (rollout.index + 1) * 90_000;
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
      startJob(rollout, random.int(1000, minJobMs));
    } else {
      startJob(rollout);
    }
    active.push(rollout);
  }

  function retire(rollout: ActiveRollout): void {
    active.splice(active.indexOf(rollout), 1);
    startRollout(false);
  }

  function tick(): void {
    const t = now();
    for (const rollout of [...active]) {
      const run = host.get(rollout.runName);
      // Terminated (or replaced by an import): the rollout stops here; a new one takes its place.
      if (run === undefined || run.state !== JobRun_State.IN_PROGRESS) {
        retire(rollout);
        continue;
      }
      if (t < rollout.endsAtMs) continue;
      const job = rollout.plan[rollout.index]!;
      // Now and then someone terminates a job by hand, as people do.
      if (random.chance(0.03)) {
        host.write(withOutcome(run, JobRun_State.TERMINATED, t));
        retire(rollout);
        continue;
      }
      if (random.chance(failureRate)) {
        host.write(withOutcome(run, JobRun_State.FAILED, t, drawFailure(random, job.kind)));
        retire(rollout);
        continue;
      }
      host.write(withOutcome(run, JobRun_State.SUCCEEDED, t));
      rollout.index++;
      if (rollout.index < rollout.plan.length) startJob(rollout);
      else retire(rollout);
    }
  }

  function schedule(): void {
    timer = host.clock.setTimeout(() => {
      tick();
      schedule();
    }, tickMs);
  }

  seedHistory();
  for (let i = 0; i < activeCount; i++) startRollout(true);

  return {
    start() {
      if (timer === undefined) schedule();
    },
    stop() {
      if (timer !== undefined) host.clock.clearTimeout(timer);
      timer = undefined;
    },
  };
}
