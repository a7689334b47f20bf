// Workflows created through n8n's REST API (POST /workflows) by the runs that build their own:
// the envelope (inactive until PATCHed active, n8n's current execution order v1) and its nodes.
import { randomUUID } from 'node:crypto';

/**
 * @param {string} name
 * @param {object[]} nodes
 * @param {Record<string, unknown>} [connections] by source node name, as n8n keeps them
 */
export function n8nWorkflow(name, nodes, connections = {}) {
  return { name, active: false, settings: { executionOrder: 'v1' }, connections, nodes };
}

/**
 * A node of such a workflow, with a fresh id, typeVersion 1 and at the origin unless `o` says
 * otherwise; `o` also carries what else the node has (parameters, credentials, webhookId).
 * @param {string} name @param {string} type @param {Record<string, unknown>} [o]
 */
export function n8nNode(name, type, o = {}) {
  return { id: randomUUID(), name, type, typeVersion: 1, position: [0, 0], ...o };
}
