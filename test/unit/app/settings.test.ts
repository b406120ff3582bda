import { describe, expect, it } from 'vitest';
import { MAX_DEVICE_NAME_CHARS } from '../../../src/app/device-name.ts';
import {
  DEFAULT_SETTINGS,
  deviceName,
  loadSettings,
  type Settings,
  saveSettings,
} from '../../../src/app/settings.ts';

const KEY = 'pigeon.settings.v1';

function memoryStorage(seed: Record<string, string> = {}) {
  const items = new Map(Object.entries(seed));
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
  };
}

describe('settings: the device name', () => {
  it('is empty by default, which means the name from the browser', () => {
    expect(DEFAULT_SETTINGS.name).toBe('');
    expect(loadSettings(memoryStorage()).name).toBe('');
    expect(deviceName(DEFAULT_SETTINGS, 'Firefox on Linux')).toBe('Firefox on Linux');
  });

  it('is kept on the device with the other settings', () => {
    const storage = memoryStorage();
    const chosen: Settings = { ...DEFAULT_SETTINGS, stun: '', name: 'Pixel 8' };
    saveSettings(storage, chosen);
    const loaded = loadSettings(storage);
    expect(loaded).toEqual(chosen);
    expect(deviceName(loaded, 'Android phone')).toBe('Pixel 8');
  });

  it('settings saved before names existed load with the default name', () => {
    const storage = memoryStorage({ [KEY]: JSON.stringify({ stun: '', locale: 'en' }) });
    expect(loadSettings(storage)).toMatchObject({ stun: '', locale: 'en', name: '' });
  });

  it('a tampered stored name is cleaned and bounded, or dropped when it is not text', () => {
    const stored = (name: unknown) => loadSettings(memoryStorage({ [KEY]: JSON.stringify({ name }) })).name;
    expect(stored(' Pixel\n8 ')).toBe('Pixel 8');
    expect([...stored('x'.repeat(10_000))]).toHaveLength(MAX_DEVICE_NAME_CHARS);
    expect(stored(42)).toBe('');
    expect(stored({ name: 'x' })).toBe('');
  });
});
