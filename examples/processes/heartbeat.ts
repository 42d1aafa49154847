// A custom module process: started with the server, restarted if it dies,
// stopped with it. It publishes a beat on the bus every second, counts it in
// the shared table "beats" (declared in lsky.config.ts), and logs one line
// every fifth beat (relayed with the prefix [heartbeat]).
import type { CustomProcess, ProcessContext } from "lsky";

let timer: ReturnType<typeof setInterval> | undefined;
let count = 0;

const heartbeat: CustomProcess = {
  start(ctx: ProcessContext) {
    console.log(`started (instance ${ctx.instance})`);
    timer = setInterval(() => {
      count++;
      ctx.bus.publish("heartbeat", { at: new Date().toISOString(), count });
      void ctx.table("beats").incr("heartbeat", "count");
      if (count % 5 === 0) console.log(`${count} beats sent`);
    }, 1000);
  },
  stop() {
    clearInterval(timer);
    console.log(`stopping after ${count} beats`);
  },
};

export default heartbeat;
