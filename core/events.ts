/**
 * The core's event hub: each transport connection subscribes with its session, and an event goes only
 * to the sessions its audience predicate admits (a job's progress to those who may see the job; a lock to
 * the session that was locked). Listeners run synchronously and must not throw; a failing one is dropped.
 */
import type { CoreEvent, EventListener } from '../shared/domain/events';
import type { Session } from './access/auth';

interface Subscriber {
  session: Session;
  listener: EventListener;
}

export class EventHub {
  private readonly subs = new Set<Subscriber>();

  subscribe(session: Session, listener: EventListener): () => void {
    const s: Subscriber = { session, listener };
    this.subs.add(s);
    return () => {
      this.subs.delete(s);
    };
  }

  emit(event: CoreEvent, to: (session: Session) => boolean): void {
    for (const s of [...this.subs]) {
      let admitted: boolean;
      try {
        admitted = to(s.session);
      } catch {
        admitted = false;
      }
      if (!admitted) continue;
      try {
        s.listener(event);
      } catch {
        this.subs.delete(s);
      }
    }
  }

  get size(): number {
    return this.subs.size;
  }
}
