//! Model ensembles: several networks whose averaged prediction is usually
//! better than any one of them (CS231n lecture 7, "model ensembles").
//!
//! Two kinds:
//!
//! * **Independent**: K runs built from one configuration that differ only
//!   in their seed — initial weights, minibatch order and dropout masks
//!   ([`Trainer::new_member`]); the data and the train/validation split are
//!   the same for all (checked when the ensemble is built). Each member
//!   trains every step, so K members cost K× the compute.
//! * **Snapshot** (Huang et al. 2017, "Snapshot Ensembles: Train 1, get M for
//!   free"): one run whose learning rate follows cosine annealing with warm
//!   restarts of a fixed cycle length (mult 1, min 0; the optimizer keeps its
//!   kind and base `lr`, any schedule it had is replaced). At the end of
//!   every cycle the weights are copied as a member; the last `members`
//!   snapshots are kept. Steps count from 0 as in [`crate::schedule`]: the
//!   rate jumps back up at steps `cycle`, `2·cycle`, …, so a snapshot is
//!   taken right after step `cycle − 1`, `2·cycle − 1`, … (a run of 1000
//!   steps with cycle 200 takes them after steps 199, 399, 599, 799, 999).
//!   Snapshots are listed newest first, so "the first k members" are the
//!   last k snapshots, the ensembles the paper reports.
//!
//! Members predict in eval mode, with Polyak weights when the trainer
//! averages them (a snapshot copies the model as it is evaluated).
//! Predictions are combined as in [`super::averaging`]: mean softmax
//! probabilities, with a majority vote for comparison.
//!
//! Costs: each member's log-probabilities on the training and validation
//! sets are cached. A snapshot's are computed once, when it is taken; an
//! independent member's (and the snapshot run's current model's) after
//! training, on the first evaluation: one eval forward over both sets per
//! run. Everything else (curves by member count, votes) works on the cache.

use std::collections::VecDeque;

use super::averaging::{
    average_f32, count_curves, log_softmax_rows, member_score, CountCurves, SetScore,
};
use super::dataset::Dataset;
use super::grid::Grid;
use super::model::Model;
use super::trainer::Trainer;
use super::Mode;
use crate::error::{Error, Result};
use crate::schedule::{Schedule, MAX_STEPS};

/// Most members an ensemble may have.
pub const MAX_MEMBERS: usize = 32;
/// Snapshot members keep their decision map for grids up to this many cells.
const MAX_CACHED_GRID_CELLS: usize = 256 * 256;

/// Which kind of ensemble, with its settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnsembleKind {
    /// K runs from different seeds.
    Independent,
    /// Snapshots of one run with warm restarts every `cycle` steps.
    Snapshot {
        /// Steps per cosine cycle (the warm-restart period).
        cycle: u64,
    },
}

impl EnsembleKind {
    /// The JS name: "independent" or "snapshot".
    pub fn name(self) -> &'static str {
        match self {
            EnsembleKind::Independent => "independent",
            EnsembleKind::Snapshot { .. } => "snapshot",
        }
    }
}

/// Log-probabilities of one model on the training and validation sets.
#[derive(Clone, Debug, Default)]
struct Predictions {
    train: Vec<f64>,
    val: Vec<f64>,
}

/// A copy of the snapshot run's model taken at the end of a cycle.
#[derive(Clone, Debug)]
struct Snapshot {
    /// The step (counting from 0) after which it was taken.
    step: u64,
    model: Model,
    predictions: Predictions,
    /// Its decision map on the last grid asked for.
    grid: Option<(Grid, Vec<f32>)>,
}

/// One model's scores on the two sets.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ModelScore {
    /// Steps the model had trained when it was evaluated (for a snapshot,
    /// the number of steps up to and including the step it was taken after).
    pub steps: u64,
    /// Accuracy and cross-entropy on the training set.
    pub train: SetScore,
    /// The same on the validation set (`None` without one).
    pub val: Option<SetScore>,
}

/// The averaged model's scores.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AverageScore {
    /// Averaged probabilities on the training set.
    pub train: SetScore,
    /// Averaged probabilities on the validation set (`None` without one).
    pub val: Option<SetScore>,
    /// Majority-vote accuracy on the validation set (`None` without one).
    pub val_vote_accuracy: Option<f64>,
}

/// Everything an evaluation reports.
#[derive(Clone, Debug, PartialEq)]
pub struct EnsembleReport {
    /// Steps taken by each run.
    pub steps: u64,
    /// Optimizer steps taken by all runs together (the compute spent).
    pub compute_steps: u64,
    /// Each member, in member order.
    pub members: Vec<ModelScore>,
    /// The average of all members (`None` before the first snapshot).
    pub ensemble: Option<AverageScore>,
    /// The snapshot run's current model (`None` for independent members,
    /// which are the runs themselves).
    pub run: Option<ModelScore>,
}

/// The scores that depend on every member, computed once per change.
#[derive(Clone, Debug, Default)]
struct Summary {
    /// Validation curves by member count (empty without validation).
    val: CountCurves,
    /// Training curves by member count.
    train: CountCurves,
}

/// An ensemble of networks on one data set.
pub struct Ensemble {
    kind: EnsembleKind,
    capacity: usize,
    runs: Vec<Trainer>,
    /// The data all runs share (a copy, so that evaluation can borrow it
    /// beside a run's model).
    train_set: Dataset,
    val_set: Dataset,
    /// Snapshot members, newest first.
    snapshots: VecDeque<Snapshot>,
    /// Rate of every step of run 0, in order.
    lr_history: Vec<f64>,
    /// Current predictions of each run (valid when `fresh`).
    run_predictions: Vec<Predictions>,
    summary: Summary,
    fresh: bool,
}

impl Ensemble {
    /// Builds an ensemble of `members` (1 to [`MAX_MEMBERS`]). `build(k)`
    /// makes run k — for example `|k| Trainer::new_member(config.clone(), k)`;
    /// all runs must hold the same training and validation data. A snapshot
    /// ensemble builds one run and replaces its schedule by warm restarts.
    /// Errors name `members`, `cycle` or the trainer setting at fault.
    pub fn new(
        kind: EnsembleKind,
        members: usize,
        mut build: impl FnMut(usize) -> Result<Trainer>,
    ) -> Result<Ensemble> {
        if !(1..=MAX_MEMBERS).contains(&members) {
            return Err(Error::new(format!(
                "members must be between 1 and {MAX_MEMBERS}, got {members}"
            )));
        }
        let runs = match kind {
            EnsembleKind::Independent => (0..members).map(&mut build).collect::<Result<_>>()?,
            EnsembleKind::Snapshot { cycle } => {
                if !(1..=MAX_STEPS).contains(&cycle) {
                    return Err(Error::new(format!(
                        "cycle must be a whole number of steps from 1 to {MAX_STEPS}, got {cycle}"
                    )));
                }
                let mut run = build(0)?;
                let schedule = Schedule::WarmRestarts {
                    lr: run.config().optimizer.lr,
                    period: cycle,
                    mult: 1,
                    min: 0.0,
                };
                schedule.validate()?;
                run.set_schedule(Box::new(move |step| schedule.at(step)));
                vec![run]
            }
        };
        let ensemble = Ensemble {
            train_set: runs[0].train_set().clone(),
            val_set: runs[0].val_set().clone(),
            kind,
            capacity: members,
            run_predictions: vec![Predictions::default(); runs.len()],
            runs,
            snapshots: VecDeque::new(),
            lr_history: Vec::new(),
            summary: Summary::default(),
            fresh: false,
        };
        ensemble.check_shared_data()?;
        Ok(ensemble)
    }

    fn check_shared_data(&self) -> Result<()> {
        let first = &self.runs[0];
        for (k, run) in self.runs.iter().enumerate().skip(1) {
            if run.train_set() != first.train_set() || run.val_set() != first.val_set() {
                return Err(Error::new(format!(
                    "ensemble members must share their data and split, but member {k} differs from member 0"
                )));
            }
        }
        Ok(())
    }

    /// The kind and its settings.
    pub fn kind(&self) -> EnsembleKind {
        self.kind
    }

    /// The `members` setting: how many members the ensemble holds at most.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Members so far: all of them for independent runs, the snapshots
    /// kept so far for a snapshot ensemble.
    pub fn count(&self) -> usize {
        match self.kind {
            EnsembleKind::Independent => self.runs.len(),
            EnsembleKind::Snapshot { .. } => self.snapshots.len(),
        }
    }

    /// The training runs: one per member, or the one snapshot run.
    pub fn runs(&self) -> &[Trainer] {
        &self.runs
    }

    /// Steps taken by each run.
    pub fn steps(&self) -> u64 {
        self.runs[0].steps()
    }

    /// Optimizer steps taken by all runs together.
    pub fn compute_steps(&self) -> u64 {
        self.runs.iter().map(Trainer::steps).sum()
    }

    /// The learning rate of every step taken so far (all runs share it).
    pub fn lr_history(&self) -> &[f64] {
        &self.lr_history
    }

    /// The step (counting from 0) after which each kept snapshot was taken,
    /// in member order (newest first); empty for independent members.
    pub fn snapshot_steps(&self) -> Vec<u64> {
        self.snapshots.iter().map(|s| s.step).collect()
    }

    /// The training set (shared by all runs).
    pub fn train_set(&self) -> &Dataset {
        &self.train_set
    }

    /// The validation set (shared by all runs).
    pub fn val_set(&self) -> &Dataset {
        &self.val_set
    }

    /// Number of classes.
    pub fn classes(&self) -> usize {
        self.runs[0].model().spec().classes
    }

    /// `steps` more steps: every independent run takes them, or the snapshot
    /// run does, copying a member at the end of each cycle. No evaluation
    /// beyond the predictions of new snapshots.
    pub fn run(&mut self, steps: usize) -> Result<()> {
        if steps == 0 {
            return Ok(());
        }
        self.fresh = false;
        self.lr_history.reserve(steps);
        match self.kind {
            EnsembleKind::Independent => {
                for _ in 0..steps {
                    self.lr_history.push(self.runs[0].current_lr());
                    self.runs[0].step()?;
                }
                for run in &mut self.runs[1..] {
                    run.run(steps)?;
                }
            }
            EnsembleKind::Snapshot { cycle } => {
                for _ in 0..steps {
                    self.lr_history.push(self.runs[0].current_lr());
                    self.runs[0].step()?;
                    if self.runs[0].steps() % cycle == 0 {
                        self.take_snapshot()?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Copies the run's model (as evaluated) as the newest member.
    fn take_snapshot(&mut self) -> Result<()> {
        let mut model = self.runs[0].eval_model();
        let predictions = predictions_of(&mut model, &self.train_set, &self.val_set)?;
        self.snapshots.push_front(Snapshot {
            step: self.runs[0].steps() - 1,
            model,
            predictions,
            grid: None,
        });
        self.snapshots.truncate(self.capacity);
        Ok(())
    }

    /// `run(steps)`, then [`Ensemble::evaluate`].
    pub fn train(&mut self, steps: usize) -> Result<EnsembleReport> {
        self.run(steps)?;
        self.evaluate()
    }

    /// Brings the runs' predictions and the curves up to date.
    fn refresh(&mut self) -> Result<()> {
        if self.fresh {
            return Ok(());
        }
        let (train_set, val_set) = (&self.train_set, &self.val_set);
        for (run, slot) in self.runs.iter_mut().zip(&mut self.run_predictions) {
            *slot = run.with_eval_weights(|model| predictions_of(model, train_set, val_set))?;
        }
        let classes = self.classes();
        let members: Vec<&Predictions> = (0..self.count()).map(|i| self.member(i)).collect();
        let val: Vec<&[f64]> = members.iter().map(|p| &p.val[..]).collect();
        let train: Vec<&[f64]> = members.iter().map(|p| &p.train[..]).collect();
        self.summary = Summary {
            val: count_curves(&val, self.val_set().labels(), classes),
            train: count_curves(&train, self.train_set().labels(), classes),
        };
        self.fresh = true;
        Ok(())
    }

    /// Member `i`'s cached predictions (call after `refresh`).
    fn member(&self, i: usize) -> &Predictions {
        match self.kind {
            EnsembleKind::Independent => &self.run_predictions[i],
            EnsembleKind::Snapshot { .. } => &self.snapshots[i].predictions,
        }
    }

    fn score(&self, predictions: &Predictions, steps: u64) -> ModelScore {
        let classes = self.classes();
        let val_set = self.val_set();
        ModelScore {
            steps,
            train: member_score(&predictions.train, self.train_set().labels(), classes),
            val: (!val_set.is_empty())
                .then(|| member_score(&predictions.val, val_set.labels(), classes)),
        }
    }

    /// Scores of every member, the average and (snapshots) the current run.
    pub fn evaluate(&mut self) -> Result<EnsembleReport> {
        self.refresh()?;
        let members = (0..self.count())
            .map(|i| {
                let steps = match self.kind {
                    EnsembleKind::Independent => self.runs[i].steps(),
                    EnsembleKind::Snapshot { .. } => self.snapshots[i].step + 1,
                };
                self.score(self.member(i), steps)
            })
            .collect();
        let has_val = !self.val_set().is_empty();
        let ensemble = (self.count() > 0).then(|| {
            let last = self.count() - 1;
            let (train, val) = (&self.summary.train, &self.summary.val);
            AverageScore {
                train: SetScore {
                    accuracy: train.accuracy[last],
                    loss: train.loss[last],
                },
                val: has_val.then(|| SetScore {
                    accuracy: val.accuracy[last],
                    loss: val.loss[last],
                }),
                val_vote_accuracy: has_val.then(|| val.vote_accuracy[last]),
            }
        });
        let run = match self.kind {
            EnsembleKind::Independent => None,
            EnsembleKind::Snapshot { .. } => {
                Some(self.score(&self.run_predictions[0], self.steps()))
            }
        };
        Ok(EnsembleReport {
            steps: self.steps(),
            compute_steps: self.compute_steps(),
            members,
            ensemble,
            run,
        })
    }

    /// Validation curves of the first k members averaged, k = 1 … count
    /// (each empty without a validation set).
    pub fn val_curves(&mut self) -> Result<&CountCurves> {
        self.refresh()?;
        Ok(&self.summary.val)
    }

    /// Training-set curves of the first k members averaged, k = 1 … count.
    pub fn train_curves(&mut self) -> Result<&CountCurves> {
        self.refresh()?;
        Ok(&self.summary.train)
    }

    /// Runs `f` on member `i`'s model as it is evaluated.
    fn with_member<R>(&mut self, i: usize, f: impl FnOnce(&mut Model) -> R) -> Result<R> {
        let count = self.count();
        if i >= count {
            return Err(Error::new(format!(
                "member must be below the member count {count}, got {i}"
            )));
        }
        Ok(match self.kind {
            EnsembleKind::Independent => self.runs[i].with_eval_weights(f),
            EnsembleKind::Snapshot { .. } => f(&mut self.snapshots[i].model),
        })
    }

    /// The averaged class probabilities of all members on `inputs`
    /// (row-major points) into `out` (`rows × classes`). Fails before the
    /// first snapshot.
    pub fn predict(&mut self, inputs: &[f32], out: &mut [f32]) -> Result<()> {
        let count = self.count();
        if count == 0 {
            return Err(Error::new(
                "the ensemble has no members yet: a snapshot ensemble takes its first one at the end of the first cycle",
            ));
        }
        let mut each = vec![vec![0.0f32; out.len()]; count];
        for (i, probs) in each.iter_mut().enumerate() {
            self.with_member(i, |model| model.predict(inputs, probs))??;
        }
        let views: Vec<&[f32]> = each.iter().map(|p| &p[..]).collect();
        average_f32(&views, out);
        Ok(())
    }

    /// Member `i`'s class probabilities on `grid` into `out`
    /// (`cells × classes`). A snapshot member keeps its last grid (up to
    /// 256×256 cells), so asking again for the same grid costs nothing.
    pub fn member_grid(&mut self, i: usize, grid: &Grid, out: &mut [f32]) -> Result<()> {
        if let EnsembleKind::Snapshot { .. } = self.kind {
            if let Some(Snapshot {
                grid: Some((cached, probs)),
                ..
            }) = self.snapshots.get(i)
            {
                if cached == grid && probs.len() == out.len() {
                    out.copy_from_slice(probs);
                    return Ok(());
                }
            }
        }
        self.with_member(i, |model| grid.predict(model, out))??;
        if let EnsembleKind::Snapshot { .. } = self.kind {
            if grid.cells() <= MAX_CACHED_GRID_CELLS {
                self.snapshots[i].grid = Some((*grid, out.to_vec()));
            }
        }
        Ok(())
    }

    /// The averaged model's probabilities on `grid` into `average`, and each
    /// member's into `members` (`count × cells × classes`, resized): one
    /// forward over the grid per member that is not cached.
    pub fn grids(
        &mut self,
        grid: &Grid,
        average: &mut [f32],
        members: &mut Vec<f32>,
    ) -> Result<()> {
        let count = self.count();
        if count == 0 {
            return Err(Error::new(
                "the ensemble has no members yet: a snapshot ensemble takes its first one at the end of the first cycle",
            ));
        }
        let size = average.len();
        members.resize(count * size, 0.0);
        for (i, out) in members.chunks_exact_mut(size).enumerate() {
            self.member_grid(i, grid, out)?;
        }
        let views: Vec<&[f32]> = members.chunks_exact(size).collect();
        average_f32(&views, average);
        Ok(())
    }

    /// Run `i`'s current model's probabilities on `grid` (for a snapshot
    /// ensemble, run 0 is the live run between snapshots).
    pub fn run_grid(&mut self, i: usize, grid: &Grid, out: &mut [f32]) -> Result<()> {
        let runs = self.runs.len();
        let run = self.runs.get_mut(i).ok_or_else(|| {
            Error::new(format!(
                "run must be below the number of runs {runs}, got {i}"
            ))
        })?;
        run.with_eval_weights(|model| grid.predict(model, out))
    }
}

/// Eval-mode log-probabilities of `model` on both sets, in chunks.
fn predictions_of(
    model: &mut Model,
    train_set: &Dataset,
    val_set: &Dataset,
) -> Result<Predictions> {
    Ok(Predictions {
        train: log_probabilities(model, train_set)?,
        val: log_probabilities(model, val_set)?,
    })
}

/// Eval-mode log-softmax of `model`'s scores on every point of `set`.
fn log_probabilities(model: &mut Model, set: &Dataset) -> Result<Vec<f64>> {
    let rows = set.len();
    let classes = model.spec().classes;
    let mut out = vec![0.0; rows * classes];
    if rows == 0 {
        return Ok(out);
    }
    let width = set.points().len() / rows;
    // `EVAL_CHUNK` rows for the plane; fewer for big image examples.
    let chunk = model.eval_chunk();
    for (first, inputs) in (0..rows)
        .step_by(chunk)
        .zip(set.points().chunks(chunk * width))
    {
        let count = inputs.len() / width;
        let scores = model.forward(inputs, Mode::Eval)?;
        log_softmax_rows(
            scores,
            classes,
            &mut out[first * classes..(first + count) * classes],
        );
    }
    Ok(out)
}
