import {
  memberIdOf,
  need,
  operatorFields,
  osTypeOf,
  plainFile,
  timeOf,
  type FileRef,
  type Operator,
  type Timed,
  type UserRef,
} from './events-common';

/** Files uploaded, changed or deleted by the operator (no time field: Zoom sends none). */
export interface FilesInput {
  operator: Operator;
  files: FileRef[];
}

function files(input: FilesInput): Record<string, unknown> {
  if (!Array.isArray(input.files)) throw new TypeError('files must be an array of { id, name, size }');
  return { ...operatorFields(input.operator), object: { files: input.files.map(plainFile) } };
}

/** `team_chat.file_uploaded` */
export function fileUploaded(input: FilesInput): Record<string, unknown> {
  return files(input);
}

/** `team_chat.file_changed` */
export function fileChanged(input: FilesInput): Record<string, unknown> {
  return files(input);
}

/** `team_chat.file_deleted` */
export function fileDeleted(input: FilesInput): Record<string, unknown> {
  return files(input);
}

/** Where files were shared: a channel, or a contact (`external`: of another account). */
export type ShareTarget = { channelId: string } | { contact: UserRef & { external?: boolean } };

/** Files shared to (or unshared from) a channel or contact. */
export interface FileShareInput extends FilesInput {
  to: ShareTarget;
}

function share(input: FileShareInput): Record<string, unknown> {
  const to = need(input.to, 'to');
  if (!Array.isArray(input.files)) throw new TypeError('files must be an array of { id, name, size }');
  const where =
    'channelId' in to
      ? { type: 'to_channel', channel_id: to.channelId }
      : {
          type: 'to_contact',
          contact_email: to.contact.email,
          contact_id: to.contact.userId,
          contact_member_id: memberIdOf(to.contact),
          is_external_user: to.contact.external === true,
        };
  return {
    ...operatorFields(input.operator),
    by_external_user: input.operator.external === true,
    object: { ...where, files: input.files.map(plainFile) },
  };
}

/** `team_chat.file_shared` */
export function fileShared(input: FileShareInput): Record<string, unknown> {
  return share(input);
}

/** `team_chat.file_unshared` */
export function fileUnshared(input: FileShareInput): Record<string, unknown> {
  return share(input);
}

/** A file downloaded by the operator. */
export interface FileDownloadedInput extends Timed {
  operator: Operator;
  file: FileRef;
  /** Who uploaded the file. */
  owner: Pick<UserRef, 'userId' | 'memberId'>;
  /** Where the file was sent: a channel, or the DM with this contact. */
  in?: { channelId: string } | { contact: UserRef };
}

/** `team_chat.file_downloaded` */
export function fileDownloaded(input: FileDownloadedInput): Record<string, unknown> {
  const at = timeOf(input);
  const file = need(input.file, 'file');
  const owner = need(input.owner, 'owner');
  const where =
    input.in === undefined
      ? {}
      : 'channelId' in input.in
        ? { channel_id: input.in.channelId }
        : {
            contact_email: input.in.contact.email,
            contact_id: input.in.contact.userId,
            contact_member_id: memberIdOf(input.in.contact),
          };
  return {
    ...operatorFields(input.operator),
    object: {
      ...where,
      timestamp: at,
      file: {
        file_id: file.id,
        file_name: file.name,
        file_size: file.size,
        file_type: file.osType ?? osTypeOf(file.name),
        file_owner_id: owner.userId,
        file_owner_member_id: owner.memberId ?? owner.userId,
      },
    },
  };
}

/** A custom emoji added or removed. */
export interface CustomEmojiInput {
  operator: Operator;
  name: string;
  /** The emoji image's file ID. */
  fileId: string;
}

/** `team_chat.emoji_added` */
export function emojiAdded(input: CustomEmojiInput): Record<string, unknown> {
  return { ...operatorFields(input.operator), object: { name: input.name, file_id: input.fileId } };
}

/** `team_chat.emoji_removed` */
export function emojiRemoved(input: CustomEmojiInput): Record<string, unknown> {
  return { ...operatorFields(input.operator), object: { name: input.name, file_id: input.fileId } };
}
