// The scaling suite's app: GET / spends about a millisecond of CPU in plain
// JavaScript (an integer hash loop, the same work on every engine) before it
// answers, so a server's throughput is bound by CPU, not by its I/O path.
//
//   GET /          the hash as text, after WORK rounds of the loop
//   GET /instance  "<pid> <random id>": which worker answered (as app.mjs)

const WORK = 550_000;
const instance = `${process.pid} ${Math.random().toString(36).slice(2, 10)}`;

function spin(seed) {
  let h = seed | 0;
  for (let i = 0; i < WORK; i++) h = Math.imul(h ^ i, 0x9e3779b1) + 0x7f4a7c15 | 0;
  return h >>> 0;
}

export default {
  fetch(request) {
    if (request.url.endsWith("/instance")) return new Response(instance);
    return new Response(String(spin(request.url.length)));
  },
};
