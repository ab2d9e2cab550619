/**
 * The person's hiding settings, remembered in this browser between visits
 * (localStorage: small, and there when the page first paints). Passwords are
 * never part of it.
 */
import { chooseFrameMode, chooseOutput, defaultChoice, parseStoredChoice, type SettingsChoice } from './settings-choice.ts';
import type { OutputKind } from './output-choice.ts';

/** A change one choice made to another, said next to the control that changed (for this visit only). */
export interface SettingsNote {
  readonly field: 'output' | 'frames';
  readonly text: string;
}

const KEY = 'vidstega.settings.v1';

type SmallStorage = Pick<Storage, 'getItem' | 'setItem'>;

function browserStorage(): SmallStorage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined; // storage disabled
  }
}

export class SettingsStore {
  choice = $state<SettingsChoice>(defaultChoice());
  /** What the last choice of output or frames changed elsewhere; undefined when nothing. */
  note = $state.raw<SettingsNote | undefined>();
  readonly #storage: SmallStorage | undefined;

  constructor(storage: SmallStorage | undefined = browserStorage()) {
    this.#storage = storage;
    try {
      const raw = storage?.getItem(KEY);
      if (raw) this.choice = parseStoredChoice(JSON.parse(raw));
    } catch {
      // Unreadable: keep the defaults.
    }
  }

  /** Writes the current choice; reading `choice` here makes an $effect that calls it rerun on any change. */
  save(): void {
    const snapshot = $state.snapshot(this.choice);
    try {
      this.#storage?.setItem(KEY, JSON.stringify(snapshot));
    } catch {
      // Full or disabled storage: the settings still apply for this visit.
    }
  }

  /** Chooses the output; chosen frames go back to Automatic for the same format (and `note` says so). */
  chooseOutput(output: OutputKind): void {
    const text = chooseOutput(this.choice, output);
    this.note = text ? { field: 'output', text } : undefined;
  }

  /** Chooses how frames are picked; chosen frames switch the output to the lossless copy (and `note` says so). */
  chooseFrameMode(mode: SettingsChoice['frameMode']): void {
    const text = chooseFrameMode(this.choice, mode);
    this.note = text ? { field: 'frames', text } : undefined;
  }

  reset(): void {
    this.choice = defaultChoice();
    this.note = undefined;
  }
}
