/* Paper entry: shows what each typed rating means next to it ("4 – dobrze") and marks a
   typo at once. Only an aid: the form works without it and the server checks everything. */
(function () {
  "use strict";
  var form = document.querySelector("form.paper-form");
  var data = document.getElementById("paper-scale");
  if (!form || !data) {
    return;
  }
  var labels = JSON.parse(data.textContent);

  function explain(input) {
    var echo = input.parentNode.querySelector(".paper-echo");
    if (!echo) {
      return;
    }
    var value = input.value.trim().toLowerCase();
    var hasNa = input.getAttribute("data-na") === "1";
    var text = "";
    var bad = false;
    if (/^[1-5]$/.test(value)) {
      text = labels[value] || "";
    } else if (hasNa && (value === "0" || value === "n" || value === "na")) {
      text = labels.na || "";
    } else if (value !== "") {
      text = form.getAttribute(hasNa ? "data-invalid" : "data-invalid-5");
      bad = true;
    }
    echo.textContent = text;
    echo.classList.toggle("paper-echo-bad", bad);
  }

  var inputs = form.querySelectorAll("input.paper-digit");
  for (var i = 0; i < inputs.length; i += 1) {
    explain(inputs[i]);
    inputs[i].addEventListener("input", function (event) {
      explain(event.target);
    });
  }
})();
