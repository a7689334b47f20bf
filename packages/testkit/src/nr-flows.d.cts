export interface AccountNodeOptions {
  name?: string;
  /** The simulator's URLs; left out, a closed port (for flows that only receive). */
  urls?: { api: string; file: string; oauth: string };
  plan?: string;
}

export function accountNode(id: string, o?: AccountNodeOptions): Record<string, unknown>;

export function channelMessageTrigger(o: {
  id: string;
  z: string;
  account: string;
  path: string;
  wires: string[][];
}): Record<string, unknown>;
