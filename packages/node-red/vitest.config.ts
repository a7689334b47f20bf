import { defineConfig } from 'vitest/config';
import { testConfig } from '@zoom-team-chat/testkit/vitest-preset';

export default defineConfig({
  // Node-RED's runtime is a singleton per process: files must not share it concurrently.
  test: testConfig({ testTimeout: 30_000, fileParallelism: false }),
});
