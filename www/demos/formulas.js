// The update rules shown beside each optimizer, and the learning-rate
// schedules, as MathML (rendered natively by the browser; nothing is
// fetched). They state the exact convention the engine uses: the learning
// rate α multiplies the velocity from outside, as in torch.optim.
//
// Letters are reused across rules, each rule's own text says what it means
// there: v is momentum's velocity but Adam's second moment; ρ is momentum
// but BFGS's 1/(sᵀy); H is Newton's Hessian but BFGS's estimate of its
// inverse (marked H ≈ (∇²f)⁻¹ in the rule).
import { formula, m, mi, mo, mn, msub, msup, mfrac, msqrt, mhat, mrow } from "../ui/dom.js";
import { t } from "../i18n/index.js";

const g = () => mi("g");
const x = () => mi("x");
const v = () => mi("v");
const alpha = () => mi("α");
const rho = () => mi("ρ");
const eps = () => mi("ε");
const gets = () => mo("←");
const sq = (e) => msup(e, mn("2"));

export const RULES = {
  sgd: () => formula([x(), gets(), x(), mo("−"), alpha(), g()]),
  momentum: () => formula(
    [v(), gets(), rho(), v(), mo("+"), g()],
    [x(), gets(), x(), mo("−"), alpha(), v()],
  ),
  /** The lecture's form: the same path for a constant α (v here is −α times PyTorch's). */
  momentumLecture: () => formula(
    [v(), gets(), rho(), v(), mo("−"), alpha(), g()],
    [x(), gets(), x(), mo("+"), v()],
  ),
  nesterov: () => formula(
    [v(), gets(), rho(), v(), mo("+"), g()],
    [x(), gets(), x(), mo("−"), alpha(), mrow(mo("("), g(), mo("+"), rho(), v(), mo(")"))],
  ),
  /** The lecture's look-ahead form, gradient taken at x + ρv. */
  nesterovLecture: () => formula(
    [v(), gets(), rho(), v(), mo("−"), alpha(), mi("∇"), mi("f"), mrow(mo("("), x(), mo("+"), rho(), v(), mo(")"))],
    [x(), gets(), x(), mo("+"), v()],
  ),
  adagrad: () => formula(
    [mi("s"), gets(), mi("s"), mo("+"), sq(g())],
    [x(), gets(), x(), mo("−"), alpha(), mfrac(g(), mrow(msqrt(mi("s")), mo("+"), eps()))],
  ),
  rmsprop: () => formula(
    [mi("s"), gets(), mi("δ"), mi("s"), mo("+"), mrow(mo("("), mn("1"), mo("−"), mi("δ"), mo(")")), sq(g())],
    [x(), gets(), x(), mo("−"), alpha(), mfrac(g(), mrow(msqrt(mi("s")), mo("+"), eps()))],
  ),
  adam: (biasCorrection = true) => formula(
    [mi("m"), gets(), msub(mi("β"), mn("1")), mi("m"), mo("+"),
      mrow(mo("("), mn("1"), mo("−"), msub(mi("β"), mn("1")), mo(")")), g()],
    [v(), gets(), msub(mi("β"), mn("2")), v(), mo("+"),
      mrow(mo("("), mn("1"), mo("−"), msub(mi("β"), mn("2")), mo(")")), sq(g())],
    ...(biasCorrection
      ? [[mhat(mi("m")), mo("="), mfrac(mi("m"), mrow(mn("1"), mo("−"), msubsup("β", "1", "t"))), mo(","),
          mhat(v()), mo("="), mfrac(v(), mrow(mn("1"), mo("−"), msubsup("β", "2", "t")))],
        [x(), gets(), x(), mo("−"), alpha(), mfrac(mhat(mi("m")), mrow(msqrt(mhat(v())), mo("+"), eps()))]]
      : [[x(), gets(), x(), mo("−"), alpha(), mfrac(mi("m"), mrow(msqrt(v()), mo("+"), eps()))]]),
  ),
  newton: (damping = "line_search") => formula(
    damping === "levenberg"
      ? [x(), gets(), x(), mo("−"), msup(mrow(mo("("), mi("H"), mo("+"), mi("λ"), mi("I"), mo(")")), mrow(mo("−"), mn("1"))), g()]
      : damping === "none"
        ? [x(), gets(), x(), mo("−"), msup(mi("H"), mrow(mo("−"), mn("1"))), g()]
        : [x(), gets(), x(), mo("−"), mi("t"), msup(mi("|H|"), mrow(mo("−"), mn("1"))), g()],
  ),
  bfgs: () => formula(
    [mi("p"), mo("="), mo("−"), mi("H"), g(), mo(","), mspace(), mi("H"), mo("≈"),
      msup(mrow(mo("("), msup(mi("∇"), mn("2")), mi("f"), mo(")")), mrow(mo("−"), mn("1"))), mo(","), mspace(),
      x(), gets(), x(), mo("+"), mi("t"), mi("p")],
    [mi("H"), gets(), mrow(mo("("), mi("I"), mo("−"), mi("ρ"), mi("s"), msup(mi("y"), mi("T")), mo(")")), mi("H"),
      mrow(mo("("), mi("I"), mo("−"), mi("ρ"), mi("y"), msup(mi("s"), mi("T")), mo(")")), mo("+"), mi("ρ"), mi("s"), msup(mi("s"), mi("T")),
      mo(","), mspace(), mi("ρ"), mo("="), mfrac(mn("1"), mrow(msup(mi("s"), mi("T")), mi("y")))],
  ),
  lbfgs: () => formula(
    [mi("p"), mo("="), mo("−"), msub(mi("H"), mi("k")), g(), mo(","), mspace(), msub(mi("H"), mi("k")), mo("≈"),
      msup(mrow(mo("("), msup(mi("∇"), mn("2")), mi("f"), mo(")")), mrow(mo("−"), mn("1")))],
    [x(), gets(), x(), mo("+"), mi("t"), mi("p"), mo(","), mspace(), mi("t"), mo(":"), mi("strong Wolfe")],
  ),
};

const lr = () => mrow(mi("lr"), mo("("), mi("t"), mo(")"));
const cosineOf = (tNow, tMax) => [mi("η"), mo("+"), mfrac(mn("1"), mn("2")), mrow(mo("("), alpha(), mo("−"), mi("η"), mo(")")),
  mrow(mo("("), mn("1"), mo("+"), mi("cos"), mrow(mo("("), mfrac(mrow(mi("π"), tNow), tMax), mo(")")), mo(")"))];

/**
 * lr(t) of each schedule kind, t counting steps from 0 (PyTorch's
 * conventions; η is the minimum rate). `warmup` is the ramp any of them can
 * start with.
 */
export const SCHEDULE_RULES = {
  constant: () => formula([lr(), mo("="), alpha()]),
  step: () => formula([lr(), mo("="), alpha(), mo("·"), msup(mi("γ"), mrow(mo("⌊"), mi("t"), mo("/"), mi("k"), mo("⌋")))]),
  exponential: () => formula([lr(), mo("="), alpha(), mo("·"), msup(mi("e"), mrow(mo("−"), mi("k"), mi("t")))]),
  inverse_time: () => formula([lr(), mo("="), mfrac(alpha(), mrow(mn("1"), mo("+"), mi("k"), mi("t")))]),
  cosine: () => formula([lr(), mo("="), ...cosineOf(mi("t"), mi("T")), mo(","), mspace(), mi("t"), mo("≤"), mi("T")]),
  warm_restarts: () => formula(
    [lr(), mo("="), ...cosineOf(msub(mi("t"), mi("cur")), msub(mi("T"), mi("i")))],
    [msub(mi("T"), mi("i")), mo("="), msub(mi("T"), mn("0")), mo("·"), msup(mi("m"), mi("i")), mo(","), mspace(),
      msub(mi("t"), mi("cur")), mo("="), mtext(t("sched.sinceRestart"))],
  ),
  warmup: () => formula([lr(), mo("="), alpha(), mo("·"), mfrac(mrow(mi("t"), mo("+"), mn("1")), mi("W")), mo(","), mspace(),
    mi("t"), mo("<"), mi("W"), mo(";"), mspace(), mtext(t("sched.thenSchedule")), mi("t"), mo("−"), mi("W")]),
};

/** A wide space between two parts of one line. */
function mspace() {
  return mo("\u2003");
}

function msubsup(base, sub, sup) {
  return msup(msub(mi(base), mn(sub)), mi(sup));
}

function mtext(text) {
  return m("mtext", text);
}
