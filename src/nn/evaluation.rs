//! Evaluating a big data set a little at a time.
//!
//! Scoring thousands of images takes longer than an animation frame, so an
//! [`Evaluation`] works on a *snapshot* of the model's parameters (training
//! may go on meanwhile) and advances a cursor a few examples per call: the
//! first `train_count` training examples, then every validation example.
//! The training examples may instead be spread evenly over the whole
//! training set ([`Evaluation::spread_over`]), which matters when that set
//! is sorted by class (the digits are): the first few hundred would be
//! zeros and ones only. When it is done it holds the mean cross-entropy
//! and accuracy of both sets, the validation set's class probabilities, its confusion matrix
//! and its most confidently wrong examples.

use super::dataset::Dataset;
use super::loss::{argmax, cross_entropy_row, softmax_rows};
use super::model::{Model, SetScore};
use super::Mode;
use crate::error::Result;

/// How far an evaluation has got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Examples scored so far.
    pub evaluated: usize,
    /// Examples to score in all.
    pub total: usize,
}

impl Progress {
    /// Whether every example has been scored.
    pub fn done(&self) -> bool {
        self.evaluated == self.total
    }
}

/// A validation example the network got wrong, and how sure it was.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mistake {
    /// Index in the validation set.
    pub index: usize,
    /// The true class.
    pub label: usize,
    /// The class the network chose.
    pub predicted: usize,
    /// The probability it gave its choice.
    pub confidence: f32,
}

#[derive(Clone, Copy, Debug, Default)]
struct Tally {
    loss: f64,
    correct: usize,
    count: usize,
}

impl Tally {
    fn score(&self) -> Option<SetScore> {
        (self.count > 0).then(|| SetScore {
            loss: self.loss / self.count as f64,
            accuracy: self.correct as f64 / self.count as f64,
        })
    }
}

/// A chunked evaluation of one snapshot of a model.
#[derive(Clone, Debug)]
pub struct Evaluation {
    step: u64,
    classes: usize,
    train_count: usize,
    val_count: usize,
    cursor: usize,
    train: Tally,
    val: Tally,
    /// Class probabilities of every validation example scored so far.
    val_probs: Vec<f32>,
    /// Their labels.
    val_labels: Vec<u32>,
    /// `confusion[true · classes + predicted]` over the validation set.
    confusion: Vec<u32>,
    scores: Vec<f32>,
    /// The training set's size when its scored examples are spread over it.
    spread_over: Option<usize>,
    /// Spread training rows gathered for one chunk, and their labels.
    gathered: Vec<f32>,
    gathered_labels: Vec<u32>,
}

impl Evaluation {
    /// An evaluation of the model as it was after `step` steps, over the
    /// first `train_count` training examples and `val_count` validation ones.
    pub fn new(step: u64, classes: usize, train_count: usize, val_count: usize) -> Self {
        Evaluation {
            step,
            classes,
            train_count,
            val_count,
            cursor: 0,
            train: Tally::default(),
            val: Tally::default(),
            val_probs: Vec::with_capacity(val_count * classes),
            val_labels: Vec::with_capacity(val_count),
            confusion: vec![0; classes * classes],
            scores: Vec::new(),
            spread_over: None,
            gathered: Vec::new(),
            gathered_labels: Vec::new(),
        }
    }

    /// Scores training examples spread evenly over a training set of
    /// `train_len` examples instead of the first `train_count`: example j
    /// is ⌊j · train_len / train_count⌋.
    pub fn spread_over(mut self, train_len: usize) -> Self {
        if train_len > self.train_count {
            self.spread_over = Some(train_len);
        }
        self
    }

    /// The training-set index of the j-th training example scored.
    pub fn train_index(&self, j: usize) -> usize {
        match self.spread_over {
            Some(len) => (j as u64 * len as u64 / self.train_count as u64) as usize,
            None => j,
        }
    }

    /// The step the snapshot was taken at.
    pub fn step(&self) -> u64 {
        self.step
    }

    /// Examples scored and to score.
    pub fn progress(&self) -> Progress {
        Progress {
            evaluated: self.cursor,
            total: self.train_count + self.val_count,
        }
    }

    /// Scores up to `max_examples` more examples with `model` (the
    /// snapshot), in eval mode and chunks of its `eval_chunk`.
    pub fn advance(
        &mut self,
        model: &mut Model,
        train: &Dataset,
        val: &Dataset,
        max_examples: usize,
    ) -> Result<Progress> {
        let end = (self.cursor + max_examples).min(self.progress().total);
        while self.cursor < end {
            let in_train = self.cursor < self.train_count;
            let (set, first, limit) = if in_train {
                (train, self.cursor, self.train_count)
            } else {
                (val, self.cursor - self.train_count, self.val_count)
            };
            let count = model.eval_chunk().min(limit - first).min(end - self.cursor);
            let width = set.shape().len();
            let (inputs, labels) = if in_train && self.spread_over.is_some() {
                self.gathered.clear();
                self.gathered_labels.clear();
                for j in first..first + count {
                    let i = self.train_index(j);
                    self.gathered.extend_from_slice(set.row(i));
                    self.gathered_labels.push(set.labels()[i]);
                }
                (&self.gathered[..], &self.gathered_labels[..])
            } else {
                (
                    &set.points()[first * width..(first + count) * width],
                    &set.labels()[first..first + count],
                )
            };
            let scores = model.forward(inputs, Mode::Eval)?;
            self.scores.clear();
            self.scores.extend_from_slice(scores);
            let classes = self.classes;
            let tally = if in_train {
                &mut self.train
            } else {
                &mut self.val
            };
            for (row, &label) in self.scores.chunks_exact(classes).zip(labels) {
                let (label, predicted) = (label as usize, argmax(row));
                tally.loss += cross_entropy_row(row, label);
                tally.correct += usize::from(predicted == label);
                tally.count += 1;
                if !in_train {
                    self.confusion[label * classes + predicted] += 1;
                }
            }
            if !in_train {
                self.val_labels.extend_from_slice(labels);
                let start = self.val_probs.len();
                self.val_probs.resize(start + count * classes, 0.0);
                softmax_rows(&self.scores, &mut self.val_probs[start..], classes);
            }
            self.cursor += count;
        }
        Ok(self.progress())
    }

    /// Mean cross-entropy and accuracy of the training examples scored.
    pub fn train_score(&self) -> Option<SetScore> {
        self.train.score()
    }

    /// The same for the validation set (`None` before any validation example).
    pub fn val_score(&self) -> Option<SetScore> {
        self.val.score()
    }

    /// `classes × classes` counts: row = true class, column = predicted.
    pub fn confusion(&self) -> &[u32] {
        &self.confusion
    }

    /// Class probabilities of the validation examples scored so far.
    pub fn val_probabilities(&self) -> &[f32] {
        &self.val_probs
    }

    /// Up to `k` wrongly classified validation examples, most confident first.
    pub fn most_confident_mistakes(&self, k: usize) -> Vec<Mistake> {
        let mut mistakes: Vec<Mistake> = Vec::new();
        let rows = self.val_probs.chunks_exact(self.classes);
        for (index, (row, &label)) in rows.zip(&self.val_labels).enumerate() {
            let (label, predicted) = (label as usize, argmax(row));
            if label != predicted {
                mistakes.push(Mistake {
                    index,
                    label,
                    predicted,
                    confidence: row[predicted],
                });
            }
        }
        mistakes.sort_by(|a, b| {
            b.confidence
                .total_cmp(&a.confidence)
                .then(a.index.cmp(&b.index))
        });
        mistakes.truncate(k);
        mistakes
    }
}
