/** Where tests find their videos: the project's fixtures, and the shared corpus beside the checkout (as CI has it). */
import { join } from 'node:path';

export const FIXTURES = join(import.meta.dirname, '../test-fixtures');
export const CORPUS = join(import.meta.dirname, '../../shared/videos');
