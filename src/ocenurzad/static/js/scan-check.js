// "Do sprawdzenia": one key answers a one-answer question. Typing a printed code (or "-")
// into the empty field submits the form at once; a multiple-answer question waits for
// Enter. Without JavaScript the field and the button do the same.
(function () {
  "use strict";
  var form = document.querySelector("form.scan-answer");
  if (!form || form.getAttribute("data-multiple") === "1") return;
  var codes = (form.getAttribute("data-codes") || "").split(" ");
  var field = form.querySelector("input[name=kod]");
  field.addEventListener("input", function () {
    var typed = field.value.trim();
    var longer = codes.some(function (code) {
      return code.length > typed.length && code.indexOf(typed) === 0;
    });
    // "1" waits when "10"–"12" exist (departments): Enter sends it.
    if (codes.indexOf(typed) !== -1 && !longer) form.submit();
  });
})();
