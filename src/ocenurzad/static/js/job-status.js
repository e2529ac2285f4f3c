/* The job page asks for the job's state every 2 seconds and shows it; when the job has
   finished, the page is loaded again to show the result. Without this script the page
   has a refresh link. */
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || box.getAttribute("data-finished") === "1" || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-status-url");
  function text(id, value) {
    var node = document.getElementById(id);
    if (node) {
      node.textContent = value;
    }
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (state) {
        if (!state) {
          return;
        }
        if (state.finished) {
          window.location.reload();
          return;
        }
        var strong = document.querySelector("#job-state strong");
        if (strong && strong.textContent !== state.state_label) {
          strong.textContent = state.state_label;
        }
        var bar = document.getElementById("job-progress");
        if (state.total && !bar) {
          window.location.reload(); // the page draws the bar once the total is known
          return;
        }
        if (bar && state.total) {
          bar.max = state.total;
          bar.value = state.done;
          text("job-count", state.done + " " + box.getAttribute("data-of") + " " + state.total);
        }
        text("job-note", state.note || "");
        window.setTimeout(poll, 2000);
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }
  window.setTimeout(poll, 2000);
})();
