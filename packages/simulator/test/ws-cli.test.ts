/** The CLI's WebSocket parts: the printed endpoint, --ws-idle-timeout, upgrades in --log. */
import { describe, expect, it } from 'vitest';
import { CliError, parseCli, runCli } from '../src/cli';
import { token } from './sim-helpers';
import { connect, refusal, withToken } from './ws-client';

describe('CLI and WebSocket events', () => {
  it('parses --ws-idle-timeout and refuses a bad one naming the flag', () => {
    const parsed = parseCli(['--ws-idle-timeout', '1500']);
    expect(!parsed.help && parsed.options.webSocket).toEqual({ idleTimeoutMs: 1500 });
    expect(() => parseCli(['--ws-idle-timeout', 'soon'])).toThrow(CliError);
    expect(() => parseCli(['--ws-idle-timeout', '0'])).toThrow(/--ws-idle-timeout/);
  });

  it('prints the ws URL, applies the idle timeout, and logs upgrades without the token', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const sim = await runCli(['--port', '0', '--storage', 'memory', '--ws-idle-timeout', '200', '--log'], {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
    });
    try {
      expect(sim!.urls.ws).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws$/);
      expect(out.join('\n')).toContain(`WebSocket events   ${sim!.urls.ws}?subscriptionId=`);
      const sub = await sim!.admin.createWebSocketSubscription({ events: ['team_chat.channel_message_posted'] });
      const t = await token(sim!);
      const c = await connect(withToken(sub.endpointUrl, t));
      expect((await c.closed).code).toBe(4000);
      await refusal(withToken(sub.endpointUrl, 'bad-token'));
      const lines = err.filter((l) => l.startsWith('ws '));
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/GET +101 .* \/ws$/);
      expect(lines[1]).toMatch(/GET +401 .* \/ws$/);
      expect(err.join('\n')).not.toContain(t);
    } finally {
      await sim?.close();
    }
  });
});
