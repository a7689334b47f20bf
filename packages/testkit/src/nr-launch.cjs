// Runs Node-RED's red.js in this process and stops it (gracefully, as Ctrl-C would) when the
// pipe on stdin closes: that happens when the process that started us dies without stopping
// us, so a killed test run or demo leaves no orphan Node-RED behind.
// Usage: node nr-launch.cjs <path to red.js> [red.js arguments…]
'use strict';
const redJs = process.argv[2];
if (!redJs) {
  console.error('usage: node nr-launch.cjs <red.js> [args]');
  process.exit(2);
}
// red.js parses process.argv from index 2.
process.argv.splice(2, 1);
process.stdin.on('end', () => process.kill(process.pid, 'SIGINT'));
process.stdin.on('error', () => process.kill(process.pid, 'SIGINT'));
process.stdin.resume();
require(redJs);
