/**
 * The worker side of run-in-worker.ts: receives one instance, solves it synchronously, posts progress
 * messages (at most every 100 ms per phase change) and the result (its arrays transferred, not copied).
 */
import { parentPort } from 'node:worker_threads';
import { solveGreedy } from './greedy';
import { AllocationInstance, AllocationPhase, AllocationStrategy } from './instance';
import { solveOptimal } from './optimal';

export type WorkerRequest = { instance: AllocationInstance; strategy: AllocationStrategy };
export type WorkerMessage =
  | { type: 'progress'; phase: AllocationPhase; done: number; total: number }
  | { type: 'result'; result: ReturnType<typeof solveOptimal> }
  | { type: 'error'; message: string };

const port = parentPort;
if (port) {
  port.once('message', ({ instance, strategy }: WorkerRequest) => {
    let lastPhase: AllocationPhase | undefined;
    let lastAt = 0;
    const onProgress = (phase: AllocationPhase, done: number, total: number) => {
      const now = Date.now();
      if (phase === lastPhase && now - lastAt < 100) return;
      lastPhase = phase;
      lastAt = now;
      port.postMessage({ type: 'progress', phase, done, total } satisfies WorkerMessage);
    };
    try {
      const result =
        strategy === 'optimal'
          ? solveOptimal(instance, { onProgress })
          : solveGreedy(instance, { onProgress });
      const transfer: ArrayBuffer[] = [result.needOffer.buffer as ArrayBuffer];
      if (result.duals)
        transfer.push(result.duals.need.buffer as ArrayBuffer, result.duals.offer.buffer as ArrayBuffer);
      port.postMessage({ type: 'result', result } satisfies WorkerMessage, transfer);
    } catch (error) {
      port.postMessage({
        type: 'error',
        message: (error as Error).stack ?? String(error),
      } satisfies WorkerMessage);
    }
  });
}
