import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where Kansli keeps its data when no folder is given: the same place Electron's app.getPath('userData')
 * points to for productName "Kansli", so the desktop app, the browser host and the CLI share one database.
 */
export function defaultDataDir(): string {
  if (process.env.KANSLI_DATA_DIR) return process.env.KANSLI_DATA_DIR;
  const home = homedir();
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Kansli', 'data');
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'Kansli', 'data');
  return join(process.env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Kansli', 'data');
}
