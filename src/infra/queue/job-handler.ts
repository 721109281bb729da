import { SetMetadata } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { JobName, JobPayloads } from './jobs';
import { JobContext } from './queue.port';

const JOB_HANDLER_METADATA = 'bangfu:job-handler';

export type JobHandlerMethod<N extends JobName> = (
  payload: JobPayloads[N],
  context: JobContext,
) => Promise<void>;

/**
 * Marks a method of a (singleton) Nest provider as the handler of one job name. The method's payload
 * parameter is checked against JobPayloads[name] at compile time.
 */
export function JobHandler<N extends JobName>(name: N) {
  // Generic over the method's own type, since descriptors are invariant: it must be callable as a handler.
  return <M extends JobHandlerMethod<N>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ): void => {
    SetMetadata(JOB_HANDLER_METADATA, name)(target, key, descriptor);
  };
}

/** Job name → queue name, for every job that must have a handler (JOB_QUEUE in production). */
export type JobCatalog = Readonly<Record<string, string>>;
export const JOB_CATALOG = Symbol('JOB_CATALOG');

export interface FoundJobHandler {
  name: string;
  /** `Class.method`, for error messages. */
  owner: string;
  invoke(payload: unknown, context: JobContext): Promise<void>;
}

export class JobHandlerRegistrationError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `任务处理器注册有误 (job handler registration failed):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'JobHandlerRegistrationError';
  }
}

/** Every `@JobHandler` method on the application's singleton providers. */
export function discoverJobHandlers(
  discovery: DiscoveryService,
  scanner: MetadataScanner,
): FoundJobHandler[] {
  const found: FoundJobHandler[] = [];
  const seen = new Set<object>();
  for (const wrapper of discovery.getProviders()) {
    const instance: unknown = wrapper.instance;
    // Aliases repeat an instance listed elsewhere; request-scoped providers have no instance to call
    // from a worker (their handlers then show up as missing, which is the loud outcome we want).
    if (wrapper.isAlias || !wrapper.isDependencyTreeStatic()) continue;
    if (typeof instance !== 'object' || instance === null || seen.has(instance)) continue;
    seen.add(instance);
    const methods = instance as Record<string, unknown>;
    for (const key of scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
      const method = methods[key];
      if (typeof method !== 'function') continue;
      const name: unknown = Reflect.getMetadata(JOB_HANDLER_METADATA, method);
      if (typeof name !== 'string') continue;
      found.push({
        name,
        owner: `${instance.constructor.name}.${key}`,
        invoke: async (payload, context) => {
          await method.call(instance, payload, context);
        },
      });
    }
  }
  return found;
}

/** Exactly one handler per catalogued job, and none for a job that is not catalogued. */
export function resolveJobHandlers(
  catalog: JobCatalog,
  found: FoundJobHandler[],
): Map<string, FoundJobHandler> {
  const byName = new Map<string, FoundJobHandler[]>();
  for (const handler of found) byName.set(handler.name, [...(byName.get(handler.name) ?? []), handler]);

  const problems: string[] = [];
  for (const name of Object.keys(catalog)) {
    if (!byName.has(name)) problems.push(`任务 ${name} 没有处理器 (no handler)`);
  }
  for (const [name, handlers] of byName) {
    if (handlers.length > 1) {
      problems.push(
        `任务 ${name} 有多个处理器 (duplicate handlers): ${handlers.map((h) => h.owner).join(', ')}`,
      );
    }
    if (!Object.hasOwn(catalog, name)) {
      problems.push(`处理器 ${handlers[0].owner} 对应的任务 ${name} 未登记 (job name not declared)`);
    }
  }
  if (problems.length > 0) throw new JobHandlerRegistrationError(problems);
  return new Map([...byName].map(([name, handlers]) => [name, handlers[0]]));
}
