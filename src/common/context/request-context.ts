import { AsyncLocalStorage } from 'node:async_hooks';
import type { Principal } from '../../modules/auth/principal';

/** What is known about the current HTTP request, for code far from the controller (audit, logs). */
export interface RequestContext {
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  /** Set by the authentication guard once the token is verified. */
  principal?: Principal;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const requestContext = {
  /** Runs `fn` with `context` as the current request (the HTTP layer does this for every request). */
  run<T>(context: RequestContext, fn: () => T): T {
    return storage.run(context, fn);
  },
  current(): RequestContext | undefined {
    return storage.getStore();
  },
  setPrincipal(principal: Principal): void {
    const context = storage.getStore();
    if (context) context.principal = principal;
  },
};
