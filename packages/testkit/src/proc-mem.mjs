// Resident memory of another process (Linux /proc), to show that a host streams a large file
// rather than holding it: the peak RSS growth while it handles the file, next to the file's size.
import { readFileSync, writeFileSync } from 'node:fs';

/** A `VmRSS` / `VmHWM` line of /proc/<pid>/status in bytes; undefined where /proc is missing. */
function statusBytes(pid, field) {
  try {
    const found = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return found ? Number(found[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export const rssBytes = (pid) => statusBytes(pid, 'VmRSS');

/**
 * Runs `fn` and measures `pid`'s peak resident memory meanwhile, against its RSS just before.
 * The kernel's high-water mark (VmHWM) is reset first where allowed (clear_refs 5, Linux 4.0+;
 * our own child processes), so a peak between samples is not missed; the 10 ms samples are the
 * fallback. `exact` says which it was.
 */
export async function peakRssDuring(pid, fn, { intervalMs = 10 } = {}) {
  const before = rssBytes(pid);
  let exact = false;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    exact = true;
  } catch {
    // not permitted (or not Linux): sampling only
  }
  let sampled = before ?? 0;
  const timer = setInterval(() => {
    sampled = Math.max(sampled, rssBytes(pid) ?? 0);
  }, intervalMs);
  try {
    const result = await fn();
    const peak = Math.max(sampled, rssBytes(pid) ?? 0, exact ? (statusBytes(pid, 'VmHWM') ?? 0) : 0);
    return { result, before, peak, growth: before === undefined ? undefined : peak - before, exact };
  } finally {
    clearInterval(timer);
  }
}
