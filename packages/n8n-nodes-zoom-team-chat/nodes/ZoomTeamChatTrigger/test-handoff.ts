import type { INodeExecutionData } from 'n8n-workflow';

/**
 * Why this exists: the node type has both `webhook()` (Webhook delivery) and `trigger()`
 * (WebSocket delivery). For a *test* webhook ("Listen for test event"), n8n runs the workflow in
 * manual mode, and in manual mode n8n's engine calls a node type's `trigger()` for the start node
 * instead of passing the webhook's items through (WorkflowExecute.runNode checks `trigger` before
 * `webhook`, in 1.123 and 2.41 alike). So `webhook()` leaves the items of a manual-mode delivery
 * here and `trigger()` (Webhook delivery, manual mode) emits them. Both run in the n8n main
 * process that received the test request.
 */
const MAX_AGE_MS = 60_000;
const pending = new Map<string, { data: INodeExecutionData[][]; at: number }>();

function keyOf(workflowId: string | undefined, nodeName: string): string {
	return `${workflowId ?? ''}\u0000${nodeName}`;
}

export function leaveTestDelivery(
	workflowId: string | undefined,
	nodeName: string,
	data: INodeExecutionData[][],
	now: number,
): void {
	for (const [key, entry] of pending) if (now - entry.at > MAX_AGE_MS) pending.delete(key);
	pending.set(keyOf(workflowId, nodeName), { data, at: now });
}

export function takeTestDelivery(
	workflowId: string | undefined,
	nodeName: string,
	now: number,
): INodeExecutionData[][] | undefined {
	const key = keyOf(workflowId, nodeName);
	const entry = pending.get(key);
	pending.delete(key);
	return entry && now - entry.at <= MAX_AGE_MS ? entry.data : undefined;
}
