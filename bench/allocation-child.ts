/**
 * One allocation configuration in a process of its own (so its peak RSS is the solve's):
 * `node -r @swc-node/register bench/allocation-child.ts NEEDS OFFERS K SUPPLY SEED` prints one JSON line.
 */
import { solveGreedy } from '../src/modules/matching/allocation/greedy';
import { solveOptimal } from '../src/modules/matching/allocation/optimal';
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
console.log(
  JSON.stringify({
    generateSeconds,
    optimalSeconds,
    optimalCpuSeconds,
    greedySeconds,
    rssAfterGenerate,
    peakRss: process.resourceUsage().maxRSS * 1024,
    optimal: optimal.total,
    bound: optimal.bound,
    assigned: optimal.assigned,
    greedy: greedy.total,
    greedyAssigned: greedy.assigned,
  }),
);
