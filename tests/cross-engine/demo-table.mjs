// What the cross-engine suite does with each demo. The list of demos comes
// from the app itself (its navigation); this table only says how to drive a
// demo where the generic way does not fit. A demo missing here gets the
// generic checks:
//
//   plays     click the button named "Play"; a "step N" shown in the demo
//             must grow; then "Pause" must stop it.
//   state     the first parameter of the demo's table (www/demos/<id>.js,
//             `params`) that is an enum, set to a value other than its
//             default; it must survive a reload and change the picture.
//   badInput  that parameter set to a value it cannot take: the app must
//             show a notice naming it.
//
// Entries may set:
//   state: "a=1&b=2"            a link's query to restore
//   badInput: "a=oops"          a query the app must refuse with a notice
//   play: { button, counter }   the button that advances the demo and a
//                               page function returning its counter; with
//                               `once: true` one click is one step (no Pause)
//   play: null + why            the demo does not animate (say why)

export const DEMO_TABLE = {
  race: { state: 'surface=rosenbrock&on=sgd,adam' },
  schedules: { state: 'surface=saddle&opt=adam' },
  'second-order': { state: 'surface=saddle&on=newton,plain' },
  network: { state: 'data=moons&hidden=8,8' },
  dropout: { state: 'seed=3&width=6', badInput: 'p=1.5' },
  batchnorm: { state: 'init=he&seed=2', badInput: 'batch=-4' },
  // A short budget: the picture holds still once the runs have trained.
  ensembles: { state: 'data=moons&members=3&steps=200', badInput: 'members=50' },
  // The link compares the CNN with the MLP on twice the data; per=0 is below its range.
  images: { state: 'cmp=arch&aug=0&per=20', badInput: 'per=0' },
  // Different data (the new digits 5–9) with 20 a class; per=0 is below its range.
  transfer: { state: 'target=different&per=20', badInput: 'per=0' },
  augment: {
    state: 'photo=coffee&on=hflip,gray',
    // The grid is drawn on demand; "Resample" is its step: one click draws
    // 16 new samples and moves the seed on by one.
    play: {
      button: 'Resample',
      once: true,
      counter: () => Number(new URLSearchParams(location.hash.split('?')[1] ?? '').get('seed') ?? 1),
    },
  },
};

/**
 * Features of other issues that the suite will check in every engine once
 * they land. They stay visible as TODO entries in the report until then;
 * replace an entry with a real check in the same change as its feature.
 */
export const PENDING_FEATURES = [];
