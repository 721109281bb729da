/**
 * The walk every state machine's "who may" shares (archives, needs, offers, matches): a transition lists
 * actor entries; the first entry that accepts the caller allows the move. Otherwise the answer is the
 * refusal of the last entry that fitted the caller's kind and roles (it was the right kind of caller,
 * for the wrong record), or `role` when none fitted.
 *
 * `judge` looks at one entry: `null` when it does not fit the caller at all, `true` when it accepts, or
 * the reason it refuses.
 */
export function walkActors<A, R extends string>(
  actors: readonly A[],
  judge: (actor: A) => true | R | null,
): { ok: true } | { ok: false; reason: R | 'role' } {
  let reason: R | 'role' = 'role';
  for (const actor of actors) {
    const verdict = judge(actor);
    if (verdict === true) return { ok: true };
    if (verdict !== null) reason = verdict;
  }
  return { ok: false, reason };
}
