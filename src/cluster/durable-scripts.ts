/**
 * The durable task queue's Lua scripts (docs/TASKS.md, "Durable tasks").
 * Redis runs each script atomically, so no two nodes can claim one job, and
 * a node's late ack never touches a job the reaper gave to another node.
 *
 * Keys (under `<prefix>:tasks:`): `seq` (ids), `ready` (list; RPOP takes
 * the oldest), `delayed` (zset scored by when the job may start), `active`
 * (zset scored by the visibility deadline) and `job:<id>` (hash: name,
 * payload, tries, timeout, attempt, fails, owner). A job's hash key is built
 * inside the scripts from ARGV[1] (the job key prefix): fine on one Redis
 * server, not on Redis Cluster (docs/CLUSTER.md).
 *
 * `owner` is the claim's token, "<node>/<attempt>": a node that claims a job
 * again after the reaper took it back gets a new token, so the old run's
 * ack, extend or fail finds a token that is not its own and does nothing.
 * Time is Redis's own (TIME), so the nodes' clocks never matter.
 */

const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/** Whether ARGV[2] (job id) is active and ARGV[3] (token) owns it; KEYS[1] is `active`. */
const OWNED = `local key = ARGV[1] .. ARGV[2]
local owned = redis.call('ZSCORE', KEYS[1], ARGV[2]) and redis.call('HGET', key, 'owner') == ARGV[3]
`;

/**
 * Queues a job. KEYS: seq, ready, delayed. ARGV: job key prefix, name,
 * payload, tries, timeout, delay (ms), id suffix. Replies the new id,
 * "d<seq>-<suffix>": the suffix (the dispatching node's clock) keeps ids
 * apart even after a Redis restarted empty starts `seq` over, so an app
 * that records ctx.id to run a task once never mistakes a new task for an old one.
 */
export const ENQUEUE_SCRIPT = `${NOW}
local id = 'd' .. redis.call('INCR', KEYS[1]) .. '-' .. ARGV[7]
redis.call('HSET', ARGV[1] .. id, 'name', ARGV[2], 'payload', ARGV[3], 'tries', ARGV[4], 'timeout', ARGV[5], 'attempt', 0, 'fails', 0)
if tonumber(ARGV[6]) > 0 then
  redis.call('ZADD', KEYS[3], now + tonumber(ARGV[6]), id)
else
  redis.call('LPUSH', KEYS[2], id)
end
return id
`;

// The claim of the oldest ready job as a Lua function, shared by the two
// scripts that claim. KEYS: ready, delayed, active. ARGV: job key prefix,
// node, visibility (ms). Returns false, or [id, name, payload, tries,
// timeout, attempt, fails, token].
const CLAIM_FUNCTION = `local function claim()
  local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 100)
  for _, id in ipairs(due) do
    redis.call('ZREM', KEYS[2], id)
    redis.call('LPUSH', KEYS[1], id)
  end
  for _ = 1, 10 do
    local id = redis.call('RPOP', KEYS[1])
    if not id then return false end
    local key = ARGV[1] .. id
    if redis.call('EXISTS', key) == 1 then
      local attempt = redis.call('HINCRBY', key, 'attempt', 1)
      local token = ARGV[2] .. '/' .. attempt
      redis.call('HSET', key, 'owner', token)
      redis.call('ZADD', KEYS[3], now + tonumber(ARGV[3]), id)
      local job = redis.call('HMGET', key, 'name', 'payload', 'tries', 'timeout', 'fails')
      return {id, job[1], job[2], job[3], job[4], attempt, job[5], token}
    end
  end
  return false
end
`;

/**
 * Claims the oldest ready job, first moving due delayed jobs to ready.
 * KEYS: ready, delayed, active. ARGV: job key prefix, node, visibility (ms).
 * Replies false, or [id, name, payload, tries, timeout, attempt, fails, token].
 */
export const CLAIM_JOB_SCRIPT = `${NOW}${CLAIM_FUNCTION}
return claim()
`;

/**
 * A finished job's ack and the claim of the next one in one call, for a task
 * worker that has just become free: the two would otherwise go to Redis
 * together anyway, as two commands. The ack is ACK_SCRIPT's: the job is
 * deleted only if the token still owns it.
 * KEYS: ready, delayed, active. ARGV: job key prefix, node, visibility (ms),
 * id, token. Replies [1 or 0 (acked), false or the claim as CLAIM_JOB_SCRIPT's].
 */
export const ACK_AND_CLAIM_SCRIPT = `${NOW}${CLAIM_FUNCTION}
local key = ARGV[1] .. ARGV[4]
local acked = 0
if redis.call('ZSCORE', KEYS[3], ARGV[4]) and redis.call('HGET', key, 'owner') == ARGV[5] then
  redis.call('ZREM', KEYS[3], ARGV[4])
  redis.call('DEL', key)
  acked = 1
end
return {acked, claim()}
`;

/** Moves the deadline to now + visibility if the token still owns the job. KEYS: active. ARGV: job key prefix, id, token, visibility. Replies 1 or 0. */
export const EXTEND_SCRIPT = `${NOW}${OWNED}
if not owned then return 0 end
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[4]), ARGV[2])
return 1
`;

/** Deletes a finished job if the token still owns it. KEYS: active. ARGV: job key prefix, id, token. Replies 1 or 0. */
export const ACK_SCRIPT = `${OWNED}
if not owned then return 0 end
redis.call('ZREM', KEYS[1], ARGV[2])
redis.call('DEL', key)
return 1
`;

/**
 * A failed attempt, if the token still owns the job: with tries left the job
 * waits in `delayed` for its backoff, else it is deleted.
 * KEYS: active, delayed. ARGV: job key prefix, id, token, backoff (ms).
 * Replies 'retry', 'dropped' or 'lost' (not this token's any more).
 */
export const FAIL_SCRIPT = `${NOW}${OWNED}
if not owned then return 'lost' end
redis.call('ZREM', KEYS[1], ARGV[2])
local fails = redis.call('HINCRBY', key, 'fails', 1)
if fails < tonumber(redis.call('HGET', key, 'tries')) then
  redis.call('HDEL', key, 'owner')
  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), ARGV[2])
  return 'retry'
end
redis.call('DEL', key)
return 'dropped'
`;

/** Gives an unfinished job back (a stopping node): first in line. KEYS: active, ready. ARGV: job key prefix, id, token. Replies 1 or 0. */
export const RELEASE_SCRIPT = `${OWNED}
if not owned then return 0 end
redis.call('ZREM', KEYS[1], ARGV[2])
redis.call('HDEL', key, 'owner')
redis.call('RPUSH', KEYS[2], ARGV[2])
return 1
`;

/**
 * Gives back every active job past its deadline (its node died or stalled),
 * first in line. KEYS: active, ready, delayed. ARGV: job key prefix.
 * Replies [returned, ready length, active length, delayed length].
 */
export const REAP_SCRIPT = `${NOW}
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 1000)
for _, id in ipairs(expired) do
  redis.call('ZREM', KEYS[1], id)
  redis.call('HDEL', ARGV[1] .. id, 'owner')
  redis.call('RPUSH', KEYS[2], id)
end
return {#expired, redis.call('LLEN', KEYS[2]), redis.call('ZCARD', KEYS[1]), redis.call('ZCARD', KEYS[3])}
`;

/** The queue's keys under a cluster prefix. */
export function durableKeys(prefix: string) {
  const base = `${prefix}:tasks:`;
  return { seq: `${base}seq`, ready: `${base}ready`, delayed: `${base}delayed`, active: `${base}active`, job: `${base}job:` };
}
