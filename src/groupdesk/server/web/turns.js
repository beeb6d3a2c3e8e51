// The speaking turns on screen: our place in line, who has the floor, the speaker's timer
// (time left, a gentle warning, "time is up": a soft limit, nothing is cut), the round's
// progress and whose turn it is, and "Pass" when it is ours. Never anyone's talk time.
// It reads the page's state (state.js: turnView); main.js sends and announces.

import { t } from './i18n.js';
import { canPass, clockText, turnStatus, turnView } from './state.js';

const TICK_MS = 1000;

/** The page's monotonic clock, in seconds (what state.turn.receivedAt is on). */
export function pageClock() {
  return performance.now() / 1000;
}

export class TurnsView {
  /**
   * `now()`: the page's monotonic clock in seconds; `announce(text)`: says a line to a
   * screen reader (the speaker hears once that time is almost up, and once that it is up).
   */
  constructor(state, now = pageClock, announce = () => {}) {
    this.state = state;
    this.now = now;
    this.announce = announce;
    this.ticker = null;
    this.said = null; // what the speaker was last told of their timer: 'warning', 'over'
  }

  /** A member's name as the turn lines say it (someone who left: "another member"). */
  nameOf(memberId) {
    return this.state.members[memberId]?.name || t('turn.someone');
  }

  /** Redraw the turn lines; the timer then ticks once a second while it counts down. */
  render() {
    const s = this.state;
    const view = turnView(s, this.now());
    const status = {
      floor: () => t('turn.floor'),
      place: () => t('turn.place', { place: view.place }),
      raised: () => t('turn.raised'),
    }[turnStatus(s)];
    const speaker = view.speaker && view.speaker !== s.member ? t('turn.speaker', { name: this.nameOf(view.speaker) }) : '';
    const lines = {
      'turn-status': status ? status() : '',
      'turn-speaker': speaker,
      'turn-timer': this.timerText(view.timer),
      'turn-round': this.roundText(view),
    };
    for (const [id, text] of Object.entries(lines)) {
      const line = document.getElementById(id);
      if (line.textContent !== text) line.textContent = text;
      line.hidden = !text;
    }
    const timer = document.getElementById('turn-timer');
    timer.dataset.warning = view.timer?.warning && !view.timer.over ? 'true' : 'false';
    timer.dataset.over = view.timer?.over ? 'true' : 'false';
    this.tellSpeaker(view);
    const pass = document.getElementById('btn-pass');
    pass.hidden = !canPass(s);
    document.getElementById('turns').hidden = Object.values(lines).every((text) => !text) && pass.hidden;
    // Tick only while there is time left to count down, and only in the session.
    this.setTicking(s.step === 'session' && Boolean(view.timer && view.timer.limit !== null && !view.timer.over));
  }

  /** The speaker is told once, politely, that time is almost up, then that it is up. */
  tellSpeaker(view) {
    const timer = view.speaker === this.state.member ? view.timer : null;
    const phase = !timer || timer.limit === null ? null : timer.over ? 'over' : timer.warning ? 'warning' : null;
    if (phase && phase !== this.said) this.announce(this.timerText(timer));
    this.said = timer ? phase || this.said : null;
  }

  timerText(timer) {
    if (!timer || timer.limit === null) return ''; // no limit: no countdown (and no talk time)
    if (timer.over) return t('turn.time_up');
    const time = clockText(timer.remaining);
    return timer.warning ? t('turn.time_almost_up', { time }) : t('turn.time_left', { time });
  }

  roundText(view) {
    const round = view.round;
    if (!round) return '';
    // whose turn it is, counted from 1 (a round whose last turn is done counts as its last)
    const progress = t('turn.round', { number: Math.min(round.done + 1, round.total), total: round.total });
    if (view.myTurnInRound) return `${progress} ${t('turn.round_mine')}`;
    if (round.current) return `${progress} ${t('turn.round_current', { name: this.nameOf(round.current) })}`;
    return progress;
  }

  setTicking(on) {
    if (on && this.ticker === null) {
      this.ticker = setInterval(() => this.render(), TICK_MS);
    } else if (!on && this.ticker !== null) {
      this.stop();
    }
  }

  /** Stop the timer's ticking (the page leaves the session). */
  stop() {
    clearInterval(this.ticker);
    this.ticker = null;
  }
}
