// Test setup: DOM matchers for component tests (harmless in the node environment).
import '@testing-library/jest-dom/vitest';

import { beforeEach } from 'vitest';

// The app writes its view into the URL (history.replaceState): every test starts from a bare URL.
beforeEach(() => {
  if (typeof window !== 'undefined' && window.location.search !== '') window.history.replaceState(null, '', window.location.pathname);
});
