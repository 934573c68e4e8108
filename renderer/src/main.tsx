// Mantine's styles are imported from styles.css (keeps the cascade order in one place).
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createClient, defaultBridge } from './lib/api';
import { initI18n } from './lib/i18n';
import { nextMutationId } from './lib/mutationId';
import type { KansliBridge } from '../../shared/api/transport';

initI18n();

async function start(): Promise<void> {
  let bridge: KansliBridge = defaultBridge();
  // Dev only (`vite` with ?fake): a synthetic in-memory backend. `import.meta.env.DEV` is a constant
  // false in the production build, so this import and the fake (and zod with it) are not bundled.
  if (import.meta.env.DEV && !window.kansli && new URLSearchParams(window.location.search).has('fake')) {
    const { createDevBridge } = await import('./dev/fakeBackend');
    bridge = createDevBridge();
  }
  const root = document.getElementById('root');
  if (!root) throw new Error('#root missing');
  createRoot(root).render(
    <StrictMode>
      <App client={createClient(bridge, { newId: nextMutationId })} />
    </StrictMode>,
  );
}

void start();
