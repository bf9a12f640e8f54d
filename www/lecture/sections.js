// Lecture mode's sections, in the order of the lecture's outline. One entry
// a section: its id (the deep link #lecture/<id>, and the title key
// lecture.<id>), the demo module's id, the preset's query, and the lessons
// table row (www/lessons/table.js) whose stated lesson is the section's
// explanation. tests/unit/lecture.test.mjs checks that the row exists and
// uses the same demo and query, so the text shown is the one CI checks.
//
// A demo added later joins the page with one line here (and its title in
// www/i18n/lecture.js), once it is in the app's DEMOS and has a lesson row.
export const SECTIONS = [
  { id: "sgd", demo: "race", query: "surface=quadratic&on=sgd,momentum&arrows=1", lesson: "race.zigzag" },
  { id: "saddle", demo: "race", query: "surface=saddle&x=-1.8&y=0.002&on=sgd,momentum,adam", lesson: "race.saddle" },
  { id: "momentum", demo: "race", query: "", lesson: "race.default" },
  { id: "nesterov", demo: "race", query: "surface=bumpy&on=sgd,momentum,nesterov", lesson: "race.localMinima" },
  { id: "adagrad", demo: "race", query: "surface=custom&expr=sqrt(1%2B(x-3)%5E2)%2By%5E2&range=4&x=-3.5&y=2&on=adagrad,rmsprop&adagrad.lr=0.1&rmsprop.lr=0.1", lesson: "race.adagradStall" },
  { id: "rmsprop", demo: "race", query: "surface=plateau&on=sgd,adagrad,rmsprop,adam", lesson: "race.plateau" },
  { id: "adam", demo: "race", query: "surface=quadratic&on=adam,adamraw&arrows=1&speed=1", lesson: "race.adamBias" },
  { id: "decay", demo: "schedules", query: "", lesson: "schedules.default" },
  { id: "second-order", demo: "second-order", query: "surface=quadratic&cond=100&on=sgd,adam,newton,lbfgs", lesson: "second-order.oneStep" },
  { id: "ensembles", demo: "ensembles", query: "", lesson: "ensembles.default" },
  { id: "dropout", demo: "dropout", query: "", lesson: "dropout.testTime" },
  { id: "batchnorm", demo: "batchnorm", query: "", lesson: "batchnorm.highRate" },
  { id: "augment", demo: "augment", query: "", lesson: "augment.default" },
  { id: "images", demo: "images", query: "", lesson: "images.default" },
  { id: "transfer", demo: "transfer", query: "", lesson: "transfer.default" },
];
