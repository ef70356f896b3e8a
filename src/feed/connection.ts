// The public face of the feed clients.
export { AUTH_CLOSE_CODES, FeedClient as FeedConnection, FeedConnectionError } from './client';
export type {
  ConnectionState, ConnectionStatus, DebugCounts, FeedConnectionOptions, FeedLogger, FeedStatus, RetryRecord, SocketLike, SocketOptions,
} from './types';
export { FeedConfigError, InsecureUrlError, InvalidTokenError, validateBaseUrl, isLoopbackHost, feedUrl } from './url';
export type { Scheduler } from './scheduler';
