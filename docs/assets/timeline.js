/* Timeline filter: hide the meetings that do not match the chosen topic, person and format,
   and the month and year headings left with no meeting shown. No framework, no network. */
(function () {
  "use strict";

  function chosen(id) {
    var control = document.getElementById(id);
    return control ? control.value : "";
  }

  function carries(list, wanted) {
    return !wanted || (list || "").split(" ").indexOf(wanted) !== -1;
  }

  function hideEmptyHeadings(article) {
    var headings = article.querySelectorAll("h2, h3");
    headings.forEach(function (heading) {
      var level = Number(heading.tagName.charAt(1));
      var shown = false;
      for (var node = heading.nextElementSibling; node; node = node.nextElementSibling) {
        if (/^H[1-6]$/.test(node.tagName) && Number(node.tagName.charAt(1)) <= level) break;
        if (node.classList.contains("briefing-meeting") && !node.hidden) {
          shown = true;
          break;
        }
      }
      heading.hidden = !shown;
    });
  }

  function apply() {
    var topic = chosen("filter-topic");
    var person = chosen("filter-person");
    var format = chosen("filter-format");
    var entries = document.querySelectorAll(".briefing-meeting");
    var count = 0;
    entries.forEach(function (entry) {
      var match = carries(entry.dataset.topics, topic) &&
        carries(entry.dataset.people, person) &&
        (!format || entry.dataset.format === format);
      entry.hidden = !match;
      if (match) count += 1;
    });
    var article = document.querySelector("article");
    if (article) hideEmptyHeadings(article);
    var status = document.getElementById("filter-status");
    if (status) {
      status.textContent = count + " of " + entries.length +
        (entries.length === 1 ? " meeting" : " meetings") + " shown.";
    }
  }

  function setUp() {
    var form = document.getElementById("timeline-filter");
    if (!form) return;
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    apply();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
