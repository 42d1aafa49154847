import { type Candidate, lskyCandidate } from "./candidates.ts";
import type { Engine } from "./paths.ts";
import type { Pair } from "./pairs.ts";

// The "options" suite: what each option a production user turns on costs,
// lsky with the option paired with the same lsky without it (pairs.ts: both
// on one core at once). Every request of both sides carries the headers a
// TLS-terminating proxy in front adds, so --trust-proxy has its real work to
// do (a forwarded address, scheme and host: the request is rebuilt), and the
// Accept-Encoding a browser sends, so --compress has to look at the response.

/** A browser's Accept-Encoding and what nginx adds with `proxy_set_header X-Forwarded-*` behind TLS. */
export const REQUEST_HEADERS: Record<string, string> = {
  "Accept-Encoding": "gzip, deflate, br",
  "X-Forwarded-For": "203.0.113.7",
  "X-Forwarded-Proto": "https",
  "X-Forwarded-Host": "example.com",
};

const SELF = "nothing: lsky paired with itself (the method's own spread)";

function option(engine: Engine, id: string, flags: string[]): Candidate {
  return lskyCandidate(engine, 1, { id, flags });
}

function enginePairs(engine: Engine): Pair[] {
  const baseline = lskyCandidate(engine, 1);
  const measured: [string, Candidate][] = [
    [SELF, lskyCandidate(engine, 1)],
    ["--trust-proxy 127.0.0.1 (forwarded address, scheme and host)", option(engine, "trust-proxy", ["--trust-proxy", "127.0.0.1"])],
    // Every peer of a 127.0.0.1 listener is in 127.0.0.0/8: no peer is looked up.
    ["--trust-proxy loopback (the same, every peer of the listener trusted)", option(engine, "trust-loopback", ["--trust-proxy", "loopback"])],
    ["--access-log (text lines, passed on by the supervisor)", option(engine, "access-log", ["--access-log"])],
    ["--access-log --log-format json (JSON lines, passed on by the supervisor)", option(engine, "access-log-json", ["--access-log", "--log-format", "json"])],
    ["--compress on a 13-byte response (below the threshold)", option(engine, "compress", ["--compress"])],
  ];
  const pairs = measured.map(([label, candidate]): Pair => ({ label, engine, measured: candidate, baseline, headers: REQUEST_HEADERS }));
  return [...pairs, behindTrustedProxy(engine)];
}

/** The access log as deployed behind nginx: both sides trust the proxy, so neither looks up the peer. */
function behindTrustedProxy(engine: Engine): Pair {
  const trusted = ["--trust-proxy", "loopback"];
  return {
    label: "--access-log behind a trusted proxy (the client named by X-Forwarded-For)",
    engine,
    measured: option(engine, "trust-loopback-access-log", [...trusted, "--access-log"]),
    baseline: option(engine, "trust-loopback", trusted),
    headers: REQUEST_HEADERS,
  };
}

export function optionPairs(): Pair[] {
  return (["bun", "deno", "node"] as const).flatMap(enginePairs);
}
