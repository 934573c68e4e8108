/** `?` opens this: every shortcut, grouped, in the active language. */
import { SimpleGrid } from '@mantine/core';
import { Dialog } from './Dialog';
import { useT } from '../lib/i18n';
import { SHORTCUTS } from '../lib/shortcuts';
import { helpOpen, useStore } from '../lib/store';

export function HelpOverlay() {
  const { t } = useT();
  const opened = useStore(helpOpen);
  return (
    <Dialog opened={opened} onClose={() => helpOpen.set(false)} title={t('help.title')} size="xl" testId="help-overlay">
      <p style={{ marginTop: 0 }}>{t('help.intro')}</p>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
        {SHORTCUTS.map((g) => (
          <section key={g.title}>
            <h3 className="k-section-title">{t(g.title)}</h3>
            <table className="k-table k-shortcut-table">
              <thead>
                <tr>
                  <th scope="col">{t('help.col.keys')}</th>
                  <th scope="col">{t('help.col.action')}</th>
                </tr>
              </thead>
              <tbody>
                {g.items.map((s) => (
                  <tr key={s.label}>
                    <td>
                      {s.keys.map((seq, i) => (
                        <span key={i}>
                          {i > 0 && <span> {t('help.or')} </span>}
                          {seq.map((k, j) => (
                            <span key={j}>
                              {j > 0 && (seq[0] === 'G' ? ' ' : '+')}
                              <kbd>{k}</kbd>
                            </span>
                          ))}
                        </span>
                      ))}
                    </td>
                    <td>{t(s.label)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
      </SimpleGrid>
    </Dialog>
  );
}
