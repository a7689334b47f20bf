export interface PackManifest {
  name: string;
  files: Array<{ path: string; size: number }>;
  /** The package's package.json; each test reads the fields its package declares. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any package.json shape
  pkg: Record<string, any>;
  /** Every entry point package.json declares, and whether it loads from the tarball alone. */
  entries: Array<{ entry: string; packed: boolean; loaded?: boolean; error?: string }>;
  /** Breaches of the rules every published package shares. */
  problems: string[];
  /** The packed files' paths. */
  paths: string[];
}

export function packManifest(packageDir: string): Promise<PackManifest>;

export function packProblems(manifest: PackManifest, allowed: RegExp): string[];
