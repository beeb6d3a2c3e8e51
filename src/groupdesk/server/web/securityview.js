// The room's security code on the page: the code to read aloud, what it means, and a
// notice naming who joined or left when it changed (as the app's "Security code" tab).

import { t } from './i18n.js';

const $ = (id) => document.getElementById(id);

export class SecurityCodeView {
  constructor() {
    this.view = null; // the code as the mesh computes it now
    this.read = null; // the last complete code shown with someone to compare it with
    this.joined = [];
    this.left = [];
    this.names = {}; // seat -> name, kept for those who left
    this.busy = Promise.resolve();
  }

  /** Recompute from `mesh` and show (one computation at a time, in order). */
  update(mesh, state) {
    this.busy = this.busy.then(() => this._update(mesh, state)).catch((error) => {
      console.warn('groupdesk: no security code:', error && error.message);
    });
    return this.busy;
  }

  async _update(mesh, state) {
    for (const [seat, info] of Object.entries(state.members)) this.names[seat] = info.name;
    this.view = mesh ? await mesh.securityCode() : null;
    const view = this.view;
    if (view && view.code && view.members.length > 1) {
      if (this.read && this.read.code !== view.code) {
        const before = new Set(this.read.members);
        const now = new Set(view.members);
        this.joined = view.members.filter((s) => !before.has(s)).map((s) => this._name(s));
        this.left = this.read.members.filter((s) => !now.has(s)).map((s) => this._name(s));
        this.changed = true;
      }
      this.read = view;
    }
    this.render();
  }

  _name(seat) {
    return this.names[seat] || '?';
  }

  /** Show the current view in the current language. */
  render() {
    const box = $('security');
    if (!box) return;
    const view = this.view;
    box.hidden = !view;
    if (!view) return;
    const code = $('security-code');
    if (view.members.length < 2) code.textContent = t('security.alone');
    else if (view.code) code.textContent = view.code;
    else code.textContent = t('security.waiting', { count: view.waiting });
    const notice = $('security-changed');
    notice.hidden = !this.changed;
    if (this.changed) {
      const parts = [];
      if (this.joined.length) parts.push(t('security.joined', { names: this.joined.join(', ') }));
      if (this.left.length) parts.push(t('security.left', { names: this.left.join(', ') }));
      notice.textContent = t('security.changed', { what: parts.join('; ') });
    }
  }
}
