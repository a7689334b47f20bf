// CPU time of another process (Linux /proc), to tell what a receiver itself costs per event when
// the load generator shares the machine with it.
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** User + system CPU milliseconds of `pid` (and its threads); undefined where /proc is missing. */
export function cpuMillis(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** PIDs of processes whose command line contains `needle` (e.g. a unique user-dir path). */
export function pidsByCommandLine(needle) {
  if (os.platform() !== 'linux') return [];
  const out = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Measures `fn` and the CPU the processes `pids` spent meanwhile; `cpuMsPerEvent` needs a count. */
export async function withCpu(pids, fn) {
  const before = pids.map(cpuMillis);
  const result = await fn();
  const after = pids.map(cpuMillis);
  let ms = 0;
  for (let i = 0; i < pids.length; i++) ms += (after[i] ?? NaN) - (before[i] ?? NaN);
  return { result, cpuMs: ms };
}
