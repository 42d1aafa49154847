// The one app every candidate serves, lsky and its peers alike, so that only
// the server around it differs. Plain JavaScript (not TypeScript) because
// Node 20 cannot import .ts without a loader, and the peers import it as is.
//
//   GET /          text "Hello, World!"
//   GET /json      {"message":"Hello, World!"}
//   GET /instance  "<pid> <random id>": tells the harness which worker (or
//                  which isolate, for `deno serve --parallel`) answered.

const HELLO = "Hello, World!";
const instance = `${process.pid} ${Math.random().toString(36).slice(2, 10)}`;

// Cheaper than new URL() and the same for every candidate.
function pathOf(url) {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start === -1) return "/";
  const query = url.indexOf("?", start);
  return query === -1 ? url.slice(start) : url.slice(start, query);
}

export default {
  fetch(request) {
    const path = pathOf(request.url);
    if (path === "/json") return Response.json({ message: HELLO });
    if (path === "/instance") return new Response(instance);
    return new Response(HELLO);
  },
};
