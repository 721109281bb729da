/**
 * One allocation configuration in a process of its own (so its peak RSS is the solve's):
 * `node -r @swc-node/register bench/allocation-child.ts NEEDS OFFERS K SUPPLY SEED` prints one JSON line.
 * Both plans go through the independent checks (plan-check.ts) after the timings; `checksum` fingerprints
 * the generated instance so two runs can be seen to have solved the same one. A failed check writes the
 * instance to $TMPDIR so it can be replayed.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { solveGreedy } from '../src/modules/matching/allocation/greedy';
import { solveOptimal } from '../src/modules/matching/allocation/optimal';
import { checkDuals, checkPlan } from '../src/modules/matching/allocation/plan-check';
import { syntheticAllocation } from '../src/modules/matching/allocation/synthetic-instance';

const [needs, offers, k, supply, seed] = process.argv.slice(2).map(Number);
const generateStart = process.hrtime.bigint();
const instance = syntheticAllocation({ needs, offers, k, supply, seed });
const generateSeconds = Number(process.hrtime.bigint() - generateStart) / 1e9;
const rssAfterGenerate = process.resourceUsage().maxRSS * 1024;
const start = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
const optimal = solveOptimal(instance);
const optimalSeconds = Number(process.hrtime.bigint() - start) / 1e9;
const cpu = process.cpuUsage(cpuStart);
const optimalCpuSeconds = (cpu.user + cpu.system) / 1e6;
const greedyStart = process.hrtime.bigint();
const greedy = solveGreedy(instance);
const greedySeconds = Number(process.hrtime.bigint() - greedyStart) / 1e9;
const peakRss = process.resourceUsage().maxRSS * 1024;

const hash = createHash('sha1');
for (const array of [
  instance.capacity,
  instance.perHouseholdLimit,
  instance.household,
  instance.edgeStart,
  instance.edgeOffer,
  instance.edgeScore,
])
  hash.update(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
const checksum = hash.digest('hex').slice(0, 12);
const problems = [
  ...checkPlan(instance, optimal.needOffer, optimal.total),
  ...checkDuals(instance, optimal.duals!, optimal.bound!),
  ...checkPlan(instance, greedy.needOffer, greedy.total),
];
if (problems.length) {
  const file = join(tmpdir(), `allocation-${needs}x${offers}-k${k}-${supply}-${seed}-${checksum}.json`);
  const plain = Object.fromEntries(
    Object.entries(instance).map(([key, value]) => [
      key,
      typeof value === 'number' ? value : Array.from(value as Int32Array),
    ]),
  );
  writeFileSync(
    file,
    JSON.stringify({ instance: plain, needOffer: Array.from(optimal.needOffer), problems }),
  );
  problems.push(`instance written to ${file}`);
}
console.log(
  JSON.stringify({
    generateSeconds,
    optimalSeconds,
    optimalCpuSeconds,
    greedySeconds,
    rssAfterGenerate,
    peakRss,
    optimal: optimal.total,
    bound: optimal.bound,
    assigned: optimal.assigned,
    greedy: greedy.total,
    greedyAssigned: greedy.assigned,
    checksum,
    problems: problems.slice(0, 5),
  }),
);
