// Worker entry: Graphviz layout (DOT → SVG), so the main thread never waits on it.

import * as Comlink from 'comlink';
import { instance } from '@viz-js/viz';
import { createLayoutEngine } from './layout';

Comlink.expose(createLayoutEngine(instance));
