/**
 * Connections that were answered with a refusal, by peer address and port,
 * for a server that cannot close a connection after a response (Deno.serve
 * keeps reading one whatever its Connection header says). A live TCP
 * connection is the only one with its address and port; the client cannot
 * reuse the port for another connection until its close has left TIME_WAIT
 * (60 s on Linux), so an entry expires after that, and the set is bounded.
 */
export class RefusedPeers {
  private readonly until = new Map<string, number>();

  constructor(private readonly ttlMs = 60_000, private readonly max = 10_000) {}

  get size(): number {
    return this.until.size;
  }

  add(peer: string, now: number): void {
    this.until.delete(peer);
    this.until.set(peer, now + this.ttlMs);
    // Map keeps insertion order: the first entries are the oldest.
    while (this.until.size > this.max) this.until.delete(this.until.keys().next().value!);
  }

  has(peer: string, now: number): boolean {
    const until = this.until.get(peer);
    if (until === undefined) return false;
    if (until > now) return true;
    this.until.delete(peer);
    return false;
  }
}
