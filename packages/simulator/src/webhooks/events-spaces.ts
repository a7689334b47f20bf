import {
  displayNameOf,
  memberIdOf,
  need,
  operatorFields,
  timeOf,
  type Operator,
  type Timed,
  type UserRef,
} from './events-common';

export interface SpaceRef {
  id: string;
  name: string;
}

export type SpaceRole = 'owner' | 'admin' | 'member';

/** Members invited to a shared space. */
export interface SpaceMembersInvitedInput extends Timed {
  operator: Operator;
  space: SpaceRef;
  members: Array<UserRef & { role: SpaceRole }>;
}

/** `team_chat.shared_spaces_member_invited` */
export function sharedSpacesMemberInvited(input: SpaceMembersInvitedInput): Record<string, unknown> {
  const at = timeOf(input);
  const space = need(input.space, 'space');
  if (!Array.isArray(input.members)) throw new TypeError('members must be an array of users with a role');
  return {
    ...operatorFields(input.operator),
    object: {
      space_id: space.id,
      space_name: space.name,
      members: input.members.map((m) => ({
        user_id: m.userId,
        user_email: m.email,
        display_name: displayNameOf(m),
        role: m.role,
        member_id: memberIdOf(m),
      })),
      timestamp: at,
    },
  };
}

/** Members removed from a shared space. */
export interface SpaceMembersRemovedInput extends Timed {
  operator: Operator;
  space: SpaceRef;
  members: UserRef[];
}

/** `team_chat.shared_spaces_member_removed` */
export function sharedSpacesMemberRemoved(input: SpaceMembersRemovedInput): Record<string, unknown> {
  const at = timeOf(input);
  const space = need(input.space, 'space');
  if (!Array.isArray(input.members)) throw new TypeError('members must be an array of users');
  return {
    ...operatorFields(input.operator),
    object: {
      space_id: space.id,
      space_name: space.name,
      members: input.members.map((m) => ({
        user_id: m.userId,
        user_email: m.email,
        display_name: displayNameOf(m),
        member_id: memberIdOf(m),
      })),
      timestamp: at,
    },
  };
}

/** The operator left a shared space. */
export interface SpaceMemberLeftInput extends Timed {
  operator: Operator;
  space: SpaceRef;
}

/** `team_chat.shared_spaces_member_left` */
export function sharedSpacesMemberLeft(input: SpaceMemberLeftInput): Record<string, unknown> {
  const at = timeOf(input);
  const space = need(input.space, 'space');
  return { ...operatorFields(input.operator), object: { space_id: space.id, space_name: space.name, timestamp: at } };
}

export type SpacePermission = 'by_owner_and_admins' | 'by_any_member';

export interface SpaceSettings {
  name: string;
  description: string;
  isPublic: boolean;
  addNewMembers: SpacePermission;
  addNewChannels: SpacePermission;
  addExternalUsers: 'disabled' | 'by_same_org' | SpacePermission;
}

/** A shared space's settings changed. */
export interface SpaceEditedInput extends Timed {
  operator: Operator;
  spaceId: string;
  before: SpaceSettings;
  after: SpaceSettings;
}

/** `team_chat.shared_spaces_edited` */
export function sharedSpacesEdited(input: SpaceEditedInput): Record<string, unknown> {
  const at = timeOf(input);
  return {
    ...operatorFields(input.operator),
    object: {
      space_id: input.spaceId,
      new_settings: settings(need(input.after, 'after')),
      old_settings: settings(need(input.before, 'before')),
      timestamp: at,
    },
  };
}

function settings(s: SpaceSettings): Record<string, unknown> {
  return {
    name: s.name,
    desc: s.description,
    option: {
      is_public: s.isPublic,
      add_new_members: s.addNewMembers,
      add_new_channels: s.addNewChannels,
      add_external_users: s.addExternalUsers,
    },
  };
}
