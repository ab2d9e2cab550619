/**
 * The person's hiding settings, remembered in this browser between visits
 * (localStorage: small, and there when the page first paints). Passwords are
 * never part of it.
 */
import { defaultChoice, parseStoredChoice, type SettingsChoice } from './settings-choice.ts';

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

  reset(): void {
    this.choice = defaultChoice();
  }
}
