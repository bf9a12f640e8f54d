//! How an ensemble combines its members' predictions.
//!
//! Each member's prediction on a set of points is kept as log-probabilities
//! (log-softmax of its scores, in f64, `rows × classes`). The ensemble's
//! prediction is the mean of the members' softmax probabilities,
//! `p̄ = (1/k)·Σᵢ pᵢ` — not the mean of their logits, and not a vote — and
//! its loss is the cross-entropy of `p̄`, computed as
//! `−ln p̄_y = ln k − logsumexp_i(ln pᵢ_y)`, so that it stays finite and
//! exact where a member's probability underflows in f32.
//!
//! Since `−ln` is convex, Jensen's inequality gives `−ln p̄_y ≤ (1/k)Σ −ln pᵢ_y`
//! on every point: the averaged model's cross-entropy is never above the
//! mean of its members'. (Accuracy has no such guarantee.)
//!
//! A majority vote (each member votes for its most likely class) is there
//! for comparison. Tie rule: among the classes with the most votes, the one
//! with the highest averaged probability wins; if that ties too, the lowest
//! class index.

/// Log-softmax of every row of `scores` (`rows × classes`) into `out`, in f64.
pub fn log_softmax_rows(scores: &[f32], classes: usize, out: &mut [f64]) {
    for (row, out_row) in scores
        .chunks_exact(classes)
        .zip(out.chunks_exact_mut(classes))
    {
        let max = row.iter().fold(f64::NEG_INFINITY, |m, &s| m.max(s as f64));
        let sum: f64 = row.iter().map(|&s| (s as f64 - max).exp()).sum();
        let log_sum = max + sum.ln();
        for (o, &s) in out_row.iter_mut().zip(row) {
            *o = s as f64 - log_sum;
        }
    }
}

/// `ln(eᵃ + eᵇ)` without overflow; `a = −∞` gives `b`.
fn log_add_exp(a: f64, b: f64) -> f64 {
    let (high, low) = if a > b { (a, b) } else { (b, a) };
    if low == f64::NEG_INFINITY {
        return high;
    }
    high + (low - high).exp().ln_1p()
}

/// Accuracy and mean cross-entropy of one prediction on a labelled set.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SetScore {
    /// Fraction of points whose most likely class is the label.
    pub accuracy: f64,
    /// Mean of `−ln p_y` (no L2 term).
    pub loss: f64,
}

/// The score of one member from its log-probabilities.
pub fn member_score(log_probs: &[f64], labels: &[u32], classes: usize) -> SetScore {
    let rows = labels.len();
    let mut correct = 0usize;
    let mut loss = 0.0;
    for (row, &label) in log_probs.chunks_exact(classes).zip(labels) {
        correct += usize::from(argmax_f64(row) == label as usize);
        loss -= row[label as usize];
    }
    SetScore {
        accuracy: correct as f64 / rows as f64,
        loss: loss / rows as f64,
    }
}

/// The ensemble's curves against the number k of members averaged.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CountCurves {
    /// Accuracy of the averaged probabilities of the first k members.
    pub accuracy: Vec<f64>,
    /// Cross-entropy of the averaged probabilities of the first k members.
    pub loss: Vec<f64>,
    /// Accuracy of the majority vote of the first k members.
    pub vote_accuracy: Vec<f64>,
}

/// For k = 1 … `members.len()`, the scores of the first k members combined
/// (each member is its log-probabilities on the set, `rows × classes`).
/// Cost: O(members · rows · classes), one pass adding one member at a time.
pub fn count_curves(members: &[&[f64]], labels: &[u32], classes: usize) -> CountCurves {
    let rows = labels.len();
    let mut curves = CountCurves::default();
    if rows == 0 {
        return curves;
    }
    let mut sums = vec![0.0f64; rows * classes];
    let mut votes = vec![0u32; rows * classes];
    let mut label_lse = vec![f64::NEG_INFINITY; rows];
    for (index, member) in members.iter().enumerate() {
        let k = (index + 1) as f64;
        let (mut correct, mut vote_correct, mut loss) = (0usize, 0usize, 0.0);
        for row in 0..rows {
            let label = labels[row] as usize;
            let logs = &member[row * classes..(row + 1) * classes];
            let sum = &mut sums[row * classes..(row + 1) * classes];
            let vote = &mut votes[row * classes..(row + 1) * classes];
            for (s, &l) in sum.iter_mut().zip(logs) {
                *s += l.exp();
            }
            vote[argmax_f64(logs)] += 1;
            label_lse[row] = log_add_exp(label_lse[row], logs[label]);
            correct += usize::from(argmax_f64(sum) == label);
            vote_correct += usize::from(vote_winner(vote, sum) == label);
            loss += k.ln() - label_lse[row];
        }
        curves.accuracy.push(correct as f64 / rows as f64);
        curves.vote_accuracy.push(vote_correct as f64 / rows as f64);
        curves.loss.push(loss / rows as f64);
    }
    curves
}

/// The averaged probabilities `p̄ = (1/k)Σ exp(log pᵢ)` of `members` into
/// `out` (`rows × classes`).
pub fn average_probabilities(members: &[&[f64]], out: &mut [f64]) {
    out.fill(0.0);
    for member in members {
        for (o, &l) in out.iter_mut().zip(member.iter()) {
            *o += l.exp();
        }
    }
    let k = members.len().max(1) as f64;
    out.iter_mut().for_each(|o| *o /= k);
}

/// The class a majority vote picks: most `votes`, ties to the highest
/// `probabilities` (any positive multiple of p̄ will do), then the lowest index.
pub fn vote_winner(votes: &[u32], probabilities: &[f64]) -> usize {
    let mut best = 0;
    for c in 1..votes.len() {
        let better = votes[c] > votes[best]
            || (votes[c] == votes[best] && probabilities[c] > probabilities[best]);
        if better {
            best = c;
        }
    }
    best
}

/// Index of the largest value (the first one on ties), as
/// [`super::loss::argmax`] does for f32.
fn argmax_f64(row: &[f64]) -> usize {
    let mut best = 0;
    for (i, &v) in row.iter().enumerate() {
        if v > row[best] {
            best = i;
        }
    }
    best
}

/// Averages `members` probability rows (f32, as [`super::Model::predict`]
/// writes them) into `out`, accumulating in f64.
pub fn average_f32(members: &[&[f32]], out: &mut [f32]) {
    for (i, o) in out.iter_mut().enumerate() {
        let sum: f64 = members.iter().map(|m| m[i] as f64).sum();
        *o = (sum / members.len().max(1) as f64) as f32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::loss::argmax;

    fn logs(probs: &[f64]) -> Vec<f64> {
        probs.iter().map(|p| p.ln()).collect()
    }

    #[test]
    fn log_softmax_matches_the_definition_and_survives_huge_scores() {
        let mut out = [0.0; 3];
        log_softmax_rows(&[1.0, 2.0, 3.0], 3, &mut out);
        let z = 1f64.exp() + 2f64.exp() + 3f64.exp();
        for (c, s) in [1.0f64, 2.0, 3.0].iter().enumerate() {
            assert!((out[c] - (s.exp() / z).ln()).abs() < 1e-12);
        }
        log_softmax_rows(&[1000.0, 0.0, -1000.0], 3, &mut out);
        assert_eq!(out[0], 0.0);
        assert_eq!(out[1], -1000.0);
        assert_eq!(out[2], -2000.0);
    }

    #[test]
    fn curves_of_two_members_by_hand() {
        // Two points, two classes, labels [0, 1].
        // Member A: p = (0.9, 0.1), (0.6, 0.4) → right, wrong.
        // Member B: p = (0.2, 0.8), (0.3, 0.7) → wrong, right.
        let a = logs(&[0.9, 0.1, 0.6, 0.4]);
        let b = logs(&[0.2, 0.8, 0.3, 0.7]);
        let curves = count_curves(&[&a, &b], &[0, 1], 2);
        // k = 1: A alone: accuracy 1/2, loss (−ln 0.9 − ln 0.4)/2.
        assert_eq!(curves.accuracy[0], 0.5);
        let loss_a = (-(0.9f64).ln() - (0.4f64).ln()) / 2.0;
        assert!((curves.loss[0] - loss_a).abs() < 1e-12);
        // k = 2: p̄ = (0.55, 0.45), (0.45, 0.55) → both right;
        // loss = (−ln 0.55 − ln 0.55)/2.
        assert_eq!(curves.accuracy[1], 1.0);
        assert!((curves.loss[1] + (0.55f64).ln()).abs() < 1e-12);
        // Votes tie 1–1 on both points; the higher p̄ wins: class 0, then 1.
        assert_eq!(curves.vote_accuracy, vec![0.5, 1.0]);
    }

    #[test]
    fn vote_ties_go_to_the_higher_average_then_the_lower_class() {
        assert_eq!(vote_winner(&[1, 2, 2], &[0.5, 0.2, 0.3]), 2);
        assert_eq!(vote_winner(&[1, 2, 2], &[0.2, 0.4, 0.4]), 1);
        assert_eq!(vote_winner(&[0, 3, 0], &[0.9, 0.05, 0.05]), 1);
        assert_eq!(vote_winner(&[2, 2], &[0.5, 0.5]), 0);
    }

    #[test]
    fn member_score_and_average_by_hand() {
        let a = logs(&[0.9, 0.1, 0.6, 0.4]);
        let score = member_score(&a, &[0, 1], 2);
        assert_eq!(score.accuracy, 0.5);
        assert!((score.loss - (-(0.9f64).ln() - (0.4f64).ln()) / 2.0).abs() < 1e-12);
        let b = logs(&[0.2, 0.8, 0.3, 0.7]);
        let mut out = [0.0; 4];
        average_probabilities(&[&a, &b], &mut out);
        for (o, want) in out.iter().zip([0.55, 0.45, 0.45, 0.55]) {
            assert!((o - want).abs() < 1e-12);
        }
        assert_eq!(log_add_exp(f64::NEG_INFINITY, -3.0), -3.0);
        let mut f = [0.0f32; 2];
        average_f32(&[&[0.25, 0.75], &[0.75, 0.25], &[1.0, 0.0]], &mut f);
        assert_eq!(f, [2.0 / 3.0, 1.0 / 3.0]);
    }

    #[test]
    fn argmax_agrees_with_the_f32_one_on_ties() {
        assert_eq!(argmax_f64(&[1.0, 3.0, 3.0]), argmax(&[1.0, 3.0, 3.0]));
    }
}
