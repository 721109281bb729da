/**
 * Solves an allocation in a worker thread so the caller's event loop stays free (the API job): progress
 * arrives through `onProgress` (phases building → solving → done), `signal` cancels (the worker is
 * terminated; the promise rejects with an AbortError). The solvers stay synchronous and pure; this is
 * only the thread around them. Under ts sources (start:dev, jest) the worker loads @swc-node/register.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WorkerMessage, WorkerRequest } from './allocation.worker';
import { AllocationInstance, AllocationResult, AllocationStrategy, ProgressListener } from './instance';

export interface RunAllocationOptions {
  strategy: AllocationStrategy;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

export class AllocationAbortedError extends Error {
  override name = 'AbortError';
}

function startWorker(): Worker {
  const typescript = __filename.endsWith('.ts');
  const file = join(__dirname, `allocation.worker.${typescript ? 'ts' : 'js'}`);
  if (!typescript) return new Worker(file);
  return new Worker(`require('@swc-node/register'); require(${JSON.stringify(file)});`, { eval: true });
}

export function runAllocation(
  instance: AllocationInstance,
  options: RunAllocationOptions,
): Promise<AllocationResult> {
  const { strategy, onProgress, signal } = options;
  if (signal?.aborted) return Promise.reject(new AllocationAbortedError('allocation cancelled'));
  return new Promise<AllocationResult>((resolve, reject) => {
    const worker = startWorker();
    let settled = false;
    const finish = (action: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', abort);
      action();
      void worker.terminate();
    };
    const abort = () => finish(() => reject(new AllocationAbortedError('allocation cancelled')));
    signal?.addEventListener('abort', abort, { once: true });
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') onProgress?.(message.phase, message.done, message.total);
      else if (message.type === 'result') finish(() => resolve(message.result));
      else finish(() => reject(new Error(`allocation failed in its worker: ${message.message}`)));
    });
    worker.on('error', (error) => finish(() => reject(error)));
    worker.on('exit', (code) => finish(() => reject(new Error(`allocation worker exited (${code})`))));
    worker.postMessage({ instance, strategy } satisfies WorkerRequest);
  });
}
