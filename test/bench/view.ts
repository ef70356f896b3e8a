// The tree model build on its own: buildTree from the store with a node cache (what the provider's rebuild
// does), optionally describing every node (what its getTreeItem does for each row VS Code shows).
import type { GroupMode } from '../../src/core/model';
import { buildTree, describeNode, type NodeCache, type TreeStore } from '../../src/core/treeModel';

/** One refresh of the view: the tree model plus every node's label/description/tooltip. Returns the node count. */
export function renderTree(store: TreeStore, cache: NodeCache, mode: GroupMode = 'queue', now = Date.now(), describe = true): number {
  let nodes = 0;
  let chars = 0;
  for (const group of buildTree(store, { mode, now }, cache)) {
    if (describe) chars += describeNode(group, now).label.length;
    nodes++;
    for (const row of group.children) {
      if (describe) chars += describeNode(row, now).label.length;
      nodes++;
    }
  }
  return chars >= 0 ? nodes : -1;
}
