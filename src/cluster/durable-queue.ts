import {
  ACK_AND_CLAIM_SCRIPT, ACK_SCRIPT, CLAIM_JOB_SCRIPT, durableKeys, ENQUEUE_SCRIPT, EXTEND_SCRIPT, FAIL_SCRIPT, REAP_SCRIPT, RELEASE_SCRIPT,
} from "./durable-scripts.ts";
import type { ScriptRunner } from "./schedule-lock.ts";

export interface DurableQueueOptions {
  /** The cluster's key prefix (--cluster-prefix). */
  prefix: string;
  /** This server's node name, part of every claim's token. */
  node: string;
  /** Ms a claimed job stays this node's without an extend (--task-visibility-timeout). */
  visibility: number;
}

/** A job as claimed by this node. */
export interface ClaimedJob {
  id: string;
  name: string;
  /** JSON text. */
  payload: string;
  tries: number;
  timeout: number;
  /** Claims of this job so far, this one included (a takeover counts). */
  attempt: number;
  /** Attempts that failed before this one. */
  fails: number;
  /** This claim's owner token ("node/attempt"). */
  token: string;
}

export interface ReapReply {
  returned: number;
  ready: number;
  active: number;
  delayed: number;
}

/** The durable task queue on Redis: each call is one script, atomic (src/cluster/durable-scripts.ts). */
export interface DurableQueue {
  enqueue(name: string, payload: string, spec: { tries: number; timeout: number; delay: number }): Promise<string>;
  claim(): Promise<ClaimedJob | undefined>;
  extend(job: ClaimedJob): Promise<boolean>;
  ack(job: ClaimedJob): Promise<boolean>;
  /** `ack`, then `claim` for the task worker the job leaves free, in one call. */
  ackAndClaim(job: ClaimedJob): Promise<{ acked: boolean; next: ClaimedJob | undefined }>;
  fail(job: ClaimedJob, backoffMs: number): Promise<"retry" | "dropped" | "lost">;
  release(job: ClaimedJob): Promise<boolean>;
  reap(): Promise<ReapReply>;
}

export function createDurableQueue(redis: ScriptRunner, options: DurableQueueOptions): DurableQueue {
  const keys = durableKeys(options.prefix);
  const owned = (script: string, extraKeys: string[], job: ClaimedJob, ...rest: Array<string | number>) =>
    redis.eval(script, 1 + extraKeys.length, keys.active, ...extraKeys, keys.job, job.id, job.token, ...rest);
  return {
    enqueue: async (name, payload, spec) =>
      String(await redis.eval(ENQUEUE_SCRIPT, 3, keys.seq, keys.ready, keys.delayed, keys.job, name, payload, spec.tries, spec.timeout, spec.delay, Date.now().toString(36))),
    claim: async () => readClaim(await redis.eval(CLAIM_JOB_SCRIPT, 3, keys.ready, keys.delayed, keys.active, keys.job, options.node, options.visibility)),
    extend: async (job) => Number(await owned(EXTEND_SCRIPT, [], job, options.visibility)) === 1,
    ack: async (job) => Number(await owned(ACK_SCRIPT, [], job)) === 1,
    ackAndClaim: async (job) => {
      const reply = await redis.eval(ACK_AND_CLAIM_SCRIPT, 3, keys.ready, keys.delayed, keys.active, keys.job, options.node, options.visibility, job.id, job.token);
      if (!Array.isArray(reply)) throw new Error(`unexpected reply from the ack-and-claim script: ${JSON.stringify(reply)}`);
      return { acked: Number(reply[0]) === 1, next: readClaim(reply[1]) };
    },
    fail: async (job, backoffMs) => readFail(await owned(FAIL_SCRIPT, [keys.delayed], job, backoffMs)),
    release: async (job) => Number(await owned(RELEASE_SCRIPT, [keys.ready], job)) === 1,
    reap: async () => {
      const [returned, ready, active, delayed] = (await redis.eval(REAP_SCRIPT, 3, keys.active, keys.ready, keys.delayed, keys.job)) as number[];
      return { returned: Number(returned), ready: Number(ready), active: Number(active), delayed: Number(delayed) };
    },
  };
}

function readClaim(reply: unknown): ClaimedJob | undefined {
  if (reply === null || reply === undefined || reply === false) return undefined;
  if (!Array.isArray(reply) || reply.length !== 8) throw new Error(`unexpected reply from the claim script: ${JSON.stringify(reply)}`);
  const [id, name, payload, tries, timeout, attempt, fails, token] = reply as unknown[];
  return {
    id: String(id), name: String(name), payload: String(payload), tries: Number(tries), timeout: Number(timeout),
    attempt: Number(attempt), fails: Number(fails), token: String(token),
  };
}

function readFail(reply: unknown): "retry" | "dropped" | "lost" {
  if (reply === "retry" || reply === "dropped" || reply === "lost") return reply;
  throw new Error(`unexpected reply from the fail script: ${JSON.stringify(reply)}`);
}
