// Loads the feed clients and the ingest path from their own bundle, dist/feed.js, at the first Connect or demo:
// the extension bundle holds only their types, so activation never parses ws or the frame scanner.
import { join } from 'node:path';
import type { FeedConnection } from '../feed/connection';
import type { FrameIngest } from '../core/ingest/frameIngest';

/** The exports of dist/feed.js (src/app/feedBundle.ts). */
export interface FeedModule {
  FeedConnection: typeof FeedConnection;
  FrameIngest: typeof FrameIngest;
}

/** The feed bundle's file: next to dist/extension.js, whose folder is this code's __dirname once bundled. */
export const FEED_BUNDLE = join(__dirname, 'feed.js');

/** Requires dist/feed.js (Node caches it after the first connection). */
export function loadFeed(): FeedModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(FEED_BUNDLE) as FeedModule;
}
