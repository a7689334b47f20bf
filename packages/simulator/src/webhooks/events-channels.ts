import {
  checkEpoch,
  displayNameOf,
  legacyOperatorFields,
  memberIdOf,
  need,
  operatorFields,
  timeOf,
  zoomDateTime,
  type ChannelRef,
  type EpochMs,
  type Operator,
  type Timed,
  type UserRef,
} from './events-common';

/** A channel member or app as the member lists of events name it. */
export interface MemberRef {
  id: string;
  displayName: string;
}

/** Something that happened to a channel as a whole, or to the operator's own membership. */
export interface ChannelEventInput extends Timed {
  /** Who did it (for member_joined / member_left: who joined or left). */
  operator: Operator;
  channel: ChannelRef;
}

/** A channel event that lists members (created: the initial members; invited/removed: those affected). */
export interface ChannelMembersInput extends ChannelEventInput {
  members: MemberRef[];
}

function legacyChannel(input: ChannelEventInput, members?: readonly MemberRef[]): Record<string, unknown> {
  const at = timeOf(input);
  const channel = need(input.channel, 'channel');
  return {
    ...legacyOperatorFields(input.operator),
    object: {
      name: channel.name,
      id: channel.id,
      type: channel.type,
      date_time: zoomDateTime(at),
      timestamp: at,
      ...(members === undefined ? {} : { members: memberList(members) }),
    },
  };
}

function memberList(members: readonly MemberRef[]): Array<Record<string, unknown>> {
  if (!Array.isArray(members)) throw new TypeError('members must be an array of { id, displayName }');
  return members.map((m) => ({ id: m.id, display_name: m.displayName }));
}

/** `chat_channel.created` */
export function chatChannelCreated(input: ChannelMembersInput): Record<string, unknown> {
  return legacyChannel(input, input.members);
}

/** `chat_channel.updated` */
export function chatChannelUpdated(input: ChannelEventInput): Record<string, unknown> {
  return legacyChannel(input);
}

/** `chat_channel.deleted` */
export function chatChannelDeleted(input: ChannelEventInput): Record<string, unknown> {
  return legacyChannel(input);
}

/** `chat_channel.member_joined` (the operator joined) */
export function chatChannelMemberJoined(input: ChannelEventInput): Record<string, unknown> {
  return legacyChannel(input);
}

/** `chat_channel.member_left` (the operator left) */
export function chatChannelMemberLeft(input: ChannelEventInput): Record<string, unknown> {
  return legacyChannel(input);
}

/** `chat_channel.member_invited` */
export function chatChannelMemberInvited(input: ChannelMembersInput): Record<string, unknown> {
  return legacyChannel(input, input.members);
}

/** `chat_channel.member_removed` */
export function chatChannelMemberRemoved(input: ChannelMembersInput): Record<string, unknown> {
  return legacyChannel(input, input.members);
}

function channelState(input: ChannelEventInput): Record<string, unknown> {
  const at = timeOf(input);
  const channel = need(input.channel, 'channel');
  return {
    ...operatorFields(input.operator),
    by_external_user: input.operator.external === true,
    object: { name: channel.name, id: channel.id, type: channel.type, date_time: zoomDateTime(at), timestamp: at },
  };
}

/** `team_chat.channel_archived` */
export function channelArchived(input: ChannelEventInput): Record<string, unknown> {
  return channelState(input);
}

/** `team_chat.channel_unarchived` */
export function channelUnarchived(input: ChannelEventInput): Record<string, unknown> {
  return channelState(input);
}

/** Chatbot apps added to or removed from a channel. */
export interface ChannelAppsInput extends ChannelEventInput {
  apps: MemberRef[];
}

function channelApps(input: ChannelAppsInput): Record<string, unknown> {
  const at = timeOf(input);
  const channel = need(input.channel, 'channel');
  return {
    ...operatorFields(input.operator),
    by_external_user: input.operator.external === true,
    object: {
      channel_name: channel.name,
      channel_id: channel.id,
      type: channel.type,
      date_time: zoomDateTime(at),
      timestamp: at,
      app_members: memberList(input.apps),
    },
  };
}

/** `team_chat.channel_app_added` */
export function channelAppAdded(input: ChannelAppsInput): Record<string, unknown> {
  return channelApps(input);
}

/** `team_chat.channel_app_removed` */
export function channelAppRemoved(input: ChannelAppsInput): Record<string, unknown> {
  return channelApps(input);
}

/** A starred (or unstarred) channel, or a contact; `external` marks a contact of another account. */
export type StarItem = { channelId: string } | { contact: UserRef & { external?: boolean } };

export interface StarInput extends Timed {
  operator: Operator;
  items: StarItem[];
}

function stars(input: StarInput): Record<string, unknown> {
  const at = timeOf(input);
  if (!Array.isArray(input.items)) throw new TypeError('items must be an array of { channelId } or { contact }');
  return {
    ...operatorFields(input.operator),
    object: {
      items: input.items.map((item) =>
        'channelId' in item
          ? { type: 'channel', channel_id: item.channelId }
          : {
              type: 'contact',
              contact_email: item.contact.email,
              contact_id: item.contact.userId,
              contact_member_id: memberIdOf(item.contact),
              is_external_user: item.contact.external === true,
            },
      ),
      date_time: zoomDateTime(at),
      timestamp: at,
    },
  };
}

/** `team_chat.starred` */
export function starred(input: StarInput): Record<string, unknown> {
  return stars(input);
}

/** `team_chat.unstarred` */
export function unstarred(input: StarInput): Record<string, unknown> {
  return stars(input);
}

/** The organization owning the channel (omitted by Zoom for external organizations). */
export interface Organization {
  id: string;
  name: string;
}

/** Someone who invited the invitee; `invitedAt` (default: the event time) becomes `date_created`. */
export interface Inviter extends UserRef {
  invitedAt?: EpochMs;
}

/** A channel invitation of an external user (the `team_chat.channel_invitation_*` events). */
export interface ChannelInvitationInput extends Timed {
  operator: Operator;
  channel: ChannelRef;
  organization?: Organization;
  invitee: UserRef;
  inviters: Inviter[];
}

export type InvitationDecider = 'by_channel_owner_account_admin' | 'by_invitee_account_admin';

function invitationObject(input: Omit<ChannelInvitationInput, 'operator'>, at: EpochMs): Record<string, unknown> {
  const channel = need(input.channel, 'channel');
  const invitee = need(input.invitee, 'invitee');
  if (!Array.isArray(input.inviters)) throw new TypeError('inviters must be an array of users');
  return {
    ...(input.organization === undefined
      ? {}
      : { organization: { org_id: input.organization.id, org_name: input.organization.name } }),
    channel: { channel_id: channel.id, channel_name: channel.name, type: channel.type },
    invitee: { display_name: displayNameOf(invitee), user_email: invitee.email, member_id: memberIdOf(invitee) },
    inviters: input.inviters.map((u, i) => ({
      user_id: u.userId,
      display_name: displayNameOf(u),
      user_email: u.email,
      member_id: memberIdOf(u),
      date_created: zoomDateTime(u.invitedAt === undefined ? at : checkEpoch(u.invitedAt, `inviters[${i}].invitedAt`)),
    })),
    date_time: zoomDateTime(at),
    timestamp: at,
  };
}

function invitation(
  input: ChannelInvitationInput,
  opts: { external: boolean; type?: string },
): Record<string, unknown> {
  const at = timeOf(input);
  return {
    ...operatorFields(input.operator),
    ...(opts.external ? { by_external_user: input.operator.external === true } : {}),
    object: {
      ...invitationObject(input, at),
      ...(opts.type === undefined ? {} : { type: opts.type }),
    },
  };
}

/** `team_chat.channel_invitation_created` */
export function channelInvitationCreated(input: ChannelInvitationInput): Record<string, unknown> {
  return invitation(input, { external: true });
}

/** `team_chat.channel_invitation_accepted` (operator: the invitee) */
export function channelInvitationAccepted(input: ChannelInvitationInput): Record<string, unknown> {
  return invitation(input, { external: false });
}

/** `team_chat.channel_invitation_rejected` (operator: the invitee) */
export function channelInvitationRejected(input: ChannelInvitationInput): Record<string, unknown> {
  return invitation(input, { external: true });
}

/** `team_chat.channel_invitation_removed` */
export function channelInvitationRemoved(input: ChannelInvitationInput): Record<string, unknown> {
  return invitation(input, { external: false });
}

/** `team_chat.channel_invitation_approved` (an admin approved it) */
export function channelInvitationApproved(
  input: ChannelInvitationInput & { decidedBy: InvitationDecider },
): Record<string, unknown> {
  return invitation(input, { external: true, type: input.decidedBy });
}

/** `team_chat.channel_invitation_declined` (an admin declined it) */
export function channelInvitationDeclined(
  input: ChannelInvitationInput & { decidedBy?: InvitationDecider },
): Record<string, unknown> {
  return invitation(input, { external: false, ...(input.decidedBy === undefined ? {} : { type: input.decidedBy }) });
}

/** Sent to the approver; there is no operator. */
export interface InvitationApprovalRequestInput extends Omit<ChannelInvitationInput, 'operator'> {
  approver: 'to_channel_account_admin' | 'to_invitee_account_admin' | 'to_invitee';
}

/** `team_chat.channel_invitation_approval_requested` */
export function channelInvitationApprovalRequested(input: InvitationApprovalRequestInput): Record<string, unknown> {
  const at = timeOf(input);
  const object = invitationObject(input, at);
  const invitee = need(input.invitee, 'invitee');
  return {
    object: {
      ...object,
      invitee: {
        user_id: invitee.userId,
        display_name: displayNameOf(invitee),
        user_email: invitee.email,
        member_id: memberIdOf(invitee),
      },
      type: input.approver,
    },
  };
}

/** A request to join a channel (the `team_chat.channel_join_*` events). */
export interface ChannelJoinInput extends Timed {
  operator: Operator;
  channel: ChannelRef;
  organization?: Organization;
  requester: UserRef;
}

export type JoinDecider = 'by_channel_owner_account_admin' | 'by_requester_account_admin' | 'by_channel_owner';

function joinObject(input: Omit<ChannelJoinInput, 'operator'>, at: EpochMs): Record<string, unknown> {
  const channel = need(input.channel, 'channel');
  const requester = need(input.requester, 'requester');
  return {
    ...(input.organization === undefined
      ? {}
      : { organization: { org_id: input.organization.id, org_name: input.organization.name } }),
    channel: { channel_id: channel.id, channel_name: channel.name, type: channel.type },
    requester: {
      user_id: requester.userId,
      display_name: displayNameOf(requester),
      user_email: requester.email,
      member_id: memberIdOf(requester),
    },
    date_time: zoomDateTime(at),
    timestamp: at,
  };
}

/** `team_chat.channel_join_requested` (operator: the requester) */
export function channelJoinRequested(input: ChannelJoinInput): Record<string, unknown> {
  const at = timeOf(input);
  return {
    ...operatorFields(input.operator),
    by_external_user: input.operator.external === true,
    object: joinObject(input, at),
  };
}

/** `team_chat.channel_join_approved` */
export function channelJoinApproved(input: ChannelJoinInput & { decidedBy?: JoinDecider }): Record<string, unknown> {
  return joinDecision(input);
}

/** `team_chat.channel_join_declined` */
export function channelJoinDeclined(input: ChannelJoinInput & { decidedBy?: JoinDecider }): Record<string, unknown> {
  return joinDecision(input);
}

function joinDecision(input: ChannelJoinInput & { decidedBy?: JoinDecider }): Record<string, unknown> {
  const at = timeOf(input);
  return {
    ...operatorFields(input.operator),
    object: { ...joinObject(input, at), ...(input.decidedBy === undefined ? {} : { type: input.decidedBy }) },
  };
}

/** Sent to the approver; there is no operator. */
export interface JoinApprovalRequestInput extends Omit<ChannelJoinInput, 'operator'> {
  approver: 'to_channel_account_admin' | 'to_requester_account_admin' | 'to_channel_owner';
}

/** `team_chat.channel_join_approval_requested` */
export function channelJoinApprovalRequested(input: JoinApprovalRequestInput): Record<string, unknown> {
  const at = timeOf(input);
  return { object: { ...joinObject(input, at), type: input.approver } };
}
