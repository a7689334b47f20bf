/**
 * operationId → handler. Operations the simulator models statefully have their own handler;
 * every other one answers a response built from its success schema (after full validation).
 */
import type { Handler } from '../http/api-server';
import type { SimOperation } from '../spec/model';
import { synthesizeValid } from '../spec/synth';
import { channelHandlers } from './channels';
import { chatbotHandlers } from './chatbot';
import { contactHandlers } from './contacts';
import { fileHandlers } from './files';
import { messageHandlers } from './messages';

export const STATEFUL: Record<string, Handler> = {
  ...channelHandlers,
  ...messageHandlers,
  ...contactHandlers,
  ...fileHandlers,
  ...chatbotHandlers,
};

const synthCache = new Map<string, unknown>();

/** A spec-valid response for an operation the simulator does not model (examples where they fit). */
export function synthesizedHandler(op: SimOperation): Handler {
  return (call) => {
    if (!op.successSchema) return {};
    let body = synthCache.get(op.operationId);
    if (body === undefined) {
      body = synthesizeValid(op.successSchema, { now: call.sim.now() });
      synthCache.set(op.operationId, body);
    }
    return { body: structuredClone(body) };
  };
}

export function handlerFor(op: SimOperation): Handler {
  return STATEFUL[op.operationId] ?? synthesizedHandler(op);
}

export function isStateful(operationId: string): boolean {
  return operationId in STATEFUL;
}
