// Entry point: starts the engine worker and mounts the app.

import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { createEngineClient } from './engine-client/client';

const target = document.getElementById('app');
if (!target) throw new Error('No #app element in index.html');

mount(App, { target, props: { client: createEngineClient() } });
