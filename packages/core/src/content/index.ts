export { formatMessage, markdownToZoom } from './markdown';
export type { FormatOptions, ResolveName, RichTextFormat, RichTextItem, ZoomMessageBody } from './types';
export { buildCard, checkCardContent, CARD_BUTTON_STYLES } from './card';
export type {
  CardBodyItem,
  CardButtonInput,
  CardButtonStyle,
  CardFieldInput,
  CardInput,
  CardResult,
  ChatbotCardContent,
} from './card';
