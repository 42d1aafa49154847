// The WebSocket load client, on Bun's own WebSocket client (the fastest of
// the three engines' clients). Prints one JSON line of results.
//   bun load-client.ts echo URL CONNECTIONS WINDOW SECONDS
//     every connection keeps WINDOW `echo:` messages in flight; counts echoes.
//   bun load-client.ts broadcast URL SUBSCRIBERS WINDOW SECONDS
//     SUBSCRIBERS connect to URL?room=b, one more publishes `pub:b:…` with at
//     most WINDOW messages not yet seen by every probe subscriber; counts
//     every delivery to every subscriber.
/// <reference types="bun-types" />
const [mode, url, countText, windowText, secondsText] = process.argv.slice(2);
const count = Number(countText);
const window = Number(windowText);
const seconds = Number(secondsText);
const PAYLOAD = "x".repeat(64);

/** Opens a socket and waits for the server's hello (the first message). */
function open(target: string, onMessage: (data: string) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(target);
    let greeted = false;
    ws.onmessage = (event) => {
      if (greeted) return onMessage(String(event.data));
      greeted = true;
      resolve(ws);
    };
    ws.onerror = () => reject(new Error(`cannot connect to ${target}`));
  });
}

/** Tells the suite that the connections are up: it counts the server's CPU time from here to "done". */
function measuring(): void {
  console.log("measuring");
}

async function inBatches<T>(total: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const all: T[] = [];
  for (let i = 0; i < total; i += 100) all.push(...await Promise.all(Array.from({ length: Math.min(100, total - i) }, (_, j) => make(i + j))));
  return all;
}

async function echo(): Promise<object> {
  let received = 0;
  let running = true;
  const sockets = await inBatches(count, () => {
    let ws: WebSocket;
    const opened = open(url!, () => {
      received++;
      if (running) ws.send(`echo:${PAYLOAD}`);
    });
    return opened.then((socket) => (ws = socket));
  });
  measuring();
  const started = performance.now();
  for (const ws of sockets) for (let i = 0; i < window; i++) ws.send(`echo:${PAYLOAD}`);
  await Bun.sleep(seconds * 1000);
  running = false;
  const perSecond = received / ((performance.now() - started) / 1000);
  console.log("done");
  for (const ws of sockets) ws.close();
  return { mode, connections: count, window, messagesPerSecond: Math.round(perSecond) };
}

async function broadcast(): Promise<object> {
  const room = `${url}${url!.includes("?") ? "&" : "?"}room=b`;
  let delivered = 0;
  const probes: number[] = [];
  let wake = () => {};
  const subscribers = await inBatches(count, (i) => {
    // Every 50th subscriber paces the publisher.
    const probe = i % 50 === 0 ? probes.push(0) - 1 : -1;
    return open(room, () => {
      delivered++;
      if (probe >= 0) {
        probes[probe]!++;
        wake();
      }
    });
  });
  const publisher = await open(url!, () => {});
  measuring();
  const started = performance.now();
  let sent = 0;
  while (performance.now() - started < seconds * 1000) {
    if (sent - Math.min(...probes) >= window) {
      // A lost message must not stall the run: look again after a while.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        wake = () => (clearTimeout(timer), resolve());
      });
      continue;
    }
    publisher.send(`pub:b:${PAYLOAD}`);
    sent++;
    if (sent % window === 0) await Promise.resolve();
  }
  const perSecond = delivered / ((performance.now() - started) / 1000);
  console.log("done");
  for (const ws of [...subscribers, publisher]) ws.close();
  return { mode, subscribers: count, window, published: sent, deliveredPerSecond: Math.round(perSecond) };
}

const result = mode === "echo" ? await echo() : await broadcast();
console.log(JSON.stringify(result));
process.exit(0);

export {};
