// The one door from a feed's frame to the store: the frame scanner, and the decoder for what it cannot read, are
// tried here and nowhere else. Pure: no socket, no vscode.
import { decodeFrame } from '../decoder';
import type { DocFacts } from '../facts';
import { scanFacts } from '../scan/frameScan';
import type { CallStore } from '../store';
import { MAX_FRAME_BYTES, type DecodeResult, type DecodedDocument, type EpochMs, type FeedName, type SocketFrame } from '../types';
import { Rejections, type RejectCounts } from './rejections';

/** A frame's facts without its document (scanFacts), or undefined: then the frame goes on to the next route. */
export type FrameScanner = (frame: Buffer, feed: FeedName) => DocFacts | undefined;

/** The store's two ways in; FrameIngest is their only caller in src/. */
export type IngestTarget = Pick<CallStore, 'ingestFacts' | 'ingest'>;

export interface IngestLogger {
  warn(msg: string): void;
  error(msg: string): void;
}

export interface FrameIngestOptions {
  logger?: IngestLogger;
  /** Rejected frames logged per reason before the rest are only counted. Default 5. */
  rejectLogLimit?: number;
  /** The frame scanner; false sends every frame to the decoder. Default scanFacts. */
  scan?: FrameScanner | false;
}

/** What became of a frame: the store changed, took it without a change, refused it (counted), or failed (logged). */
export type IngestOutcome = 'changed' | 'unchanged' | 'rejected' | 'failed';

export interface IngestCounts {
  /** Frames accepted by `accept`. */
  frames: number;
  /** Applied from the scanner's facts, without a decode. */
  scanned: number;
  /** Decoded and applied. */
  decoded: number;
  rejected: RejectCounts;
}

const noop = (): void => undefined;
const silentLogger: IngestLogger = { warn: noop, error: noop };

/** One Buffer of the whole frame: a fragmented message is joined once, an ArrayBuffer viewed without a copy. */
export function frameBytes(raw: SocketFrame): Buffer {
  if (Buffer.isBuffer(raw)) return raw;
  return Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class FrameIngest {
  private readonly logger: IngestLogger;
  private readonly scan: FrameScanner | undefined;
  private readonly rejections: Rejections;
  private frames = 0;
  private scanned = 0;
  private decoded = 0;

  constructor(private readonly store: IngestTarget, options: FrameIngestOptions = {}) {
    this.logger = options.logger ?? silentLogger;
    this.scan = options.scan === false ? undefined : options.scan ?? scanFacts;
    this.rejections = new Rejections(Math.max(0, Math.trunc(options.rejectLogLimit ?? 5)), this.logger);
  }

  /**
   * Applies one frame of `feed`: by the scanner's facts, or decoded when the scanner cannot vouch for it. `raw` may be
   * a view into a socket's read buffer: the store copies what it keeps.
   */
  accept(feed: FeedName, raw: SocketFrame, receivedAt: EpochMs): IngestOutcome {
    this.frames++;
    const frame = frameBytes(raw);
    const facts = this.scan === undefined ? undefined : this.factsOf(feed, frame);
    if (facts !== undefined) return this.applyFacts(feed, facts, frame, receivedAt);
    const result = this.decode(feed, frame);
    if (!result.ok) {
      this.rejections.add(feed, result.reason, result.detail);
      return 'rejected';
    }
    return this.applyDecoded(result.value, receivedAt);
  }

  /** A copy of the counters since this ingest was made. */
  counts(): IngestCounts {
    return { frames: this.frames, scanned: this.scanned, decoded: this.decoded, rejected: this.rejections.snapshot() };
  }

  /** The scanner's facts; a throwing scanner is logged and the frame goes on to the other routes. */
  private factsOf(feed: FeedName, frame: Buffer): DocFacts | undefined {
    try {
      return this.scan!(frame, feed);
    } catch (err) {
      this.logger.error(`Scanning a ${feed} frame failed: ${errorText(err)}`);
      return undefined;
    }
  }

  private decode(feed: FeedName, frame: Buffer): DecodeResult {
    try {
      return decodeFrame(frame, feed, MAX_FRAME_BYTES);
    } catch (err) {
      // The decoder promises never to throw; if it does, the frame is counted and the stream goes on.
      return { ok: false, reason: 'invalid_json', detail: `decoder failed: ${errorText(err)}` };
    }
  }

  // A store that throws on one document must not stop the stream: logged, and the next frame goes on.
  private applyFacts(feed: FeedName, facts: DocFacts, frame: Buffer, receivedAt: EpochMs): IngestOutcome {
    this.scanned++;
    try {
      return this.store.ingestFacts(feed, facts, frame, receivedAt) ? 'changed' : 'unchanged';
    } catch (err) {
      return this.failed(feed, err);
    }
  }

  private applyDecoded(decoded: DecodedDocument, receivedAt: EpochMs): IngestOutcome {
    this.decoded++;
    try {
      return this.store.ingest(decoded, receivedAt) ? 'changed' : 'unchanged';
    } catch (err) {
      return this.failed(decoded.feed, err);
    }
  }

  private failed(feed: FeedName, err: unknown): IngestOutcome {
    this.logger.error(`Handling a ${feed} document failed: ${errorText(err)}`);
    return 'failed';
  }
}
