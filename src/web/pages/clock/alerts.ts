/**
 * The end-of-interval beep (a WebAudio oscillator, no audio file) and the browser notification.
 * Browsers let a page make sound only after a user gesture, so the AudioContext is created in
 * one (`unlockAudio`, from a click or key press), and notifications are asked for only when
 * the person turns them on.
 */
let audio: AudioContext | undefined;

export function unlockAudio(): void {
  try {
    audio ??= new AudioContext();
    if (audio.state === 'suspended') void audio.resume();
  } catch {
    // No WebAudio here: the interval still ends, silently.
  }
}

/** Three short rising beeps, if a gesture unlocked the sound. */
export function beep(): void {
  if (audio?.state !== 'running') return;
  const start = audio.currentTime + 0.05;
  [660, 880, 1100].forEach((frequency, index) => {
    if (!audio) return;
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    const at = start + index * 0.28;
    oscillator.type = 'sine';
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.3, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.22);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(at);
    oscillator.stop(at + 0.25);
  });
}

export type NotifySupport = 'unsupported' | NotificationPermission;

export function notifySupport(): NotifySupport {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Asks for permission (call it from a click); resolves to what the browser answered. */
export async function askNotifyPermission(): Promise<NotifySupport> {
  if (typeof Notification === 'undefined') return 'unsupported';
  if (Notification.permission !== 'default') return Notification.permission;
  try {
    return await Notification.requestPermission();
  } catch {
    return Notification.permission;
  }
}

/** One notification for all tabs (same tag), if permitted. */
export function showNotification(title: string, body: string): void {
  if (notifySupport() !== 'granted') return;
  try {
    new Notification(title, { body, tag: 'codechicks-focus-timer' });
  } catch {
    // Some mobile browsers allow notifications only from a service worker.
  }
}
