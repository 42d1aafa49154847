import { BUS_DEFAULT_TIMEOUT_MS } from "../bus/protocol.ts";
import { ClusterBus } from "../cluster/cluster-bus.ts";
import type { ClusterStatus } from "../cluster/status.ts";
import { ASK_NODE_TOPIC, type AskNodeRequest, nodeChannel, SUM_NODES_TOPIC, type SumNodesRequest } from "../cluster/wire.ts";
import type { Logger } from "../log.ts";
import { type ClusterMember, redactedUrl } from "./cluster.ts";
import type { MessageRouter } from "./message-router.ts";

// A node's answer to an ask must come before the asking worker's own bus
// timeout (BUS_DEFAULT_TIMEOUT_MS, plus the slack the worker adds), so that
// its BUS_TIMEOUT names the node that was late.
const ASK_TIMEOUT_MS = BUS_DEFAULT_TIMEOUT_MS;
// A count waits this long for the other nodes, then counts those that answered.
export const SUM_WAIT_MS = 1000;

/**
 * Joins this supervisor's bus router to the cluster: what a worker publishes
 * to all workers goes to the other nodes too, theirs comes to this node's
 * workers as a publish from the supervisor, and workers reach the other
 * nodes through two supervisor topics (ASK_NODE_TOPIC, SUM_NODES_TOPIC).
 */
export function wireClusterBus(member: ClusterMember, router: MessageRouter, log: Logger): ClusterBus {
  const { link } = member;
  const bus = new ClusterBus({
    node: member.node,
    prefix: member.prefix,
    transport: {
      isUp: () => link.status().state === "up",
      publish: (channel, text) => link.commands.publish(channel, text),
    },
    local: {
      deliver: (topic, data) => router.publish(topic, data),
      ask: (worker, topic, data, timeout) => router.request(worker, topic, data, timeout),
      workerIds: () => router.workerIds(),
    },
    askTimeout: ASK_TIMEOUT_MS,
    sumWait: SUM_WAIT_MS,
  });
  router.onBroadcast = (topic, data) => bus.publish(topic, data);
  router.handle(ASK_NODE_TOPIC, (data) => {
    const { node, worker, topic, data: payload } = data as AskNodeRequest;
    return bus.ask(node, worker, topic, payload);
  });
  router.handle(SUM_NODES_TOPIC, (data) => {
    const { topic, data: payload } = data as SumNodesRequest;
    return bus.sum(topic, payload);
  });
  link.subscriber.on("message", (_channel: string, text: string) => bus.receive(text));
  // On every connection, not only the first: ioredis restores only the
  // channels Redis had confirmed, and a SUBSCRIBE queued while Redis was
  // away at start fails with the attempt it waited for.
  const subscribe = () =>
    void link.subscriber.subscribe(...bus.channels).then(
      () => warnIfNameTaken(member, log),
      (error: Error) => log.warn(`cluster: cannot subscribe (${error.message}); trying again on reconnect`),
    );
  link.subscriber.on("ready", subscribe);
  if (link.subscriber.status === "ready") subscribe();
  return bus;
}

/**
 * Two servers with one node name would each drop the other's publishes as
 * their own and answer each other's requests: say so, once per connection.
 */
function warnIfNameTaken(member: ClusterMember, log: Logger): void {
  const channel = nodeChannel(member.prefix, member.node);
  member.link.commands.pubsub("NUMSUB", channel).then((reply) => {
    const listeners = Number((reply as unknown[])[1]);
    if (listeners > 1) log.warn(`cluster: ${listeners} servers use the node name "${member.node}"; give each its own --cluster-node`);
  }, () => {});
}

/** The cluster's row in `lsky status`, /metrics and /readyz. */
export function clusterStatus(member: ClusterMember | undefined, bus: ClusterBus | undefined, redisUrl: string): ClusterStatus | undefined {
  if (!member || !bus) return undefined;
  const link = member.link.status();
  return {
    node: member.node,
    redis: redactedUrl(redisUrl),
    state: link.state,
    linkDrops: link.drops,
    lastError: link.lastError,
    ...bus.counters,
  };
}
