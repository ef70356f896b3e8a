// The contextValue of each kind of Calls tree row. package.json's view/item/context menus match them
// (`viewItem =~ /^streamLiner\.call\b/`, `/^streamLiner\.(call|group)\b/`), so these strings are public surface.
export const enum TreeContext {
  QueueGroup = 'streamLiner.group.queue',
  AgentGroup = 'streamLiner.group.agent',
  EndedGroup = 'streamLiner.group.ended',
  More = 'streamLiner.more',
  ActiveCall = 'streamLiner.call.active',
  EndedCall = 'streamLiner.call.ended',
}

/** A group row's context value by its kind. */
export const GROUP_CONTEXT = {
  queue: TreeContext.QueueGroup,
  agent: TreeContext.AgentGroup,
  ended: TreeContext.EndedGroup,
} as const;
