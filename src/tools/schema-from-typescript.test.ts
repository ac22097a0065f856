import { describe, expect, it } from 'vitest';
import { SchemaDerivationError } from './schema-from-python.js';
import { deriveSchemaFromTypeScript } from './schema-from-typescript.js';

describe('deriveSchemaFromTypeScript', () => {
  it('reads the exported function, JSDoc and TS parameter types', () => {
    const src = `
function helper() {}
/**
 * Look up the weather.
 * @param city - City name
 * @param {number} days how many days
 */
export async function getWeather(city: string, days: number, units?: 'metric' | 'imperial', tags: string[] = []): Promise<string> {
  return city;
}`;
    expect(deriveSchemaFromTypeScript(src)).toEqual({
      name: 'getWeather',
      description: 'Look up the weather.',
      parameters: {
        type: 'object',
        properties: {
          city: { type: 'string', description: 'City name' },
          days: { type: 'number', description: 'how many days' },
          units: { type: 'string', enum: ['metric', 'imperial'] },
          tags: { type: 'array', items: { type: 'string' } },
        },
        required: ['city', 'days'],
      },
    });
  });

  it('describes a single destructured parameter by its object type', () => {
    const src = '/** Add.\n * @param args.a first */\nexport const add = ({ a, b }: { a: number; b?: number }) => a + (b ?? 0);';
    expect(deriveSchemaFromTypeScript(src).parameters).toEqual({
      type: 'object',
      properties: { a: { type: 'number', description: 'first' }, b: { type: 'number' } },
      required: ['a'],
    });
  });

  it('uses JSDoc types for plain JavaScript and rejects untyped parameters', () => {
    const js = '/** Echo.\n * @param {string} text the text */\nexport function echo(text) { return text }';
    expect(deriveSchemaFromTypeScript(js).parameters.properties.text).toEqual({ type: 'string', description: 'the text' });
    expect(() => deriveSchemaFromTypeScript('export function f(x) {}')).toThrow(SchemaDerivationError);
    expect(() => deriveSchemaFromTypeScript('const x = 1;')).toThrow(/No function/);
  });
});
