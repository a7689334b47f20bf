import type { FormField, WaitConfig } from './config';

/**
 * The answer page: one self-contained HTML document (no scripts, no external assets) served by
 * the node's webhook. Everything that comes from the workflow (question, labels, field values) is
 * escaped; the Content-Security-Policy below would also stop a script that slipped through.
 */

export function escapeHtml(value: unknown): string {
	return String(value ?? '')
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;');
}

/** Headers of every page: no scripts or outside requests, not cached or indexed, no referrer (the URL is a capability). */
export const PAGE_HEADERS: Record<string, string> = {
	'Content-Type': 'text/html; charset=utf-8',
	'Content-Security-Policy':
		"default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
	'Cache-Control': 'no-store',
	'Referrer-Policy': 'no-referrer',
	'X-Robots-Tag': 'noindex, nofollow',
	'X-Content-Type-Options': 'nosniff',
};

const STYLE = `
*{box-sizing:border-box}
body{margin:0;padding:24px 16px;background:#f4f5f7;color:#1f2328;font:16px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
main{max-width:520px;margin:0 auto;background:#fff;border-radius:12px;padding:24px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:1.3em;margin:0 0 4px}
.from{color:#57606a;font-size:.9em;margin:0 0 16px}
.question{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f8fa;border-left:4px solid #0b5cff;padding:12px;margin:0 0 20px;border-radius:4px}
label{display:block;font-weight:600;margin:14px 0 6px}
.req{color:#cf222e}
input,select,textarea{width:100%;font:inherit;padding:10px;border:1px solid #d0d7de;border-radius:8px;background:#fff}
textarea{min-height:120px;resize:vertical}
.buttons{display:flex;flex-wrap:wrap;gap:12px;margin-top:20px}
button{flex:1 1 140px;font:inherit;font-weight:600;padding:12px 16px;border-radius:8px;border:1px solid transparent;cursor:pointer;background:#0b5cff;color:#fff}
button.secondary{background:#fff;color:#cf222e;border-color:#cf222e}
.error{color:#cf222e;font-size:.9em;margin:4px 0 0}
.notice{padding:12px;border-radius:8px;background:#fff8c5;border:1px solid #d4a72c;margin:0 0 16px}
.done{font-size:1.1em}
`;

export interface PageFrame {
	title: string;
	/** Who asks: shown under the title. */
	from?: string;
	question?: string;
}

export function renderPage(frame: PageFrame, content: string): string {
	return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(frame.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(frame.title)}</h1>
${frame.from ? `<p class="from">${escapeHtml(frame.from)}</p>` : ''}
${frame.question !== undefined ? `<div class="question">${escapeHtml(frame.question)}</div>` : ''}
${content}
</main>
</body>
</html>
`;
}

export function fieldName(index: number): string {
	return `field-${index}`;
}

function fieldInput(field: FormField, index: number, value: string): string {
	const name = fieldName(index);
	const common = `id="${name}" name="${name}"${field.required ? ' required' : ''}`;
	const placeholder = field.placeholder ? ` placeholder="${escapeHtml(field.placeholder)}"` : '';
	switch (field.type) {
		case 'textarea':
			return `<textarea ${common}${placeholder} maxlength="10000">${escapeHtml(value)}</textarea>`;
		case 'dropdown': {
			const options = field.options
				.map((o) => `<option value="${escapeHtml(o)}"${o === value ? ' selected' : ''}>${escapeHtml(o)}</option>`)
				.join('');
			return `<select ${common}><option value=""${value === '' ? ' selected' : ''}>Choose…</option>${options}</select>`;
		}
		case 'number':
			return `<input type="number" step="any" ${common}${placeholder} value="${escapeHtml(value)}">`;
		case 'email':
			return `<input type="email" ${common}${placeholder} value="${escapeHtml(value)}" maxlength="320">`;
		default:
			return `<input type="text" ${common}${placeholder} value="${escapeHtml(value)}" maxlength="10000">`;
	}
}

/**
 * What the GET shows: the question with its buttons or form. Only its POST (same URL, query and
 * signature included) answers. Multipart, because n8n 2.x accepts nothing else for a send-and-wait
 * node with a custom form.
 */
export function answerForm(
	config: WaitConfig,
	values: Record<string, string> = {},
	errors: Record<string, string> = {},
): string {
	const errorOf = (name: string) => (errors[name] ? `<p class="error">${escapeHtml(errors[name])}</p>` : '');
	if (config.responseType === 'approval') {
		const decline = config.approval.double
			? `<button type="submit" name="decision" value="decline" class="secondary">${escapeHtml(config.approval.declineLabel)}</button>`
			: '';
		return `<form method="post" enctype="multipart/form-data">${errorOf('decision')}<div class="buttons"><button type="submit" name="decision" value="approve">${escapeHtml(config.approval.approveLabel)}</button>${decline}</div></form>`;
	}
	if (config.responseType === 'freeText') {
		const name = fieldName(0);
		return `<form method="post" enctype="multipart/form-data"><label for="${name}">Your answer <span class="req">*</span></label><textarea id="${name}" name="${name}" required maxlength="10000">${escapeHtml(values[name] ?? '')}</textarea>${errorOf(name)}<div class="buttons"><button type="submit">${escapeHtml(config.submitLabel)}</button></div></form>`;
	}
	const fields = config.fields
		.map((field, index) => {
			const name = fieldName(index);
			return `<label for="${name}">${escapeHtml(field.label)}${field.required ? ' <span class="req">*</span>' : ''}</label>${fieldInput(field, index, values[name] ?? '')}${errorOf(name)}`;
		})
		.join('\n');
	return `<form method="post" enctype="multipart/form-data">${fields}<div class="buttons"><button type="submit">${escapeHtml(config.submitLabel)}</button></div></form>`;
}

export function noticePage(frame: PageFrame, message: string): string {
	return renderPage(frame, `<p class="notice">${escapeHtml(message)}</p>`);
}

export function thanksPage(frame: PageFrame, outcome: string): string {
	return renderPage(
		{ title: frame.title, from: frame.from },
		`<p class="done">${escapeHtml(outcome)}</p><p>You can close this page.</p>`,
	);
}
