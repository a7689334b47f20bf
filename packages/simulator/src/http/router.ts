/**
 * The route table, compiled once: a segment trie with literal segments preferred over
 * `{param}` ones (`/chat/channels/search` before `/chat/channels/{channelId}`) and backtracking,
 * so `/chat/users/me/channels` still reaches `/chat/users/{userId}/channels`.
 */
export interface RouteMatch<T> {
  route: T;
  params: Record<string, string>;
}

interface Node<T> {
  literal: Map<string, Node<T>>;
  param?: { name: string; node: Node<T> };
  handlers: Map<string, T>;
}

const newNode = <T>(): Node<T> => ({ literal: new Map(), handlers: new Map() });

export class Router<T> {
  private readonly root: Node<T> = newNode();

  add(method: string, template: string, route: T): void {
    let node = this.root;
    for (const seg of template.split('/').filter(Boolean)) {
      const m = /^\{(.+)\}$/.exec(seg);
      if (m?.[1]) {
        if (!node.param) node.param = { name: m[1], node: newNode() };
        else if (node.param.name !== m[1]) {
          // Same position, different names (e.g. {identifier} vs {userId}): one node, names per route.
          node.param.name = `${node.param.name}|${m[1]}`;
        }
        node = node.param.node;
      } else {
        let next = node.literal.get(seg);
        if (!next) {
          next = newNode();
          node.literal.set(seg, next);
        }
        node = next;
      }
    }
    if (node.handlers.has(method)) throw new Error(`duplicate route ${method} ${template}`);
    node.handlers.set(method, route);
  }

  /**
   * `undefined` when no route has this path; `{ route: undefined }` when the path exists
   * but not for this method.
   */
  match(method: string, path: string): { found: RouteMatch<T> } | { pathExists: boolean } {
    const segs = path.split('/');
    const values: string[] = [];
    const names: string[] = [];
    let pathExists = false;
    const walk = (node: Node<T>, i: number): T | undefined => {
      while (i < segs.length && segs[i] === '') i++;
      if (i >= segs.length) {
        if (node.handlers.size) pathExists = true;
        return node.handlers.get(method);
      }
      const seg = segs[i] as string;
      const lit = node.literal.get(seg);
      if (lit) {
        const r = walk(lit, i + 1);
        if (r !== undefined) return r;
      }
      if (node.param) {
        values.push(seg);
        names.push(node.param.name);
        const r = walk(node.param.node, i + 1);
        if (r !== undefined) return r;
        values.pop();
        names.pop();
      }
      return undefined;
    };
    const route = walk(this.root, 0);
    if (route === undefined) return { pathExists };
    const params: Record<string, string> = {};
    for (let k = 0; k < names.length; k++) {
      let value = values[k] as string;
      try {
        value = decodeURIComponent(value);
      } catch {
        // keep the raw segment; validation reports it
      }
      for (const n of (names[k] as string).split('|')) params[n] = value;
    }
    return { found: { route, params } };
  }
}
