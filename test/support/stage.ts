import { createSimulator, type Simulator, type SimulatorOptions } from "../../tools/simulator/index.js";
import { buildServices, type BuildOptions, type InProcess } from "./in-process.js";
import { startRedisCluster, type TestRedisCluster } from "./redis-cluster.js";
import { startRedis, type TestRedis } from "./redis-server.js";

/**
 * The Bot API simulator, a real Redis (one server, or a cluster) and instances of the app built in this
 * process by createApp, as many as a test needs ("processes" sharing the stage). For the real bot
 * process instead, see `startStage` in scene.ts.
 */
export interface AppStage<R extends TestRedis | TestRedisCluster = TestRedis> {
  sim: Simulator;
  redis: R;
  /** One more instance on this stage (its own Redis database with `redisUrl`); closed with the stage if the test did not. */
  app(opts?: Partial<Omit<BuildOptions, "sim">>): Promise<InProcess>;
  close(): Promise<void>;
}

export interface AppStageOptions {
  simulator?: SimulatorOptions;
}

export function startAppStage(opts?: AppStageOptions): Promise<AppStage>;
export function startAppStage(opts: AppStageOptions & { cluster: true }): Promise<AppStage<TestRedisCluster>>;
export async function startAppStage(opts: AppStageOptions & { cluster?: boolean } = {}): Promise<AppStage<TestRedis | TestRedisCluster>> {
  const redis = opts.cluster ? await startRedisCluster() : await startRedis();
  const sim = await createSimulator({ limits: false, ...opts.simulator });
  const apps: InProcess[] = [];
  return {
    sim,
    redis,
    async app(more = {}) {
      const app = await buildServices({ sim, redisUrl: redis.url, clock: { now: () => Date.now() }, ...more });
      apps.push(app);
      return app;
    },
    async close() {
      for (const app of apps) await app.close();
      await sim.close();
      await redis.destroy();
    },
  };
}
