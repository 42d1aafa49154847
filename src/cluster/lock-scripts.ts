/**
 * The cluster lock's three Lua scripts. Redis runs a script atomically, so
 * each check-then-act below cannot interleave with another node's.
 *
 * A lock holds a random owner token. Renewing and releasing compare the
 * token first (compare-and-set): a run whose lock expired meanwhile (a
 * paused process, a slow network) can neither extend nor delete the lock a
 * newer run took since. Laravel's cache lock, released by key alone, lets
 * exactly that happen.
 */

/**
 * Claims one tick of one job.
 * KEYS: mark, fence, run lock. ARGV: tick (ms), owner token, TTL (ms).
 * Replies ["won", fence] | ["taken", latest claimed tick] | ["busy", owner of the run lock].
 *
 * The mark makes a tick run once in the cluster even after its run ended and
 * released the lock: a node whose clock is a few ms behind comes to the same
 * tick later and finds it claimed.
 */
export const CLAIM_SCRIPT = `
local last = redis.call('GET', KEYS[1])
if last and tonumber(last) >= tonumber(ARGV[1]) then
  return {'taken', last}
end
if not redis.call('SET', KEYS[3], ARGV[2], 'NX', 'PX', ARGV[3]) then
  return {'busy', redis.call('GET', KEYS[3])}
end
redis.call('SET', KEYS[1], ARGV[1])
return {'won', redis.call('INCR', KEYS[2])}
`;

/** Extends the lock by TTL ms if the token still holds it. KEYS: lock. ARGV: token, TTL. Replies 1, or 0 when lost. */
export const RENEW_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`;

/** Deletes the lock if the token still holds it. KEYS: lock. ARGV: token. Replies 1, or 0 when not (expired, or another run's). */
export const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

export type ClaimReply =
  | { outcome: "won"; fence: number }
  | { outcome: "taken"; latest: number }
  | { outcome: "busy"; owner: string };

/** Reads the claim script's reply; throws on anything else (a script from another version). */
export function readClaimReply(reply: unknown): ClaimReply {
  if (Array.isArray(reply) && reply.length === 2) {
    const [outcome, value] = reply as [unknown, unknown];
    if (outcome === "won") return { outcome, fence: Number(value) };
    if (outcome === "taken") return { outcome, latest: Number(value) };
    if (outcome === "busy") return { outcome, owner: String(value) };
  }
  throw new Error(`unexpected reply from the claim script: ${JSON.stringify(reply)}`);
}
