// The replay format: one JSON object per line, `{"feed","receivedAt","data"}`.
import { FEED_NAMES, type FeedName } from '../core/types';

/** One JSONL replay line, or undefined when it is not a usable frame. */
export function parseReplayLine(line: string): { feed: FeedName; receivedAt: number; data: string } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { feed, receivedAt, data } = value as { feed?: unknown; receivedAt?: unknown; data?: unknown };
  if (typeof feed !== 'string' || !FEED_NAMES.includes(feed as FeedName)) return undefined;
  if (typeof receivedAt !== 'number' || !Number.isFinite(receivedAt)) return undefined;
  if (typeof data === 'string') return { feed: feed as FeedName, receivedAt, data };
  if (typeof data === 'object' && data !== null) return { feed: feed as FeedName, receivedAt, data: JSON.stringify(data) };
  return undefined;
}
