// The public face of the feed clients: FeedConnection = FeedClient wired to the core decoder and frame scanner.
import { decodeFrame } from '../core/decoder';
import { scanFacts } from '../core/scan/frameScan';
import { FeedClient } from './client';
import type { FeedConnectionOptions } from './types';

export { AUTH_CLOSE_CODES, FeedConnectionError, type FrameDecoder, type FrameScanner } from './client';
export type {
  ConnectionState, ConnectionStatus, DebugCounts, FeedConnectionOptions, FeedLogger, FeedStatus, RetryRecord, SocketLike, SocketOptions,
} from './types';
export { FeedConfigError, InsecureUrlError, InvalidTokenError, validateBaseUrl, isLoopbackHost, feedUrl } from './url';
export type { Scheduler } from './scheduler';

export class FeedConnection extends FeedClient {
  /** Throws InsecureUrlError (refused URL), InvalidTokenError or FeedConfigError before any socket is made. */
  constructor(options: FeedConnectionOptions) {
    super(options, decodeFrame, scanFacts);
  }
}
