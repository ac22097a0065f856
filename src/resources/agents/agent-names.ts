// Friendly default names ('BraveOtter') for agents created without one.
import { randomInt } from 'node:crypto';

const ADJECTIVES = [
  'Brave',
  'Calm',
  'Clever',
  'Curious',
  'Eager',
  'Gentle',
  'Happy',
  'Keen',
  'Lucky',
  'Mellow',
  'Nimble',
  'Patient',
  'Quiet',
  'Swift',
  'Witty',
  'Bright',
];
const NOUNS = [
  'Otter',
  'Falcon',
  'Heron',
  'Lynx',
  'Badger',
  'Panda',
  'Fox',
  'Owl',
  'Whale',
  'Tiger',
  'Raven',
  'Koala',
  'Bison',
  'Gecko',
  'Marten',
  'Puffin',
];

export function randomAgentName(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]}${NOUNS[randomInt(NOUNS.length)]}`;
}
