// The demo's Node-RED host: Node-RED 4.1.8 installed once into .tools, the package packed and
// installed into a fresh user dir the palette's way, the use-case examples and the demo tour
// deployed with credentials pointing at the simulator, each trigger subscribed.
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import {
  installHostAsync,
  makeUserDir,
  npmEnv,
  packTarball,
  runWithProgress,
  startNodeRed,
} from '@zoom-team-chat/testkit/nr-host';
import * as useCases from '@zoom-team-chat/testkit/nr-use-cases';
import { tour } from './scenario.mjs';

const TOUR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'node-red', 'tour.json');
const MODULE = '@zoom-team-chat/node-red-zoom-team-chat';
// The package's folder through the root's workspace dependency on it: packed below, and its
// use-case examples (which ship in the tarball) deployed.
const PACKAGE_ROOT = path.dirname(createRequire(import.meta.url).resolve(`${MODULE}/package.json`));

export const name = 'Node-RED';
export const defaultPort = 1880;

export async function install({ tools, log }) {
  return installHostAsync(tools, '4.1', { log });
}

export async function start({ tools, installed, sim, ws, port, workDir, log, onLog }) {
  const packDir = mkdtempSync(path.join(os.tmpdir(), 'demo-nr-pack-'));
  let nr;
  try {
    log(`Packing ${MODULE} (npm pack of packages/node-red)`);
    const tarball = packTarball(PACKAGE_ROOT, packDir, tools);
    const userDir = makeUserDir(tools, {
      port,
      credentialSecret: randomBytes(16).toString('hex'),
      nodeBin: installed.nodeBin,
      dir: path.join(workDir, 'node-red'),
    });
    // What the editor's palette manager runs: npm install <module> in the user directory.
    await runWithProgress('npm', ['install', '--no-audit', '--no-fund', '--omit=dev', tarball], {
      label: `Installing ${path.basename(tarball)} into the Node-RED user dir ${path.relative(process.cwd(), userDir)} (the palette's way)`,
      log,
      cwd: userDir,
      env: npmEnv(tools),
    });
    const logFile = createWriteStream(path.join(userDir, 'node-red.log'));
    log(
      `Starting Node-RED ${installed.version} on http://127.0.0.1:${port}/ (log: ${path.relative(process.cwd(), path.join(userDir, 'node-red.log'))})`,
    );
    nr = await startNodeRed({
      ...installed,
      userDir,
      port,
      onLog: (l) => {
        logFile.write(`${l}\n`);
        onLog(l);
      },
    });
    const files = useCases.useCaseFiles(PACKAGE_ROOT);
    const { flows, credentials, triggers } = useCases.configureFlows(
      [useCases.readFlow(TOUR), ...files.map(useCases.readFlow)],
      {
        sim,
        env: ws.env,
        secrets: ws.secrets,
      },
    );
    log(`Deploying the demo tour and ${files.length} use-case examples with credentials (Admin API v2)`);
    await nr.deploy(flows, credentials);
    log(
      `Subscribing the triggers with the simulator (it runs Zoom's URL validation on each): ${triggers.map((x) => x.path).join(', ')}`,
    );
    await useCases.subscribeTriggers(sim, nr.base, triggers);
    return {
      base: nr.base,
      editorUrl: `${nr.base}/`,
      log: nr.log,
      triggers: triggers.map((x) => `${nr.base}${x.path}`),
      flowsSummary: `${flows
        .filter((n) => n.type === 'tab')
        .map((n) => n.label)
        .join(' · ')} (one tab each)`,
      secrets: [
        sim.credentials.clientSecret,
        sim.credentials.chatbot.clientSecret,
        sim.credentials.webhookSecretToken,
        ws.secrets.WEBHOOK_TOKEN,
      ],
      async scenario(t, tr) {
        tr.section('1. One message, every action (the demo tour flow)');
        await tour(t, { triggerUrl: `${nr.base}/zoom/demo` });
        let n = 2;
        await useCases.runUseCases(t, files, {
          onTitle: (title, file) => tr.section(`${n++}. ${title} (examples/node-red/${file})`),
        });
      },
      playHints(simUrls) {
        return [
          `open ${nr.base}/ and look at the flows (one tab per example); change one, Deploy, and try again`,
          `post as a simulated person:  curl -s ${simUrls.admin}/act/message -H 'content-type: application/json' -d '{"as":"blake.chen@example.com","channel":"projects","text":"todo: try the demo"}'`,
          `a chatbot command:           curl -s ${simUrls.admin}/act/slash-command -H 'content-type: application/json' -d '{"as":"casey.diaz@example.com","command":"echo hello","channel":"general"}'`,
          `an alert from "monitoring":  curl -s ${nr.base}/alerts -H 'content-type: application/json' -d '{"severity":"warning","title":"Queue is growing"}'`,
          `a file from "another app":   curl -s ${nr.base}/files -F file=@README.md`,
        ];
      },
      stop: () => nr.stop(),
    };
  } catch (err) {
    await nr?.stop();
    throw err;
  } finally {
    rmSync(packDir, { recursive: true, force: true });
  }
}
