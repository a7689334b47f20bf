// A real browser for the editor suites and the README pictures: Debian's Chromium driven by
// playwright-core (no browser download: apt keeps the distribution's Chromium patched, and closed
// CI networks refuse playwright's download). CHROMIUM_PATH names another Chromium binary.
//
//   const b = await launchBrowser({ artifactsDir });
//   if (b.skipped) -> record one passing check labelled with b.skipped (only outside CI)
//   const page = await b.newPage();
//   await step(page, 'open the editor', () => page.goto(url));   // failure -> screenshot + rethrow
//   await b.close();
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const CHROMIUM = '/usr/bin/chromium';
export const INSTALL_HINT = "install Debian's chromium: apt-get install -y chromium";
// Without the background-networking and component-update flags Chromium keeps dialling Google
// services, which a closed network refuses; QUIC likewise. Chromium will not start its sandbox as
// root, and CI runs as root.
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const VIEWPORT = { width: 1280, height: 800 };

const isCi = () => /^(1|true|yes)$/i.test(process.env.CI ?? '');

/** What `step` needs to know about a page: where pictures go and what the page logged. */
const pages = new WeakMap();

/**
 * Starts Chromium. Returns `{ skipped }` (a reason) when it is not installed, except under CI=true,
 * where a missing browser must fail the run rather than quietly test less. `artifactsDir` is
 * emptied (pictures of an earlier run would mislead) and ignored by git from the inside.
 */
export async function launchBrowser({
  artifactsDir,
  executablePath = process.env.CHROMIUM_PATH || CHROMIUM,
  viewport = VIEWPORT,
} = {}) {
  if (!existsSync(executablePath)) {
    const reason = `no Chromium at ${executablePath} (${INSTALL_HINT})`;
    if (isCi()) throw new Error(`CI=true and ${reason}`);
    return { skipped: reason };
  }
  if (artifactsDir) {
    rmSync(artifactsDir, { recursive: true, force: true });
    mkdirSync(artifactsDir, { recursive: true });
    writeFileSync(path.join(artifactsDir, '.gitignore'), '*\n');
  }
  const { chromium } = await import('playwright-core');
  // Cleanup on exit: playwright-core gives every launch a fresh temporary profile and, when this
  // process exits (normally or through process.exit), kills the browser and deletes the profile.
  // Its own signal handlers would exit at once, cutting short the caller's cleanup (Node-RED, the
  // simulator), so exitOnSignals() takes their place. Chromium also quits when its control pipe
  // closes: even a SIGKILL leaves no browser running (only its profile, in the temp directory).
  exitOnSignals();
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: CHROMIUM_FLAGS,
    timeout: 60_000,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  return {
    browser,
    artifactsDir,
    /** A page whose console errors and uncaught exceptions `step` attaches to a failure. */
    async newPage(options = {}) {
      const page = await browser.newPage({ viewport, deviceScaleFactor: 1, ...options });
      trackPage(page, artifactsDir);
      return page;
    },
    async close() {
      await browser.close().catch(() => undefined);
    },
  };
}

/** Lets `step` use a page made elsewhere (a context's page, a popup). */
export function trackPage(page, artifactsDir) {
  const state = { artifactsDir, errors: [], count: 0 };
  pages.set(page, state);
  page.on('console', (m) => {
    if (m.type() === 'error') state.errors.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (err) => state.errors.push(`uncaught: ${err.stack || err.message}`));
  return page;
}

/**
 * One user-visible step. On failure: a full-page screenshot and the page's console errors go to
 * the artifacts directory, and the error is rethrown naming the screenshot. Returns fn's value.
 */
export async function step(page, name, fn) {
  const state = pages.get(page);
  const errorsBefore = state ? state.errors.length : 0;
  try {
    return await fn();
  } catch (err) {
    // playwright colours its call logs; the notes file is read in an editor.
    // eslint-disable-next-line no-control-regex -- the escape character is what is removed
    const message = (err instanceof Error ? err.message : String(err)).replace(/\x1b\[[0-9;]*m/g, '');
    if (!state?.artifactsDir) throw err;
    const base = `${String(++state.count).padStart(2, '0')}-${slug(name)}`;
    const picture = path.join(state.artifactsDir, `${base}.png`);
    const notes = [
      `step: ${name}`,
      `url: ${safeUrl(page)}`,
      `error: ${message}`,
      '',
      'console errors during the step:',
      ...state.errors.slice(errorsBefore),
    ];
    if (errorsBefore > 0) notes.push('', 'earlier console errors:', ...state.errors.slice(0, errorsBefore));
    writeFileSync(path.join(state.artifactsDir, `${base}.txt`), `${notes.join('\n')}\n`);
    let where;
    let shot;
    try {
      await page.screenshot({ path: picture, fullPage: true, timeout: 10_000 });
      shot = picture;
      where = `screenshot ${path.relative(process.cwd(), picture) || picture}`;
    } catch (shotErr) {
      where = `no screenshot (${shotErr instanceof Error ? shotErr.message.split('\n')[0] : shotErr})`;
    }
    const stepErrors = state.errors.slice(errorsBefore);
    const wrapped = new Error(
      `${message.split('\n')[0]} [${where}${stepErrors.length ? `; ${stepErrors.length} console error(s) in ${base}.txt` : ''}]`,
      { cause: err },
    );
    wrapped.screenshot = shot;
    throw wrapped;
  }
}

/** What the page reported as errors so far: console.error lines and uncaught exceptions. */
export function pageErrors(page) {
  return [...(pages.get(page)?.errors ?? [])];
}

/**
 * A signal nobody else handles ends the process through process.exit, so the exit handlers (the
 * browser's cleanup among them) run; a caller with its own handler decides when to exit.
 */
let signalsHandled = false;
function exitOnSignals() {
  if (signalsHandled) return;
  signalsHandled = true;
  for (const [signal, number] of Object.entries({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 })) {
    process.on(signal, () => {
      if (process.listenerCount(signal) === 1) process.exit(128 + number);
    });
  }
}

function slug(text) {
  return (
    String(text)
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'step'
  );
}

function safeUrl(page) {
  try {
    return page.url();
  } catch {
    return '?';
  }
}
