// The camera and microphone: opening them, naming what went wrong in plain words,
// the microphone level, and a test sound for the speaker.

const VIDEO = { width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 15, max: 24 } };
const AUDIO = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };

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
    }
    if (this.stream) this._meter();
    this.cameraId = this.videoTrack?.getSettings().deviceId || cameraId;
    return this.problem;
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
