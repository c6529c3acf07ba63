// Keeps the page current: asks for the page's content every 2 s and swaps it in when it changed
// (the server answers 304 otherwise). The content is HTML the server escaped; nothing here writes.
(function () {
  'use strict';
  var main = document.getElementById('content');
  if (!main || !window.fetch) {
    return;
  }
  var etag = null;
  function poll() {
    var headers = { 'X-Fragment': '1' };
    if (etag) {
      headers['If-None-Match'] = etag;
    }
    fetch(location.pathname + location.search, { headers: headers, cache: 'no-store' })
      .then(function (r) {
        if (r.status === 200 || r.status === 404) {
          etag = r.headers.get('ETag');
          return r.text().then(function (html) {
            main.innerHTML = html;
            document.body.setAttribute('data-updated', String(Date.now()));
          });
        }
        return null;
      })
      .catch(function () { /* the operator restarts or the port-forward dropped: try again */ })
      .then(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 2000);
}());
