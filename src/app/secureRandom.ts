// Cryptographically random bytes from node:crypto, required at first use: crypto (and the stream modules it
// loads) is most of what an eager import would add to activation, and nothing at activation needs randomness.
import type * as Crypto from 'node:crypto';

export function secureRandomBytes(size: number): Buffer {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { randomBytes } = require('node:crypto') as typeof Crypto;
  return randomBytes(size);
}
