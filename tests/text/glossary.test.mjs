// The glossary holds: every English term the app uses has one Korean
// rendering, and no Korean word stands for two English terms.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GLOSSARY, glossaryFindings } from '../../www/i18n/glossary.js';
import { tables } from '../../www/i18n/index.js';

test('every string pair follows the glossary', () => {
  const findings = glossaryFindings(tables.en, tables.ko).map((f) => `${f.key}: ${f.problem}`);
  assert.deepEqual(findings, []);
});

test('every glossary term is used somewhere, and each has its Korean and where it is used', () => {
  for (const entry of GLOSSARY) {
    assert.ok(entry.ko && entry.where, `${entry.term}: ko and where`);
    assert.ok(Object.values(tables.en).some((text) => entry.en.test(text)), `${entry.term} is not used by any English string`);
  }
});

// The clashes the text review found (issue 18), as they were written before
// the fix: the check must flag each one, naming the term.
const PLANTED = [
  ['regularization', 'Regularisation — L2, dropout, more data — narrows the gap.', 'L2, 드롭아웃, 더 많은 데이터 같은 정규화가 격차를 줄입니다.'],
  ['regularization', 'Why augmentation regularizes', '증강이 정규화가 되는 이유'],
  ['normalization, batch normalization', 'Why augmentation regularizes', '증강이 정규화가 되는 이유'],
  ['damping (Newton)', 'damped (line search)', '감쇠 (선 탐색)'],
  ['decay (RMSProp δ, learning-rate decay)', 'damping', '감쇠'],
  ['(generalization) gap', 'Train − validation gap: {gap} points.', '학습 − 검증 간격: {gap}%p.'],
  ['Reset (button)', 'Lower it and press Reset.', '낮추고 초기화를 누르세요.'],
  ['Step (button)', 'No training batch yet: press Play or Step.', '재생이나 한 스텝을 누르세요.'],
  ['exponential moving average (running average)', 'a leaky running average (decay δ ≈ 0.99)', '새는 이동 평균(감쇠율 δ ≈ 0.99)'],
  ['does not match', 'does not match', '어긋남'],
  ['colour jitter', 'Colour jitter', '색 흔들기'],
  ['other samples in the batch', 'train mode, batch B (other batch mates)', '학습 모드, 배치 B (다른 배치 동료)'],
  ['heatmap', 'Heatmap of the surface', '곡면의 열지도'],
  ['gradient', 'Noisy gradients (minibatch)', '잡음 섞인 그래디언트 (미니배치)'],
];

test('the check flags each clash the text review found', () => {
  PLANTED.forEach(([term, english, korean], i) => {
    const findings = glossaryFindings({ [`k${i}`]: english }, { [`k${i}`]: korean });
    assert.ok(findings.some((f) => f.term === term), `${term} in “${english}” / “${korean}”: ${JSON.stringify(findings)}`);
  });
});

test('correct pairs pass, placeholders do not count as words', () => {
  const pairs = [
    ['Regularization (L2, dropout) narrows the gap.', '규제(L2, 드롭아웃)가 격차를 줄입니다.'],
    ['Batch norm normalises every feature.', '배치 정규화는 각 특성을 정규화합니다.'],
    ['Overfitting: {gap} points.', '과적합: {gap}%p.'],
    ['decay δ', '감쇠율 δ'],
  ];
  pairs.forEach(([english, korean], i) => {
    assert.deepEqual(glossaryFindings({ [`k${i}`]: english }, { [`k${i}`]: korean }), [], english);
  });
});
