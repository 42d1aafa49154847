import { joinStore, type JoinedStore } from "../store/join-store.ts";
import { createTaskClient } from "../tasks/client.ts";
import { installTasksGlobal } from "../tasks/facade.ts";
import type { BusClient, SupervisorHandlers } from "./bus-client.ts";
import { createWorkerBus, installBusGlobal } from "./bus-api.ts";

/** What every process on the bus offers its code: the app's bus, `tasks`, tables and cache. */
export interface PoolFacilities {
  appBus: ReturnType<typeof createWorkerBus>;
  tasks: ReturnType<typeof createTaskClient>;
  store: JoinedStore;
  /** Their supervisor messages, for the process's bus dispatch table. */
  receive: SupervisorHandlers;
  /** The bus closed: pending calls fail. */
  disconnected(): void;
}

/**
 * Sets up the app-facing facilities of a process on the bus (HTTP worker,
 * task worker, custom module process) and installs them where "lsky" finds
 * them. `bus` is read on each send: the connection is made after this runs,
 * since the dispatch table it is made with needs `receive`.
 */
export function joinPoolFacilities(options: { workerId: number; taskPayloadLimit: number; bus: () => BusClient | undefined }): PoolFacilities {
  const sendLine = (line: string) => options.bus()?.sendLine(line) ?? false;
  const appBus = createWorkerBus({ workerId: options.workerId, sendLine, log: (line) => process.stderr.write(`${line}\n`) });
  installBusGlobal(appBus.bus);
  const tasks = createTaskClient({ send: (message) => options.bus()?.send(message) ?? false, payloadLimit: options.taskPayloadLimit });
  installTasksGlobal(tasks.tasks);
  const store = joinStore(sendLine);
  return {
    appBus, tasks, store,
    receive: { ...appBus.receive, ...tasks.receive, ...store.receive },
    disconnected() {
      appBus.disconnected();
      tasks.disconnected();
      store.client.disconnected();
    },
  };
}
