// Entry point: starts the engine worker and mounts the app.

import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { createEngineClient } from './engine-client/client';
import { createBlobHasher } from './engine-client/hash-client';
import { LIBRARY_CHANNEL } from './state/library.svelte';
import { openSnapshotStore } from './storage/store';

const target = document.getElementById('app');
if (!target) throw new Error('No #app element in index.html');

mount(App, {
  target,
  props: {
    client: createEngineClient(),
    libraryDeps: {
      openStore: openSnapshotStore,
      // Hashing a large file takes ~100 ms: never on the main thread.
      computeId: createBlobHasher(),
      storageManager: navigator.storage ?? null,
      channel: () => (typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(LIBRARY_CHANNEL)),
    },
  },
});
