// The HTTP side of the example: the listeners are declared in lsky.config.ts.
export default {
  fetch: () => new Response("HTTP on the main port; TCP echo on 7000, UDP echo on 7001\n"),
};
