// The phase bar: the call's journey as proportional segments, with a legend that is also its text
// alternative. An ongoing last phase grows locally between host messages (`extraSeconds`).
import type { PhaseSegment } from '../src/shared/messages';
import { formatSeconds } from '../src/shared/format';
import { h, isolated, short } from './dom';

export const KIND_TEXT: Record<PhaseSegment['kind'], string> = {
  ivr: 'IVR', queue: 'Queue', ring: 'Ringing', dial: 'Dialling', talk: 'Talk', hold: 'Hold', other: 'Connecting', ended: 'End',
};

function secondsOf(p: PhaseSegment, extraSeconds: number): number {
  return p.ongoing ? p.seconds + extraSeconds : p.seconds;
}

/** "IVR Main menu 12 s, Queue Support 18 s, …, End: answered" */
export function phasesText(phases: readonly PhaseSegment[], extraSeconds = 0): string {
  if (phases.length === 0) return 'No phases known yet';
  return phases
    .map((p) => (p.kind === 'ended' ? `End: ${short(p.label, 80)}` : `${KIND_TEXT[p.kind]} ${short(p.label, 60)} ${Math.round(secondsOf(p, extraSeconds))} s${p.ongoing ? ' so far' : ''}`))
    .join(', ');
}

export function renderPhases(phases: readonly PhaseSegment[], extraSeconds = 0): HTMLElement {
  const bar = h('div', { class: 'phase-bar', attrs: { role: 'img', 'aria-label': `Call phases: ${phasesText(phases, extraSeconds)}` } });
  const legend = h('ol', { class: 'phase-legend', attrs: { 'aria-label': 'Phases in order' } });
  for (const p of phases) {
    const secs = secondsOf(p, extraSeconds);
    const kind = `phase-${p.kind}`;
    if (p.kind === 'ended') {
      bar.append(h('div', { class: `seg ${kind}`, attrs: { 'aria-hidden': 'true', 'data-kind': p.kind, title: `End: ${short(p.label, 80)}` } }));
    } else {
      const seg = h('div', { class: `seg ${kind}${p.ongoing ? ' ongoing' : ''}`, attrs: { 'aria-hidden': 'true', 'data-kind': p.kind, title: `${KIND_TEXT[p.kind]}: ${short(p.label, 80)} · ${formatSeconds(secs)}` } },
        h('span', { class: 'seg-kind', text: KIND_TEXT[p.kind] }),
        h('span', { class: 'seg-label' }, isolated(short(p.label, 60)), h('span', { class: 'seg-secs', text: ` ${formatSeconds(secs)}` })));
      // CSSOM, not a style attribute: allowed under the CSP without 'unsafe-inline'.
      seg.style.flexGrow = String(Math.max(secs, 0.0001));
      bar.append(seg);
    }
    legend.append(h('li', { class: kind },
      h('span', { class: 'swatch', attrs: { 'aria-hidden': 'true' } }),
      h('span', { class: 'legend-kind', text: KIND_TEXT[p.kind] }),
      ' ', isolated(short(p.label, 80), 'legend-label'),
      p.kind === 'ended' ? undefined : h('span', { class: 'legend-secs', text: ` ${formatSeconds(secs)}${p.ongoing ? ' so far' : ''}` })));
  }
  return h('div', { class: 'phases-body' }, bar, legend);
}
