/* Paper entry at typing speed. Only an aid: the form works without it and the server
   checks everything.
   - next to each typed rating or choice, what it means ("4 – dobrze"), a typo marked;
   - a valid digit moves on to the next field by itself (the stack's option);
   - Enter saves from any field but the comment, a checkbox or list too;
   - a new sheet opens with the cursor in "Numer arkusza", its suggestion selected;
   - following an error link puts the cursor in the field with the bad value selected. */
(function () {
  "use strict";
  var form = document.querySelector("form.paper-form");
  var data = document.getElementById("paper-scale");
  if (!form || !data) {
    return;
  }
  var labels = JSON.parse(data.textContent);
  var auto = document.getElementById("auto");

  function choiceLabel(input, number) {
    var list = document.getElementById(input.id + "-choices");
    var item = list && list.querySelector('li[data-number="' + number + '"]');
    return item ? item.textContent.replace(/\s+/g, " ").trim() : "";
  }

  // [text to show, bad?, complete?] for what is typed in a digit field.
  function read(input) {
    var value = input.value.trim().toLowerCase();
    var choices = parseInt(input.getAttribute("data-choices") || "0", 10);
    if (value === "") {
      return ["", false, false];
    }
    if (choices) {
      var number = /^[0-9]+$/.test(value) ? parseInt(value, 10) : 0;
      if (number >= 1 && number <= choices) {
        // Complete when no further digit could make another number on the list.
        return [choiceLabel(input, number), false, number * 10 > choices];
      }
      return [form.getAttribute("data-invalid-choice"), true, false];
    }
    var hasNa = input.getAttribute("data-na") === "1";
    if (/^[1-5]$/.test(value)) {
      return [labels[value] || "", false, true];
    }
    if (hasNa && (value === "0" || value === "n" || value === "na")) {
      return [labels.na || "", false, true];
    }
    return [form.getAttribute(hasNa ? "data-invalid" : "data-invalid-5"), true, false];
  }

  function explain(input) {
    var echo = input.parentNode.querySelector(".paper-echo");
    var state = read(input);
    if (echo) {
      echo.textContent = state[0];
      echo.classList.toggle("paper-echo-bad", state[1]);
    }
    return state;
  }

  function fields() {
    return Array.prototype.filter.call(
      form.querySelectorAll("input, select, textarea, button"),
      function (el) {
        return el.type !== "hidden" && !el.disabled && el.offsetParent !== null;
      }
    );
  }

  function moveOn(input) {
    var all = fields();
    var next = all[all.indexOf(input) + 1];
    if (next) {
      next.focus();
      if (next.select && next.tagName === "INPUT" && next.type === "text") {
        next.select();
      }
    }
  }

  var inputs = form.querySelectorAll("input.paper-digit");
  for (var i = 0; i < inputs.length; i += 1) {
    explain(inputs[i]);
    inputs[i].addEventListener("input", function (event) {
      var state = explain(event.target);
      var on = auto ? auto.checked : form.getAttribute("data-auto") === "1";
      if (on && state[2] && event.inputType !== "deleteContentBackward") {
        moveOn(event.target);
      }
    });
  }

  // Enter saves the sheet from any field but the comment (where it starts a new line).
  // Browsers do that by themselves only in a text field; on a checkbox (the stack's
  // option, a multiple choice) or a list (the stack's urn) it is done here.
  form.addEventListener("keydown", function (event) {
    var el = event.target;
    if (event.key !== "Enter" || event.defaultPrevented || event.isComposing) {
      return;
    }
    if (el.type === "checkbox" || el.tagName === "SELECT") {
      event.preventDefault();
      var save = form.querySelector("button[type=submit]");
      if (form.requestSubmit) {
        form.requestSubmit(save || undefined);
      } else if (save) {
        save.click();
      }
    }
  });

  // A digit field entered by Tab has its content selected: typing replaces it.
  form.addEventListener("focusin", function (event) {
    var el = event.target;
    if (el.classList && el.classList.contains("paper-digit") && el.select) {
      el.select();
    }
  });

  // A sheet number printed in a recorded batch of another version opens that version's
  // form at once, with the number and the stack kept (the server refuses it anyway).
  var batchData = document.getElementById("paper-batches");
  var sheetNumber = document.getElementById("nr_arkusza");
  if (batchData && sheetNumber) {
    var batches = JSON.parse(batchData.textContent);
    sheetNumber.addEventListener("change", function () {
      var value = sheetNumber.value.trim();
      if (!/^[0-9]+$/.test(value)) {
        return;
      }
      var number = parseInt(value, 10);
      var here = form.querySelector("input[name=wersja]").value;
      for (var b = 0; b < batches.length; b += 1) {
        if (batches[b].first <= number && number <= batches[b].last) {
          if (String(batches[b].version) !== here) {
            var query = new URLSearchParams();
            query.set("wersja", batches[b].version);
            query.set("nr_arkusza", value);
            ["data_wypelnienia", "urna"].forEach(function (name) {
              var field = form.elements[name];
              if (field && field.value) {
                query.set(name, field.value);
              }
            });
            if (auto && !auto.checked) {
              query.set("auto", "0");
            }
            window.location.assign(form.getAttribute("action") + "?" + query.toString());
          }
          return;
        }
      }
    });
  }

  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var target = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!target) {
        return;
      }
      event.preventDefault();
      target.scrollIntoView({ block: "center" });
      target.focus();
      if (target.select) {
        target.select();
      }
    });
  } else {
    var number = document.getElementById("nr_arkusza");
    if (number && number.hasAttribute("autofocus")) {
      window.scrollTo(0, 0);
      number.focus();
      number.select();
    }
  }
})();
