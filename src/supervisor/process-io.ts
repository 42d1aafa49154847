import { readFileSync } from "node:fs";

/** What a process did in the kernel so far (Linux /proc, readable for one's own children). */
export interface KernelProgress {
  /** read and write system calls (/proc/PID/io syscr + syscw): files and pipes, not socket recv/send. */
  syscalls: number;
  /** Clock ticks its main thread spent in the kernel (/proc/PID/task/PID/stat stime): sockets, epoll, accept too. */
  kernelTicks: number;
}

/**
 * A worker whose event loop is stuck in JavaScript makes no system call: its
 * main thread's kernel time stays flat (measured: at most one 10 ms tick in
 * 3 s, on every engine) and so do its read/write counts. One that is
 * overloaded (thousands of connections handled in one long turn of its loop)
 * keeps entering the kernel, though it cannot send a heartbeat. Undefined
 * where /proc cannot be read.
 */
export function readKernelProgress(pid: number): KernelProgress | undefined {
  try {
    const io = readFileSync(`/proc/${pid}/io`, "utf8");
    const read = /^syscr:\s*(\d+)/m.exec(io);
    const write = /^syscw:\s*(\d+)/m.exec(io);
    // Fields after the command name, which may hold spaces: state is field 3, stime field 15.
    const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, "utf8").replace(/^.*\) /, "").split(" ");
    const stime = Number(stat[12]);
    if (!read || !write || !Number.isFinite(stime)) return undefined;
    return { syscalls: Number(read[1]) + Number(write[1]), kernelTicks: stime };
  } catch {
    return undefined;
  }
}

/** Kernel time a stuck loop can still pick up (a page fault, a timer) without having done I/O. */
const IDLE_KERNEL_TICKS = 1;

/** True when the process did I/O between the two readings. */
export function madeProgress(before: KernelProgress, now: KernelProgress): boolean {
  return now.syscalls > before.syscalls || now.kernelTicks - before.kernelTicks > IDLE_KERNEL_TICKS;
}
