// The camera and microphone: opening them, naming what went wrong in plain words,
// the microphone level, and a test sound for the speaker.

const VIDEO = { width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 15, max: 24 } };
const AUDIO = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };

/** The permission's state: 'granted', 'denied', 'prompt', or 'unknown' (cannot tell). */
async function permission(name) {
  try {
    return (await navigator.permissions.query({ name })).state;
  } catch {
    return 'unknown';
  }
}

/** getUserMedia, or null when it fails (the caller knows what that means). */
async function gum(constraints) {
  try {
    return await navigator.mediaDevices.getUserMedia(constraints);
  } catch {
    return null;
  }
}

/** What went wrong, as a problem code the page has a message for (null: nothing). */
function problemOf(error) {
  const name = error && error.name;
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError') {
    return 'no_devices';
  }
  if (name === 'NotReadableError' || name === 'AbortError' || name === 'TrackStartError') return 'in_use';
  return 'in_use';
}

export class Devices {
  constructor() {
    this.stream = null;
    this.problem = null;
    this.context = null;
    this.analyser = null;
    this.source = null;
    this.samples = null;
    this.cameraId = '';
    this.hasCamera = false; // a camera was opened (the person may have turned it off since)
  }

  get audioTrack() {
    return this.stream ? this.stream.getAudioTracks()[0] || null : null;
  }

  get videoTrack() {
    return this.stream ? this.stream.getVideoTracks()[0] || null : null;
  }

  /** Open the camera and microphone (chosen ids, or the default ones); sets `problem`. */
  async open(cameraId = '', micId = '') {
    this.stop();
    this.problem = null;
    this.hasCamera = false;
    if (!window.isSecureContext) {
      this.problem = 'insecure'; // browsers give the camera to https:// pages only
      return this.problem;
    }
    if (!navigator.mediaDevices?.getUserMedia) {
      this.problem = 'unsupported';
      return this.problem;
    }
    const video = cameraId ? { ...VIDEO, deviceId: { exact: cameraId } } : VIDEO;
    const audio = micId ? { ...AUDIO, deviceId: { exact: micId } } : AUDIO;
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({ video, audio });
    } catch (error) {
      this.problem = problemOf(error);
      if (this.problem === 'no_devices') await this._openWhatExists(video, audio);
      else if (this.problem === 'denied') await this._openWhatIsAllowed(video, audio);
    }
    if (this.stream) this._meter();
    this.hasCamera = Boolean(this.videoTrack);
    this.cameraId = this.videoTrack?.getSettings().deviceId || cameraId;
    return this.problem;
  }

  /** Refused: one of the two may still be allowed (only the camera blocked, say); open it
   * alone, without asking the person again about the one they refused. */
  async _openWhatIsAllowed(video, audio) {
    const [camera, microphone] = await Promise.all([permission('camera'), permission('microphone')]);
    if (microphone === 'granted' && camera !== 'granted') {
      this.stream = await gum({ audio });
      if (this.stream) this.problem = 'camera_denied';
    } else if (camera === 'granted' && microphone !== 'granted') {
      this.stream = await gum({ video });
      if (this.stream) this.problem = 'microphone_denied';
    }
  }

  /**
   * Call `changed()` when a camera or microphone may have become usable: a permission
   * granted (in the browser's settings, or the phone's), a device plugged in, or the
   * person back on the page (from the phone's settings: browsers do not all say it).
   */
  watch(changed) {
    navigator.mediaDevices?.addEventListener?.('devicechange', changed);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') changed();
    });
    for (const name of ['camera', 'microphone']) {
      if (!navigator.permissions?.query) break;
      navigator.permissions.query({ name }).then((status) => {
        status.addEventListener('change', () => {
          if (status.state === 'granted') changed();
        });
      }, () => {
        // This browser cannot tell about this permission: the other signs remain.
      });
    }
  }

  /**
   * Open what is missing and may be usable now (allowed, or plugged in), never asking the
   * person: `want` says which ones ({video, audio}). Returns the kinds added.
   */
  async takeUp(want = { video: true, audio: true }) {
    const added = [];
    const missing = [];
    if (want.video && !this.videoTrack && !this.hasCamera) missing.push(['video', 'camera', VIDEO]);
    if (want.audio && !this.audioTrack) missing.push(['audio', 'microphone', AUDIO]);
    for (const [kind, name, constraints] of missing) {
      const allowed = await permission(name);
      if (allowed !== 'granted' && allowed !== 'unknown') continue; // would ask, or refused
      const fresh = await gum({ [kind]: constraints });
      const track = fresh ? fresh.getTracks()[0] : null;
      if (!track) continue;
      if (!this.stream) this.stream = new MediaStream();
      this.stream.addTrack(track);
      if (kind === 'audio') this._meter();
      else {
        this.hasCamera = true;
        this.cameraId = track.getSettings().deviceId || '';
      }
      added.push(kind);
    }
    if (added.length) this.problem = this._remainingProblem();
    return added;
  }

  /** After a late camera or microphone: what is still missing, in the check's words. */
  _remainingProblem() {
    const video = this.hasCamera;
    const audio = Boolean(this.audioTrack);
    if (video && audio) return null;
    const refused = this.problem === 'denied' || this.problem === 'camera_denied' || this.problem === 'microphone_denied';
    if (audio) return refused ? 'camera_denied' : 'no_camera';
    return refused ? 'microphone_denied' : 'no_microphone';
  }

  /** One of the two is missing: open the other one alone. */
  async _openWhatExists(video, audio) {
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({ audio });
      this.problem = 'no_camera';
      return;
    } catch {
      this.stream = null;
    }
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({ video });
      this.problem = 'no_microphone';
    } catch {
      this.stream = null;
      this.problem = 'no_devices';
    }
  }

  /** Stop the camera (its light goes off); the microphone stays. */
  stopCamera() {
    const track = this.videoTrack;
    if (!track) return;
    track.stop();
    this.stream.removeTrack(track);
  }

  /** Start the camera again (the one chosen before, if still there); false if it cannot. */
  async startCamera() {
    if (!this.stream || this.videoTrack) return Boolean(this.videoTrack);
    const video = this.cameraId ? { ...VIDEO, deviceId: { ideal: this.cameraId } } : VIDEO;
    try {
      const fresh = await navigator.mediaDevices.getUserMedia({ video });
      this.stream.addTrack(fresh.getVideoTracks()[0]);
      this.hasCamera = true;
      return true;
    } catch {
      return false;
    }
  }

  async list() {
    try {
      const all = await navigator.mediaDevices.enumerateDevices();
      return {
        cameras: all.filter((d) => d.kind === 'videoinput'),
        microphones: all.filter((d) => d.kind === 'audioinput'),
      };
    } catch {
      return { cameras: [], microphones: [] };
    }
  }

  _audioContext() {
    if (!this.context) {
      const Context = window.AudioContext || window.webkitAudioContext;
      if (!Context) return null;
      this.context = new Context();
    }
    if (this.context.state === 'suspended') this.context.resume().catch(() => {});
    return this.context;
  }

  _meter() {
    const track = this.audioTrack;
    const context = this._audioContext();
    if (!track || !context) return;
    if (this.source) this.source.disconnect();
    this.source = context.createMediaStreamSource(new MediaStream([track]));
    this.analyser = context.createAnalyser();
    this.analyser.fftSize = 1024;
    this.samples = new Float32Array(this.analyser.fftSize);
    this.source.connect(this.analyser);
  }

  /** The microphone's level now, 0 to 1 (from -60 dBFS to 0). */
  level() {
    if (!this.analyser || (this.audioTrack && !this.audioTrack.enabled)) return 0;
    this.analyser.getFloatTimeDomainData(this.samples);
    let sum = 0;
    for (const v of this.samples) sum += v * v;
    const rms = Math.sqrt(sum / this.samples.length);
    const db = 20 * Math.log10(rms || 1e-9);
    return Math.max(0, Math.min(1, (db + 60) / 60));
  }

  /** A short rising three-note tune on the speaker or headphones. */
  playTestSound() {
    const context = this._audioContext();
    if (!context) return false;
    const start = context.currentTime + 0.05;
    [523.25, 659.25, 783.99].forEach((freq, i) => {
      const osc = context.createOscillator();
      const gain = context.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      const t0 = start + i * 0.3;
      gain.gain.setValueAtTime(0.0001, t0);
      gain.gain.exponentialRampToValueAtTime(0.3, t0 + 0.03);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + 0.45);
      osc.connect(gain).connect(context.destination);
      osc.start(t0);
      osc.stop(t0 + 0.5);
    });
    return true;
  }

  /** Wake the audio context (browsers start it only after a click or a key). */
  wake() {
    if (this.context && this.context.state === 'suspended') this.context.resume().catch(() => {});
  }

  stop() {
    if (this.source) this.source.disconnect();
    this.source = null;
    this.analyser = null;
    if (this.stream) for (const track of this.stream.getTracks()) track.stop();
    this.stream = null;
  }
}
