import { syntheticAllocation } from './synthetic-instance';
import { AllocationPhase } from './instance';
import { checkPlan } from './plan-check';
import { AllocationAbortedError, runAllocation } from './run-in-worker';

describe('runAllocation (worker thread)', () => {
  const instance = syntheticAllocation({ needs: 2000, offers: 200, k: 10, supply: 0.5, seed: 7 });

  it('solves off the event loop, reports its phases and returns a sound optimal plan', async () => {
    const phases = new Set<AllocationPhase>();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const result = await runAllocation(instance, {
      strategy: 'optimal',
      onProgress: (phase) => phases.add(phase),
    });
    clearInterval(timer);
    expect(checkPlan(instance, result.needOffer, result.total)).toEqual([]);
    expect(result.total).toBe(result.bound);
    expect(result.assigned).toBeGreaterThan(0);
    expect([...phases]).toEqual(['building', 'solving', 'done']);
    expect(ticks).toBeGreaterThan(0);
    const greedy = await runAllocation(instance, { strategy: 'greedy' });
    expect(checkPlan(instance, greedy.needOffer, greedy.total)).toEqual([]);
    expect(greedy.total).toBeLessThanOrEqual(result.total);
  }, 60_000);

  it('is cancelled by its signal', async () => {
    const controller = new AbortController();
    const big = syntheticAllocation({ needs: 50_000, offers: 5000, k: 20, supply: 0.3, seed: 7 });
    const running = runAllocation(big, {
      strategy: 'optimal',
      signal: controller.signal,
      onProgress: (phase) => phase === 'solving' && controller.abort(),
    });
    await expect(running).rejects.toBeInstanceOf(AllocationAbortedError);
    const aborted = new AbortController();
    aborted.abort();
    await expect(runAllocation(big, { strategy: 'greedy', signal: aborted.signal })).rejects.toBeInstanceOf(
      AllocationAbortedError,
    );
  }, 60_000);
});
