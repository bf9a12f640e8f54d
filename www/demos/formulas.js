// The update rules shown beside each optimizer, as MathML (rendered
// natively by the browser; nothing is fetched). They state the exact
// convention the engine uses: the learning rate α multiplies the velocity
// from outside, as in torch.optim.
import { formula, mi, mo, mn, msub, msup, mfrac, msqrt, mhat, mrow } from "../ui/dom.js";

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
    [mi("p"), mo("="), mo("−"), mi("H"), g(), mo(","), mspace(), x(), gets(), x(), mo("+"), mi("t"), mi("p")],
    [mi("H"), gets(), mrow(mo("("), mi("I"), mo("−"), mi("ρ"), mi("s"), msup(mi("y"), mi("T")), mo(")")), mi("H"),
      mrow(mo("("), mi("I"), mo("−"), mi("ρ"), mi("y"), msup(mi("s"), mi("T")), mo(")")), mo("+"), mi("ρ"), mi("s"), msup(mi("s"), mi("T"))],
  ),
  lbfgs: () => formula(
    [mi("p"), mo("="), mo("−"), msub(mi("H"), mi("k")), g(), mo(","), mspace(), msub(mi("H"), mi("k")), mo("≈"),
      msup(mrow(mo("("), msup(mi("∇"), mn("2")), mi("f"), mo(")")), mrow(mo("−"), mn("1")))],
    [x(), gets(), x(), mo("+"), mi("t"), mi("p"), mo(","), mspace(), mi("t"), mo(":"), mi("strong Wolfe")],
  ),
};

/** A wide space between two parts of one line. */
function mspace() {
  return mo("\u2003");
}

function msubsup(base, sub, sup) {
  return msup(msub(mi(base), mn(sub)), mi(sup));
}
