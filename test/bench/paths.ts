// Where the bench's sources are, whether it runs from test/bench/ (tsx) or from its build in out/bench/: both are
// two folders below the repository, so the sources are found the same way from either.
import { join, resolve } from 'node:path';

export const REPO = resolve(__dirname, '..', '..');
export const BENCH_SRC = join(REPO, 'test', 'bench');
