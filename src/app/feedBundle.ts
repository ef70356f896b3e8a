// Entry of dist/feed.js, the feed clients' own bundle: the extension requires it at the first Connect or demo
// (src/app/feedLoader.ts), so activation parses neither ws and Node's network modules nor the frame scanner.
export { FeedConnection } from '../feed/connection';
export { FrameIngest } from '../core/ingest/frameIngest';
