// What a command that acts on a call or a group is given: a Calls tree row (its context menu hands over the tree's
// own node), a call id (a row's click, a wait alert, another command), or nothing (the Command Palette).
import { NO_GROUP_KEY } from '../core/model';
import type { GroupNode, TreeNode } from '../core/treeModel';

export type CommandTarget = TreeNode | string | undefined;

/** A queue or agent group row: the ones a filter can be made from. */
export type FilterableGroup = GroupNode & { readonly groupKind: 'queue' | 'agent' };

const NODE_KINDS: ReadonlySet<unknown> = new Set<TreeNode['kind']>(['group', 'call', 'more']);

/** VS Code's argument as a target: a call id, or a tree node (told apart by its kind); anything else is no target. */
export function commandTarget(arg: unknown): CommandTarget {
  if (typeof arg === 'string') return arg || undefined;
  if (typeof arg === 'number' && Number.isFinite(arg)) return String(arg);
  if (typeof arg === 'object' && arg !== null && NODE_KINDS.has((arg as { kind?: unknown }).kind)) return arg as TreeNode;
  return undefined;
}

/** The call a target names: the id itself, or a call row's call. */
export function targetCallId(target: CommandTarget): string | undefined {
  if (typeof target === 'string') return target;
  return target?.kind === 'call' ? target.call.id : undefined;
}

/** The queue or agent group a target is (not the "Recently ended" group). */
export function targetGroup(target: CommandTarget): FilterableGroup | undefined {
  if (typeof target !== 'object' || target.kind !== 'group' || target.groupKind === 'ended') return undefined;
  return target as FilterableGroup;
}

/** Whether a group is the catch-all one (calls without a queue or an agent), which no filter can select. */
export function isCatchAllGroup(group: GroupNode): boolean {
  return group.key === NO_GROUP_KEY;
}
