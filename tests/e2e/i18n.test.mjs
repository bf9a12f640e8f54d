// Every UI string exists in English and Korean, and placeholders match.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import enCore from '../../www/i18n/en.js';
import koCore from '../../www/i18n/ko.js';
import network from '../../www/i18n/network.js';
import augment from '../../www/i18n/augment.js';
import lessons from '../../www/i18n/lessons.js';
import kit from '../../www/i18n/kit.js';
import images from '../../www/i18n/images.js';
import { tables } from '../../www/i18n/index.js';

// The tables the app uses: every file index.js merges.
const { en, ko } = tables;

test('English and Korean have the same keys', () => {
  const missingInKo = Object.keys(en).filter((k) => !(k in ko));
  const missingInEn = Object.keys(ko).filter((k) => !(k in en));
  assert.deepEqual({ missingInKo, missingInEn }, { missingInKo: [], missingInEn: [] });
});

test('placeholders agree and no string is empty', () => {
  const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const key of Object.keys(en)) {
    assert.ok(en[key].trim() && ko[key].trim(), `empty string for ${key}`);
    assert.deepEqual(placeholders(ko[key]), placeholders(en[key]), `placeholders of ${key}`);
  }
});

test('the feature files do not redefine shared keys', () => {
  for (const table of [network.en, augment.en, lessons.en, kit.en, images.en]) {
    for (const key of Object.keys(table)) assert.ok(!(key in enCore), `${key} is defined twice`);
  }
});
