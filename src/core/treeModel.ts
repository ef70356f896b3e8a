// The Calls tree's view model: building the tree (tree/build.ts) and presenting its nodes (tree/present.ts).
export * from './tree/build';
export * from './tree/present';
