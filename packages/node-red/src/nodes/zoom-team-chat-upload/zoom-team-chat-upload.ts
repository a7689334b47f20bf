/**
 * `zoom-team-chat-upload`: a file from msg.payload (a Buffer) or from disk (streamed, never read
 * whole into memory), uploaded to the user's Team Chat files or sent to a channel or contact.
 */
import { createReadStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { setupAction } from '../../lib/action';
import type { Node, NodeAPI, NodeDef, NodeMessage } from '../../lib/red';
import { resolveTarget } from '../../lib/targets';
import { pick, str, withPayload } from '../../lib/values';

const CONTENT_TYPES: Record<string, string> = {
  '.txt': 'text/plain',
  '.csv': 'text/csv',
  '.json': 'application/json',
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.zip': 'application/zip',
  '.mp4': 'video/mp4',
  '.mp3': 'audio/mpeg',
};

export type FileData = Uint8Array | { stream: () => AsyncIterable<Uint8Array>; length: number };

export interface FileInput {
  fileName: string;
  contentType: string;
  data: FileData;
  size: number;
}

export async function fileInput(def: NodeDef, msg: NodeMessage): Promise<FileInput> {
  const configuredPath = str(def.filePath);
  const payload = msg.payload;
  let data: FileData;
  let size: number;
  let sourcePath: string | undefined;
  if (configuredPath === undefined && (Buffer.isBuffer(payload) || payload instanceof Uint8Array)) {
    data = payload;
    size = payload.byteLength;
  } else {
    sourcePath = configuredPath ?? str(msg.filename);
    if (sourcePath === undefined) {
      throw new Error(
        'No file: send a Buffer in msg.payload, or a file path in msg.filename, or set File path in the node.',
      );
    }
    let stat;
    try {
      stat = await fs.stat(sourcePath);
    } catch {
      throw new Error(`File not found: ${sourcePath}`);
    }
    if (!stat.isFile()) throw new Error(`Not a file: ${sourcePath}`);
    const file = sourcePath;
    // A fresh stream per attempt: the core may send the body again after a redirect or retry.
    data = { stream: () => createReadStream(file), length: stat.size };
    size = stat.size;
  }
  if (size === 0) throw new Error('The file is empty: Zoom refuses empty files.');
  const namedPath = sourcePath ?? str(msg.filename);
  const fileName = pick(def.fileName, msg.fileName) ?? (namedPath !== undefined ? path.basename(namedPath) : undefined);
  if (fileName === undefined || fileName === '') {
    throw new Error(
      'No file name: set File name in the node or send msg.fileName (needed when msg.payload is a Buffer).',
    );
  }
  const contentType =
    str(msg.contentType) ?? CONTENT_TYPES[path.extname(fileName).toLowerCase()] ?? 'application/octet-stream';
  return { fileName, contentType, data, size };
}

export default function register(RED: NodeAPI): void {
  function ZoomTeamChatUploadNode(this: Node, def: NodeDef): void {
    RED.nodes.createNode(this, def);
    const mode = def.mode === 'upload' ? 'upload' : 'send';
    setupAction(this, def, {
      busyText: 'uploading',
      async work({ msg, client, account, signal }) {
        const userId = pick(account.settings.userId, msg.userId) ?? 'me';
        const file = await fileInput(def, msg);
        const input = { fileName: file.fileName, contentType: file.contentType, data: file.data };
        if (mode === 'upload') {
          const result = await client.files.upload(input, { userId, signal });
          return { out: withPayload(msg, result), status: `uploaded ${file.fileName}` };
        }
        const target = resolveTarget(def, msg);
        const result = await client.files.send(
          input,
          {
            ...(target.channel !== undefined ? { to_channel: target.channel } : {}),
            ...(target.contact !== undefined ? { to_contact: target.contact } : {}),
            ...(target.replyTo !== undefined ? { reply_main_message_id: target.replyTo } : {}),
          },
          { userId, signal },
        );
        return { out: withPayload(msg, result), status: `sent ${file.fileName}` };
      },
    });
  }
  RED.nodes.registerType('zoom-team-chat-upload', ZoomTeamChatUploadNode);
}
