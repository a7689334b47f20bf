export { formatMessage, markdownToZoom } from './markdown';
export type { FormatOptions, ResolveName, RichTextFormat, RichTextItem, ZoomMessageBody } from './types';
