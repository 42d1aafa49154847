/** A worker's WebSocket counters, for `lsky status` and /metrics. */
export interface SocketStats {
  opened: number;
  messagesIn: number;
  messagesOut: number;
  /** Clients closed with 1013 because their send buffer passed the cap. */
  overflows: number;
  /** Upgrades answered 503 because the worker had its maximum of connections. */
  refused: number;
  closesByCode: Record<number, number>;
}

export function emptySocketStats(): SocketStats {
  return { opened: 0, messagesIn: 0, messagesOut: 0, overflows: 0, refused: 0, closesByCode: {} };
}
