// Voice guidance: one pre-rendered clip per screen and language (scripts/generate-voice.mjs renders
// them with espeak-ng from the voice.* keys of the locale files). Every request is recorded in
// window.__madoguchiVoice so the end-to-end suite can check that each screen asks for its clip,
// whether or not the clips were generated for this build and whether or not the voice is muted.
import type { Language } from '../../src/contract/index.js';

const CLIPS = import.meta.glob<string>('./voice/*/*.wav', { query: '?url', import: 'default', eager: true });

export interface VoiceRequest {
  language: Language;
  clip: string;
  muted: boolean;
  available: boolean;
}

declare global {
  interface Window {
    __madoguchiVoice?: VoiceRequest[];
  }
}

export function clipUrl(language: Language, clip: string): string | null {
  return CLIPS[`./voice/${language}/${clip}.wav`] ?? null;
}

export class Voice {
  private audio: HTMLAudioElement | null = null;
  private context: AudioContext | null = null;
  muted = false;

  play(language: Language, clip: string): void {
    const url = clipUrl(language, clip);
    const log = (window.__madoguchiVoice ??= []);
    log.push({ language, clip, muted: this.muted, available: url !== null });
    if (log.length > 200) log.splice(0, log.length - 200);
    this.stop();
    if (this.muted || !url) return;
    const audio = new Audio(url);
    this.audio = audio;
    audio.play().catch(() => {
      /* autoplay refused or no audio device: the screen text carries the same message */
    });
  }

  stop(): void {
    this.audio?.pause();
    this.audio = null;
  }

  /** A short two-tone chime before an urgent message (card left, time running out). */
  chime(): void {
    const log = (window.__madoguchiVoice ??= []);
    log.push({ language: 'ja', clip: 'chime', muted: this.muted, available: true });
    if (this.muted) return;
    try {
      this.context ??= new AudioContext();
      const ctx = this.context;
      [880, 660].forEach((hz, i) => {
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        osc.frequency.value = hz;
        gain.gain.setValueAtTime(0.4, ctx.currentTime + i * 0.35);
        gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + i * 0.35 + 0.3);
        osc.connect(gain).connect(ctx.destination);
        osc.start(ctx.currentTime + i * 0.35);
        osc.stop(ctx.currentTime + i * 0.35 + 0.32);
      });
    } catch {
      /* no audio device: the screen carries the message */
    }
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    if (muted) this.stop();
  }
}
