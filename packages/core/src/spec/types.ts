/** A subset of JSON Schema as the Zoom OpenAPI specs use it. */
export interface JsonSchema {
  type?: 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'null';
  format?: string;
  enum?: readonly unknown[];
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  oneOf?: readonly JsonSchema[];
  anyOf?: readonly JsonSchema[];
  allOf?: readonly JsonSchema[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  pattern?: string;
  default?: unknown;
  description?: string;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Zoom's rate-limit labels; file operations get their own bucket (20 requests/s). */
export type RateLimitLabel = 'LIGHT' | 'MEDIUM' | 'HEAVY' | 'RESOURCE-INTENSIVE' | 'FILE';

export interface ParamMeta {
  name: string;
  required: boolean;
  schema: JsonSchema;
  description?: string;
}

export interface OperationMeta {
  operationId: string;
  /** Which spec it came from. */
  api: 'team-chat' | 'chatbot';
  tag: string;
  summary: string;
  method: HttpMethod;
  /** Relative to the API base (`https://api.zoom.us/v2`), e.g. `/chat/users/{userId}/messages`. */
  path: string;
  /** `file` for the operations served by `https://file.zoom.us/v2`. */
  host: 'api' | 'file';
  rateLimit: RateLimitLabel;
  /** Classic scopes, any one of which grants the call. */
  scopes: readonly string[];
  /** Granular scopes, any one of which grants the call. */
  granularScopes: readonly string[];
  pathParams: readonly ParamMeta[];
  queryParams: readonly ParamMeta[];
  body?: {
    contentType: 'application/json' | 'multipart/form-data';
    schema: JsonSchema;
  };
  /** The documented success status (200, 201, 202 or 204). */
  successStatus: number;
  /**
   * Zoom's per-channel message windows (sendaChatMessage documents them on `to_channel`): past any
   * of them, sending into that channel is blocked for `blockMs`. Read from the spec's text.
   */
  channelLimits?: {
    /** The body field holding the channel ID. */
    field: string;
    windows: ReadonlyArray<{ windowMs: number; max: number; blockMs: number }>;
  };
  /** Set for list operations: how to page and where the items are. */
  pagination?: {
    style: 'token' | 'page';
    /** Property of the response that holds the array of items. */
    itemsKey: string;
    /** Largest `page_size` the spec allows. */
    maxPageSize?: number;
  };
}
