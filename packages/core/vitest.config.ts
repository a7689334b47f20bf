import { defineConfig } from 'vitest/config';
import { testConfig } from '@zoom-team-chat/testkit/vitest-preset';

export default defineConfig({ test: testConfig({ testTimeout: 30_000 }) });
