/**
 * Batch allocation (issue 12 §5): synthetic instances (src/modules/matching/allocation/synthetic-instance.ts,
 * seed from --seed) at 10k needs × 1k offers and 100k × 10k, K = 20 and 50 candidates per need, ample
 * supply (total capacity 1.5× needs) and scarce (0.3×). Each configuration runs in a child process of
 * its own, so `rss_mb` is the peak RSS of that process (node itself, the generated instance, both
 * solves). One line per configuration:
 *   alloc.<needs>x<offers>.k<K>.<ample|scarce>  s=… cpu_s=… greedy_s=… rss_mb=… optimal=… greedy=… greedy_ratio=… total_minus_bound=…
 * `s` is the optimal solve's wall time, `cpu_s` its CPU time (steadier on a shared machine).
 * `--only 10k` (or any substring of the line names) runs only the matching lines.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { StandaloneBenchmark } from './harness';
import { inheritedEnv } from './processes';

const CONFIGS = [10_000, 100_000].flatMap((needs) =>
  [20, 50].flatMap((k) =>
    [
      ['ample', 1.5],
      ['scarce', 0.3],
    ].map(([label, supply]) => ({
      name: `alloc.${needs / 1000}kx${needs / 10_000}k.k${k}.${label as string}`,
      needs,
      offers: needs / 10,
      k,
      supply: supply as number,
    })),
  ),
);

export const allocationBenchmark: StandaloneBenchmark = {
  name: 'allocation',
  description: 'batch allocation: exact min-cost flow vs greedy on synthetic instances (10k×1k, 100k×10k)',
  standalone: true,
  async run(ctx) {
    const selected = CONFIGS.filter(
      (c) => !ctx.options.only || ctx.options.only.some((o) => c.name.includes(o)),
    );
    for (const config of selected) {
      ctx.log(
        `${config.name}: ${config.needs} needs, ${config.offers} offers, K=${config.k}, supply ${config.supply}×`,
      );
      const child = spawnSync(
        process.execPath,
        [
          '-r',
          '@swc-node/register',
          join(__dirname, 'allocation-child.ts'),
          ...[config.needs, config.offers, config.k, config.supply, ctx.options.seed].map(String),
        ],
        { encoding: 'utf8', env: inheritedEnv({}), maxBuffer: 1 << 20 },
      );
      if (child.status !== 0) throw new Error(`${config.name} failed: ${child.stderr}`);
      const r = JSON.parse(child.stdout.trim().split('\n').pop() as string) as Record<string, number> & {
        checksum: string;
        problems: string[];
      };
      ctx.report(
        config.name,
        [
          `s=${r.optimalSeconds.toFixed(2)}`,
          `cpu_s=${r.optimalCpuSeconds.toFixed(2)}`,
          `greedy_s=${r.greedySeconds.toFixed(2)}`,
          `rss_mb=${Math.round(r.peakRss / 2 ** 20)}`,
          `optimal=${r.optimal}`,
          `greedy=${r.greedy}`,
          `greedy_ratio=${(r.greedy / r.optimal).toFixed(4)}`,
          `total_minus_bound=${r.optimal - r.bound}`,
          `assigned=${r.assigned}`,
          `instance=${r.checksum}`,
          `checks=${r.problems.length ? 'FAILED' : 'ok'}`,
        ].join(' '),
      );
      for (const problem of r.problems) ctx.log(`${config.name}: ${problem}`);
    }
  },
};
