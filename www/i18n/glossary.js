// The English–Korean glossary of the app's terms, and the check that keeps
// every string pair to it (tests/text/glossary.test.mjs runs it on every
// key). Each entry:
//   term   the English term, as a reader would look it up
//   en     a pattern that finds the term in an English string
//   ko     the Korean the twin string must then contain
//   avoid  Korean renderings that are wrong wherever they appear
//   only   true when `ko` belongs to this term alone: a Korean string that
//          uses it must come from an English string with the term (one
//          Korean word must not translate two English terms)
//   where  where the app uses the term
// Patterns look for the term as students meet it; a string that names the
// term only through a symbol (δ, ∇f) is not matched.

export const GLOSSARY = [
  {
    term: "regularization", en: /regulari[sz]/i, ko: "규제", only: true,
    where: "network lab (L2, dropout), augmentation, lessons",
  },
  {
    term: "normalization, batch normalization", en: /normali[sz]|batch[- ]norm|\bBN\b/i, ko: "정규화", only: true,
    where: "batch-norm demo, network lab, plateau surface (normalised steps)",
  },
  {
    term: "damping (Newton)", en: /\bdamp(ing|ed)?\b/i, ko: "댐핑", only: true,
    where: "Newton racers, local quadratic model",
  },
  {
    term: "decay (RMSProp δ, learning-rate decay)", en: /\bdecay/i, ko: "감쇠", only: true,
    where: "RMSProp, schedules, momentum (exponentially decaying sum)",
  },
  {
    term: "(generalization) gap", en: /\bgap\b/i, ko: "격차", only: true, avoid: ["간격"],
    where: "network lab, dropout, lessons",
  },
  {
    term: "gradient", en: /gradient/i, ko: "기울기", only: true, avoid: ["그래디언트"],
    where: "every optimizer, race controls, batch norm",
  },
  {
    term: "exponential moving average (running average)", en: /(moving|running) (average|mean)|leaky/i,
    ko: "지수 이동 평균", avoid: ["새는 이동 평균"],
    where: "momentum, RMSProp, Adam, batch-norm running statistics",
  },
  {
    term: "colour jitter", en: /colou?r jitter/i, ko: "색상 지터", avoid: ["색 흔들기"],
    where: "augmentation",
  },
  {
    term: "heatmap", en: /heat ?map/i, ko: "히트맵", avoid: ["열지도", "열 지도"],
    where: "race map",
  },
  {
    term: "other samples in the batch", en: /batch mates|other (rows|samples|points) (of|in) (its|the) batch/i,
    ko: "배치의 다른 샘플", avoid: ["배치 동료"],
    where: "batch-norm train vs eval mode",
  },
  {
    term: "does not match", en: /does not match|doesn't match|not match/i, ko: "맞지 않", avoid: ["어긋"],
    where: "dropout test-time table",
  },
  {
    term: "Play (button)", en: /\bPlay\b/, ko: "재생",
    where: "player; texts that name the button",
  },
  {
    term: "Pause (button)", en: /\bPause\b/, ko: "일시정지",
    where: "player",
  },
  {
    term: "Step (button)", en: /\bStep\b/, ko: "한 단계", avoid: ["한 스텝을 누르"],
    where: "player; texts that name the button",
  },
  {
    term: "Reset (button)", en: /\bReset\b/, ko: "처음으로", avoid: ["초기화를 누르", "초기화 버튼"],
    where: "player; texts that name the button",
  },
  {
    term: "learning rate", en: /learning rate/i, ko: "학습률",
    where: "every optimizer and schedule",
  },
  {
    term: "overfitting", en: /overfit/i, ko: "과적합",
    where: "network lab, dropout",
  },
  {
    term: "saddle point", en: /saddle/i, ko: "안장",
    where: "race surfaces, Newton at a saddle",
  },
  {
    term: "Hessian", en: /hessian/i, ko: "헤시안",
    where: "Newton, BFGS, local quadratic model",
  },
  {
    term: "eigenvalue", en: /eigenvalue/i, ko: "고윳값",
    where: "local quadratic model, Newton",
  },
  {
    term: "condition number", en: /condition number/i, ko: "조건수",
    where: "ill-conditioned bowl, local quadratic model",
  },
  {
    term: "line search", en: /line search/i, ko: "선 탐색",
    where: "Newton, BFGS, L-BFGS",
  },
  {
    term: "bias correction (Adam)", en: /bias correction|bias-corrected/i, ko: "편향 보정",
    where: "Adam",
  },
  {
    term: "warm-up", en: /warm-up/i, ko: "워밍업",
    where: "schedules",
  },
  {
    term: "ensemble", en: /ensemble/i, ko: "앙상블",
    where: "dropout, schedules (snapshot ensembles), network lab",
  },
  {
    term: "validation", en: /validation/i, ko: "검증",
    where: "network lab, dropout, batch norm",
  },
  {
    term: "hidden layer", en: /hidden layer/i, ko: "은닉층",
    where: "network lab, batch norm, dropout",
  },
];

/**
 * Every place where a pair of strings breaks the glossary: a list of
 * {key, term, problem}. `en` and `ko` are whole string tables (key → text).
 */
export function glossaryFindings(en, ko, glossary = GLOSSARY) {
  const findings = [];
  // Placeholders such as {gap} are names for numbers, not words.
  const words = (text) => text.replace(/\{\w+\}/g, "");
  for (const key of Object.keys(en)) {
    if (typeof ko[key] !== "string") continue;
    const english = words(en[key]);
    const korean = words(ko[key]);
    for (const entry of glossary) {
      const uses = entry.en.test(english);
      if (uses && !korean.includes(entry.ko)) {
        findings.push({ key, term: entry.term, problem: `the English names “${entry.term}” but the Korean lacks ${entry.ko}` });
      }
      if (entry.only && !uses && korean.includes(entry.ko)) {
        findings.push({ key, term: entry.term, problem: `${entry.ko} is reserved for “${entry.term}”, which the English does not name` });
      }
      for (const wrong of entry.avoid ?? []) {
        if (korean.includes(wrong)) findings.push({ key, term: entry.term, problem: `“${wrong}” instead of ${entry.ko}` });
      }
    }
  }
  return findings;
}
