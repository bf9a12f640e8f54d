// Where the app's page is, for links back to it (the share link in a
// download's JSON record). The one-file build maps it to the file itself;
// a bundle that has no page of the app (the notebook widget,
// scripts/build-widget.mjs) replaces this module with APP_PAGE = null.
export const APP_PAGE = new URL("../index.html", import.meta.url).href;
