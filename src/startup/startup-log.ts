// Writes the start-up warnings about the settings to the log, one line each with the setting it is about.
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { configWarnings } from './config-warnings.js';

export function logConfigWarnings(log: Logger, c: Config): void {
  for (const w of configWarnings(c)) log.warn({ setting: w.setting }, w.message);
}
