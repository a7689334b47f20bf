/** The spec layer: the operation table, generated types, events and request validation. */
import { ZoomConfigError } from '../errors';
import { operationIds, operations, type OperationId } from './generated/operations';
import { closestMatch } from './suggest';
import type { OperationMeta } from './types';

export { operationIds, operations } from './generated/operations';
export type { OperationId, PaginatedOperationId } from './generated/operations';
export type { OperationTypes } from './generated/types';
export { eventCatalog } from './generated/events';
export type { ZoomEventInfo, ZoomEventMap, ZoomEventName, ZoomWebhookEvent } from './generated/events';
export * as events from './generated/events';
export { validateRequest, validateValue } from './validate';
export type { RequestInput, ValidateOptions } from './validate';
export { isBinaryValue } from './binary';
export type { ZoomBinary } from './binary';
export type { HttpMethod, JsonSchema, OperationMeta, ParamMeta, RateLimitLabel } from './types';

/** Operation IDs are long and camel-cased; allow about one slip per four characters. */
const ID_DISTANCE = (length: number): number => Math.max(2, Math.floor(length / 4));

export function isOperationId(id: string): id is OperationId {
  return Object.prototype.hasOwnProperty.call(operations, id);
}

/** The operation's metadata; throws a ZoomConfigError (with a suggestion) for an unknown ID. */
export function getOperation(id: string): OperationMeta {
  if (isOperationId(id)) return operations[id];
  const suggestion = typeof id === 'string' ? closestMatch(id, operationIds, ID_DISTANCE) : undefined;
  const hint = suggestion ? ` Did you mean "${suggestion}"?` : '';
  throw new ZoomConfigError(`Unknown Zoom operation "${String(id)}".${hint}`);
}
