// "Hvor står vår kommune?": scores the questionnaire in the browser. Everything it needs is in
// the page, rendered by the build from data/: which statement belongs to which variable and
// whether it is reversed (the fieldsets), the 2018 means with their CIs and the order of the
// ratings (the result table's rows). Answers never leave the browser: nothing is sent, and they
// are kept in localStorage only when the reader ticks the box.
(function () {
  "use strict";

  const STORAGE_KEY = "hvor-star-var-kommune:svar";
  const UNKNOWN = "vet ikke";
  const SCALE_MAX = 5;
  const CSV_HEADER = ["nr", "svar", "påstand"];
  const MAX_FILE_BYTES = 200000;

  function number(value, decimals) {
    return value.toLocaleString("nb-NO", { minimumFractionDigits: decimals,
                                           maximumFractionDigits: decimals });
  }

  function signed(value) {
    const text = number(Math.abs(value), 2);
    return (value < 0 ? "\u2212" : "+") + text;
  }

  // ---- reading the page --------------------------------------------------------------------

  function readForm(form) {
    const statements = Array.from(form.querySelectorAll(".self-item")).map(function (fieldset) {
      return { item: fieldset.getAttribute("data-item"),
               reversed: fieldset.getAttribute("data-reversed") === "true",
               variable: fieldset.closest(".self-factor").getAttribute("data-variable"),
               text: fieldset.querySelector("legend").textContent.replace(/\s+/g, " ").trim(),
               fieldset: fieldset };
    });
    const byItem = new Map(statements.map(function (s) { return [s.item, s]; }));
    return { statements: statements, byItem: byItem,
             minShare: Number(form.getAttribute("data-min-share")) };
  }

  function answersOf(model) {
    const answers = {};
    model.statements.forEach(function (s) {
      const checked = s.fieldset.querySelector("input[type=radio]:checked");
      if (checked) answers[s.item] = checked.value;
    });
    return answers;
  }

  function setAnswers(model, answers) {
    model.statements.forEach(function (s) {
      s.fieldset.querySelectorAll("input[type=radio]").forEach(function (input) {
        input.checked = answers[s.item] === input.value;
      });
    });
  }

  // ---- scoring (as report/analysis/items.py variable_score) ----------------------------------

  function scores(model, answers) {
    const groups = new Map();
    model.statements.forEach(function (s) {
      if (!groups.has(s.variable)) groups.set(s.variable, []);
      groups.get(s.variable).push(s);
    });
    const result = new Map();
    groups.forEach(function (statements, variable) {
      const values = [];
      statements.forEach(function (s) {
        const answer = answers[s.item];
        if (answer === undefined || answer === UNKNOWN) return;
        const value = Number(answer);
        values.push(s.reversed ? SCALE_MAX + 1 - value : value);
      });
      const enough = values.length > 0 && values.length >= model.minShare * statements.length;
      result.set(variable, {
        score: enough ? values.reduce(function (a, b) { return a + b; }, 0) / values.length : null,
        answered: values.length, statements: statements.length });
    });
    return result;
  }

  // ---- showing the result ------------------------------------------------------------------

  function comparison(score, row) {
    const mean = Number(row.getAttribute("data-mean"));
    const difference = score - mean;
    if (Math.abs(difference) < 0.005) return "Som snittet";
    return (difference < 0 ? "Under snittet" : "Over snittet") + " (" + signed(difference) + ")";
  }

  function showResult(page, answers) {
    const scored = scores(page.model, answers);
    const answeredAny = Object.keys(answers).length > 0;
    const below = [];
    const points = [];
    page.rows.forEach(function (row) {
      const variable = row.getAttribute("data-variable");
      const entry = scored.get(variable);
      const scoreCell = row.querySelector(".self-score");
      const compareCell = row.querySelector(".self-compare");
      if (!entry || entry.score === null) {
        scoreCell.textContent = "–";
        compareCell.textContent = entry && answeredAny
          ? "Ingen skår: " + entry.answered + " av " + entry.statements + " påstander besvart med 1–5"
          : "–";
        scoreCell.removeAttribute("data-score");
        return;
      }
      scoreCell.textContent = number(entry.score, 2);
      scoreCell.setAttribute("data-score", String(entry.score));
      compareCell.textContent = comparison(entry.score, row);
      points.push({ faktor: row.getAttribute("data-name"), skar: entry.score });
      // A factor whose statements describe a problem is behind when it scores high, not low:
      // it is never a place to begin (the page says so under the list).
      if (row.hasAttribute("data-order") && !row.hasAttribute("data-problem") &&
          entry.score < Number(row.getAttribute("data-mean"))) {
        below.push({ row: row, score: entry.score });
      }
    });
    below.sort(function (a, b) {
      return Number(a.row.getAttribute("data-order")) - Number(b.row.getAttribute("data-order"));
    });
    page.start.textContent = "";
    below.forEach(function (entry) {
      const row = entry.row;
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = row.querySelector("th a").getAttribute("href") + "#anbefaling";
      link.textContent = row.getAttribute("data-name");
      const rating = document.createElement("span");
      rating.className = "rating rating-" + row.getAttribute("data-rating");
      rating.textContent = row.getAttribute("data-rating-label");
      item.appendChild(link);
      item.appendChild(document.createTextNode(
        ": deres skår " + number(entry.score, 2) + ", snittet i 2018 " +
        number(Number(row.getAttribute("data-mean")), 2) + ". "));
      item.appendChild(rating);
      page.start.appendChild(item);
    });
    const any = points.length > 0;
    page.result.classList.toggle("has-scores", any);
    page.noStart.hidden = !any || below.length > 0;
    drawChart(page, points);
  }

  // ---- the chart (an addition: the table is the result) --------------------------------------

  let view = null;
  let drawing = 0;

  function drawChart(page, points) {
    const container = page.chart;
    if (!container || !window.reportSite) return;
    page.points = points;
    drawing += 1;
    const mine = drawing;
    if (!points.length) {
      if (view) { view.finalize(); view = null; }
      container.classList.remove("is-live");
      return;
    }
    if (view) {  // the chart is up: give it the new scores
      view.data("kommunen", points).runAsync().catch(function (error) {
        console.warn("Figuren kunne ikke oppdateres; tabellen viser resultatet.", error);
      });
      return;
    }
    const site = window.reportSite;
    site.loadVega().then(function () {
      return site.loadSpec(container);
    }).then(function (spec) {
      if (mine !== drawing || !container.isConnected) return null;
      const copy = Object.assign({}, spec, {
        datasets: Object.assign({}, spec.datasets, { kommunen: page.points }) });
      return site.embed(container.querySelector(".chart-live"), copy);
    }).then(function (result) {
      if (!result) return;
      if (mine !== drawing || !container.isConnected) { result.view.finalize(); return; }
      view = result.view;
      container.classList.add("is-live");
    }).catch(function (error) {
      container.classList.remove("is-live");
      console.warn("Figuren kunne ikke tegnes; tabellen viser resultatet.", error);
    });
  }

  // ---- keeping and moving answers ------------------------------------------------------------

  function stored() {
    try {
      const text = window.localStorage.getItem(STORAGE_KEY);
      return text ? JSON.parse(text) : null;
    } catch (error) {
      return null;
    }
  }

  function store(answers) {
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(answers));
    } catch (error) {
      console.warn("Svarene kunne ikke lagres i nettleseren.", error);
    }
  }

  function forget() {
    try { window.localStorage.removeItem(STORAGE_KEY); } catch (error) { /* nothing kept */ }
  }

  function csvField(text) {
    return /[",\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function toCsv(model, answers) {
    const lines = [CSV_HEADER.join(",")];
    model.statements.forEach(function (s) {
      lines.push([s.item, answers[s.item] || "", csvField(s.text)].join(","));
    });
    return lines.join("\r\n") + "\r\n";
  }

  // The first two fields of a line (nr and svar never hold a comma or a quote); the statement
  // text after them is there for people and is not read back.
  function firstFields(line, separator) {
    const fields = line.split(separator);
    return fields.slice(0, 2).map(function (field) {
      return field.trim().replace(/^"(.*)"$/, "$1").trim();
    });
  }

  // A saved answer set, or a Norwegian sentence saying why the file is not one.
  function fromCsv(model, text) {
    const lines = text.replace(/^\ufeff/, "").split(/\r\n|\n|\r/);
    while (lines.length && lines[lines.length - 1].trim() === "") lines.pop();
    if (!lines.length) return { error: "Filen er tom." };
    const header = lines[0].trim().toLowerCase();
    const separator = header.indexOf(";") >= 0 && header.indexOf(",") < 0 ? ";" : ",";
    const names = header.split(separator).map(function (name) { return name.trim(); });
    if (names[0] !== CSV_HEADER[0] || names[1] !== CSV_HEADER[1]) {
      return { error: "Filen er ikke et lagret svarsett fra denne siden: linje 1 skal begynne " +
                      "med «nr,svar», men er «" + lines[0].slice(0, 60) + "»." };
    }
    const answers = {};
    for (let index = 1; index < lines.length; index += 1) {
      const line = index + 1;
      if (lines[index].trim() === "") continue;
      const [item, answer] = firstFields(lines[index], separator);
      if (!model.byItem.has(item)) {
        return { error: "Linje " + line + ": «" + item.slice(0, 20) + "» er ikke nummeret på " +
                        "en påstand i skjemaet." };
      }
      if (Object.prototype.hasOwnProperty.call(answers, item)) {
        return { error: "Linje " + line + ": påstand " + item + " er besvart to ganger i filen." };
      }
      const value = answer.toLowerCase();
      if (value === "") continue;
      if (value !== UNKNOWN && !/^[1-5]$/.test(value)) {
        return { error: "Linje " + line + ": svaret «" + answer.slice(0, 20) + "» på påstand " +
                        item + " er ikke et tall fra 1 til 5 eller «vet ikke»." };
      }
      answers[item] = value;
    }
    return { answers: answers };
  }

  function download(model, answers) {
    const blob = new Blob([toCsv(model, answers)], { type: "text/csv;charset=utf-8" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "hvor-star-var-kommune-svar.csv";
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }

  // ---- wiring --------------------------------------------------------------------------------

  function setUp(form) {
    if (form.dataset.ready === "true") return;
    form.dataset.ready = "true";
    if (view) { view.finalize(); view = null; }
    const result = document.querySelector(".self-result");
    result.classList.add("is-scripted");  // the note that the result needs JavaScript goes
    const page = {
      model: readForm(form),
      rows: Array.from(document.querySelectorAll(".self-result table tbody tr[data-variable]")),
      start: document.querySelector(".self-start"),
      noStart: document.querySelector(".self-no-start"),
      chart: document.querySelector(".self-chart"),
      result: result,
      spec: null,
    };
    const progress = form.querySelector(".self-answered");
    const remember = form.querySelector(".self-remember");
    const message = form.querySelector(".self-message");

    function say(text, isError) {
      message.textContent = text;
      message.classList.toggle("is-error", Boolean(isError));
    }

    function update() {
      const answers = answersOf(page.model);
      progress.textContent = String(Object.keys(answers).length);
      if (remember.checked) store(answers);
      showResult(page, answers);
    }

    const kept = stored();
    if (kept) {
      remember.checked = true;
      setAnswers(page.model, kept);
    }
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("change", function (event) {
      if (event.target === remember) {
        if (remember.checked) {
          store(answersOf(page.model));
          say("Svarene blir husket i denne nettleseren til dere tømmer dem.");
        } else {
          forget();
          say("Svarene blir ikke lenger husket i nettleseren.");
        }
        return;
      }
      if (event.target.classList.contains("self-upload")) return;
      update();
    });
    form.querySelector(".self-clear").addEventListener("click", function () {
      setAnswers(page.model, {});
      remember.checked = false;
      forget();
      update();
      say("Alle svarene er tømt, også i nettleseren.");
    });
    form.querySelector(".self-download").addEventListener("click", function () {
      download(page.model, answersOf(page.model));
    });
    const upload = form.querySelector(".self-upload");
    upload.addEventListener("change", function () {
      const file = upload.files && upload.files[0];
      upload.value = "";
      if (!file) return;
      if (file.size > MAX_FILE_BYTES) {
        say("«" + file.name + "» er for stor til å være et lagret svarsett. Svarene på siden er " +
            "beholdt.", true);
        return;
      }
      file.text().then(function (text) {
        const read = fromCsv(page.model, text);
        if (read.error) {
          say("Kunne ikke laste inn «" + file.name + "». " + read.error +
              " Svarene på siden er beholdt.", true);
          return;
        }
        setAnswers(page.model, read.answers);
        update();
        say("Lastet inn " + Object.keys(read.answers).length + " svar fra «" + file.name + "».");
      });
    });
    update();
  }

  window.selfAssessment = { setUp: setUp, scores: scores, fromCsv: fromCsv, toCsv: toCsv };
})();
