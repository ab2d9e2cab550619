/**
 * The engine as the app's production build runs it (bundled workers, no
 * development server), on a page of the benchmark's own: it puts the engine's
 * page-side functions where the benchmark's browser can call them.
 */
import * as engine from '../../src/media/page/engine.ts';
import { DEFAULT_HIDE_SETTINGS } from '../../src/core/settings.ts';

Object.assign(window, { __engine: engine, __settings: DEFAULT_HIDE_SETTINGS });
