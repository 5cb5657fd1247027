// The site's search, loaded the first time a reader opens it: Pagefind's index (Norwegian
// stemming) behind a query that forgives. Question and stop words do not decide the ranking; a
// word the site does not have is corrected against the site's own words (assets/search-words.json,
// written by the build) and the reader is told, with a way back; a compound is also searched as
// its parts and words as a compound; and when no page has every word, the pages with the most of
// them are shown, and the reader is told that too.
(function () {
  "use strict";

  // Words that say what kind of question it is, not what it is about (and words on every page).
  const STOP_WORDS = new Set((
    "og i på med for til av om fra ved hos under over etter før mot uten enn som at å en et ei " +
    "den det de dem der her da nå så men eller også ikke bare mer mest mye lite " +
    "er var være vært blir ble bli har hadde ha kan kunne skal skulle bør burde må måtte vil " +
    "ville får fikk få gjør gjøre gjort går gå " +
    "hva hvordan hvorfor hvem hvilke hvilken hvilket når hvor " +
    "jeg meg min mitt mine du deg din vi oss vår vårt våre dere deres seg sin sitt sine man " +
    "noe noen alle hver andre annen " +
    "kommune kommunen kommuner kommunene kommunens " +
    "the of and in to a an for on with how what why is are do does we our").split(" "));

  const LETTERS = /[^\s"'«»“”‘’.,:;!?()[\]{}<>\/\\|*+=#%&@^~`]+/g;
  const PAGE_SIZE = 8;
  const MIN_PART = 3;        // letters: the shortest part of a compound
  const SPLIT_FROM = 9;      // letters: a word this long may be a compound of two site words
  const LINKS = ["", "s", "e"];  // how Norwegian joins the parts of a compound
  // How much a page found by another way of searching counts beside one found by the words as
  // typed (or corrected): the words joined as a compound count almost as much; a compound's parts
  // less, since a page with both parts may use them apart.
  const WEIGHT = { compound: 0.9, commoner: 1, parts: 0.5 };

  const TEXT = {
    label: "Søk på nettstedet",
    placeholder: "Søk i forskningen",
    clear: "Tøm",
    searching: "Søker …",
    none: "Ingen treff for «{q}».",
    count: "{n} treff for «{q}».",
    corrected: "Viste resultater for «{c}».",
    literal: "Søk etter «{q}» i stedet",
    also: "Viste også resultater for «{c}».",
    only: "Søk bare etter «{q}»",
    partial: "Ingen side har alle ordene. Viser sidene som har flest av dem.",
    missing: "Ingen side har alle ordene: «{w}» finnes ikke på nettstedet. Viser sidene med de andre ordene.",
    fewer: "Få sider har alle ordene. Under dem: sidene som har flest av dem.",
    more: "Vis flere treff",
    factor: "Faktor",
    failed: "Søket kunne ikke lastes. Prøv igjen, eller bruk menyen.",
  };

  function say(template, values) {
    return template.replace(/\{(\w)\}/g, function (_, key) { return values[key]; });
  }

  // ---- words --------------------------------------------------------------------------------

  function words(query) {
    return (query.toLocaleLowerCase("nb").match(LETTERS) || [])
      .map(function (word) { return word.replace(/^-+|-+$/g, ""); })
      .filter(Boolean);
  }

  function contentWords(all) {
    const kept = all.filter(function (word) { return !STOP_WORDS.has(word); });
    return kept.length ? kept : all;
  }

  // Optimal string alignment distance (a swap of two letters counts one), with a cut-off.
  // JavaScript strings index æ, ø and å as one letter each, as the reader sees them.
  function distance(a, b, most) {
    if (Math.abs(a.length - b.length) > most) return most + 1;
    let before = null;
    let previous = Array.from({ length: b.length + 1 }, function (_, j) { return j; });
    for (let i = 1; i <= a.length; i += 1) {
      const current = [i];
      let best = i;
      for (let j = 1; j <= b.length; j += 1) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
        if (before && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          value = Math.min(value, before[j - 2] + 1);
        }
        current.push(value);
        best = Math.min(best, value);
      }
      if (best > most) return most + 1;
      before = previous;
      previous = current;
    }
    return previous[b.length];
  }

  // How a Norwegian word is typed without æ, ø and å.
  const ASCII = [["aa", "å"], ["ae", "æ"], ["oe", "ø"], ["a", "å"], ["o", "ø"], ["a", "æ"]];

  function spellings(word) {
    const found = new Set();
    ASCII.forEach(function (pair) {
      let at = word.indexOf(pair[0]);
      while (at >= 0) {
        found.add(word.slice(0, at) + pair[1] + word.slice(at + pair[0].length));
        at = word.indexOf(pair[0], at + 1);
      }
    });
    return Array.from(found);
  }

  // A word as rare as this on the site, beside a near word far more common, is likely a typo in
  // the source: the common word is searched too (and the reader told).
  const RARE = 2;
  const MORE_COMMON = 10;

  function Vocabulary(counts) {
    this.counts = new Map(Object.entries(counts));
    this.list = Array.from(this.counts.keys());  // most frequent first
    this.rank = new Map(this.list.map(function (word, index) { return [word, index]; }));
  }

  // For a rare word: a near word at least MORE_COMMON times as common, or null.
  Vocabulary.prototype.commoner = function (word) {
    const count = this.counts.get(word) || 0;
    if (count > RARE) return null;
    const near = this.nearest(word, 1, true);
    return near && this.counts.get(near) >= MORE_COMMON * Math.max(count, 1) ? near : null;
  };

  Vocabulary.prototype.has = function (word) { return this.rank.has(word); };

  // The site word a typed word most likely meant: its spelling with æøå, or the nearest word
  // (one edit for a short word, two for a long one), the more frequent on a tie.
  Vocabulary.prototype.nearest = function (word, limit, other) {
    const self = this;
    const spelled = spellings(word).filter(function (w) { return self.has(w); });
    if (spelled.length) return spelled.sort(function (a, b) { return self.rank.get(a) - self.rank.get(b); })[0];
    if (word.length < 5) return null;
    const most = Math.min(limit || 2, word.length >= 8 ? 2 : 1);
    let best = null;
    let bestDistance = most + 1;
    for (const candidate of this.list) {
      if (candidate.length < MIN_PART || (other && candidate === word)) continue;
      const d = distance(word, candidate, Math.min(most, bestDistance));
      if (d < bestDistance) { best = candidate; bestDistance = d; }  // list is by frequency
      if (bestDistance === 1 && most === 1) break;
    }
    return bestDistance <= most ? best : null;
  };

  // A word as typed and its spellings with æøå that the site has ("mal" -> "mal", "mål").
  Vocabulary.prototype.known = function (word) {
    const self = this;
    return [word].concat(spellings(word)).filter(function (w) { return self.has(w); });
  };

  // A compound as two site words ("gevinstrealiseringsplan" -> "gevinstrealisering plan"; typed
  // without æøå, "malstyring" -> "mål styring": the more common spelling of each part wins).
  Vocabulary.prototype.split = function (word) {
    if (word.length < SPLIT_FROM) return null;
    let best = null;
    let bestRank = Infinity;
    for (let at = MIN_PART; at <= word.length - MIN_PART; at += 1) {
      const rights = this.known(word.slice(at));
      if (!rights.length) continue;
      for (const link of LINKS) {
        const left = word.slice(0, at);
        if (link && !left.endsWith(link)) continue;
        const stem = link ? left.slice(0, -link.length) : left;
        if (stem.length < MIN_PART) continue;
        for (const first of this.known(stem)) {
          for (const second of rights) {
            const rank = Math.max(this.rank.get(first), this.rank.get(second));
            if (rank < bestRank) { best = [first, second]; bestRank = rank; }
          }
        }
      }
    }
    return best;
  };

  // Two neighbouring words as one compound on the site ("plan for gevinstrealisering" ->
  // "gevinstrealiseringsplan"), in either order.
  Vocabulary.prototype.join = function (first, second) {
    for (const [left, right] of [[first, second], [second, first]]) {
      for (const link of LINKS) {
        const compound = left + link + right;
        if (this.has(compound)) return compound;
      }
    }
    return null;
  };

  // ---- the query ------------------------------------------------------------------------------

  // What to search for: {searched: the words after correction, corrected: whether a word the
  // site lacks was replaced, also: a common word searched beside a rare one, variants: other
  // ways to search the same thing, each {words, weight}}
  function understand(query, vocabulary, literal) {
    const typed = contentWords(words(query));
    const searched = [];
    const also = [];
    let corrected = false;
    for (const word of typed) {
      let use = word;
      if (!literal && !vocabulary.has(word)) {
        const nearest = vocabulary.nearest(word);
        const parts = nearest ? null : vocabulary.split(word);
        if (nearest) { use = nearest; corrected = true; }
        else if (parts) { use = parts.join(" "); corrected = true; }
      } else if (!literal) {
        const commoner = vocabulary.commoner(word);
        if (commoner) also.push([word, commoner]);
      }
      searched.push(use);
    }
    const variants = [];
    searched.forEach(function (word, index) {
      const parts = word.includes(" ") ? null : vocabulary.split(word);
      if (parts) {
        variants.push({ words: searched.slice(0, index).concat(parts, searched.slice(index + 1)),
                        weight: WEIGHT.parts });
      }
      if (index + 1 < searched.length) {
        const compound = vocabulary.join(word, searched[index + 1]);
        if (compound) {
          variants.push({ words: searched.slice(0, index).concat([compound], searched.slice(index + 2)),
                          weight: WEIGHT.compound });
        }
      }
    });
    also.forEach(function (pair) {
      variants.push({ words: searched.map(function (word) { return word === pair[0] ? pair[1] : word; }),
                      weight: WEIGHT.commoner });
    });
    return { searched: searched.join(" ").split(" "), corrected: corrected, variants: variants,
             also: also.map(function (pair) { return pair[1]; }) };
  }

  // ---- searching --------------------------------------------------------------------------------

  function Searcher(pagefind) {
    this.pagefind = pagefind;
    this.cache = new Map();
  }

  Searcher.prototype.find = function (terms) {
    const key = terms.join(" ");
    if (!this.cache.has(key)) {
      this.cache.set(key, this.pagefind.search(key).then(function (found) {
        return found ? found.results : [];
      }));
    }
    return this.cache.get(key);
  };

  // Pages for the words: those with every word (or a variant), ranked by Pagefind; then, if
  // there are none or few, those with the most of the words.
  async function rank(searcher, understood) {
    const pages = new Map();
    function add(results, weight, matched) {
      results.forEach(function (result) {
        const known = pages.get(result.id);
        const score = result.score * weight;
        if (!known) pages.set(result.id, { result: result, score: score, matched: matched });
        else {
          known.score = Math.max(known.score, score);
          known.matched = Math.max(known.matched, matched);
        }
      });
    }
    const all = understood.searched.length;
    const missing = [];
    if (all > 1) {
      for (const word of understood.searched) {
        if (!(await searcher.find([word])).length) missing.push(word);
      }
    }
    add(await searcher.find(understood.searched), 1, all);
    for (const variant of understood.variants) {
      add(await searcher.find(variant.words), variant.weight, all);
    }
    const complete = pages.size;
    let partial = false;
    if (complete < 3 && all > 1) {
      const counts = new Map();
      for (const word of understood.searched) {
        (await searcher.find([word])).forEach(function (result) {
          const count = counts.get(result.id) || { result: result, words: 0, score: 0 };
          count.words += 1;
          count.score += result.score;
          counts.set(result.id, count);
        });
      }
      counts.forEach(function (count, id) {
        if (pages.has(id) || count.words < Math.max(1, all - 1)) return;
        pages.set(id, { result: count.result, score: count.score / all, matched: count.words });
        partial = true;
      });
    }
    const ordered = Array.from(pages.values()).sort(function (a, b) {
      return b.matched - a.matched || b.score - a.score;
    });
    return { pages: ordered, complete: complete, partial: partial || missing.length > 0,
             missing: missing };
  }

  // ---- showing ----------------------------------------------------------------------------------

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Text from Pagefind's escaped HTML (a <textarea> decodes entities and keeps every space).
  const decoder = document.createElement("textarea");
  function decoded(html) {
    decoder.innerHTML = html;
    return decoder.value;
  }

  // Pagefind's excerpt, with only its <mark> kept as markup.
  function excerpt(html) {
    const paragraph = element("p", "site-search__excerpt");
    html.split(/(<mark>.*?<\/mark>)/).forEach(function (piece) {
      const marked = /^<mark>(.*)<\/mark>$/.exec(piece);
      const text = decoded(marked ? marked[1] : piece);
      paragraph.appendChild(marked ? element("mark", "", text) : document.createTextNode(text));
    });
    return paragraph;
  }

  async function resultItem(page) {
    const data = await page.result.data();
    const item = element("li", "site-search__result");
    const link = element("a", "site-search__link");
    link.href = data.url;
    const title = element("span", "site-search__title", data.meta.title || data.url);
    link.appendChild(title);
    if (/\/faktorer\/[^/]+\/$/.test(new URL(data.url, window.location.href).pathname)) {
      link.appendChild(element("span", "site-search__kind", TEXT.factor));
    } else if (data.meta.source && !(data.meta.title || "").startsWith(data.meta.source)) {
      // a thesis chapter: which thesis (overrides/main.html)
      link.appendChild(element("span", "site-search__kind", data.meta.source));
    }
    item.appendChild(link);
    item.appendChild(excerpt(data.excerpt || ""));
    const sections = (data.sub_results || []).filter(function (sub) {
      return sub.url !== data.url && sub.title !== data.meta.title;
    });
    if (sections.length) {
      const list = element("ul", "site-search__sections");
      sections.slice(0, 2).forEach(function (sub) {
        const entry = element("li");
        const subLink = element("a", "", sub.title);
        subLink.href = sub.url;
        entry.appendChild(subLink);
        list.appendChild(entry);
      });
      item.appendChild(list);
    }
    return item;
  }

  function create(panel, bundlePath, wordsUrl) {
    panel.textContent = "";
    const form = element("div", "site-search__form");
    const label = element("label", "site-search__label", TEXT.label);
    const input = element("input", "site-search__input");
    input.type = "search";
    input.id = "site-search-input";
    label.htmlFor = input.id;
    input.placeholder = TEXT.placeholder;
    input.autocomplete = "off";
    input.spellcheck = false;
    input.setAttribute("enterkeyhint", "search");
    const clear = element("button", "site-search__clear md-button", TEXT.clear);
    clear.type = "button";
    form.append(label, input, clear);
    const status = element("p", "site-search__status");
    status.setAttribute("role", "status");
    const notice = element("p", "site-search__notice");
    const list = element("ol", "site-search__results");
    const more = element("button", "site-search__more md-button", TEXT.more);
    more.type = "button";
    more.hidden = true;
    panel.append(form, notice, status, list, more);

    const ready = Promise.all([
      import(bundlePath + "pagefind.js").then(async function (pagefind) {
        await pagefind.options({ bundlePath: bundlePath });
        await pagefind.init();
        return new Searcher(pagefind);
      }),
      fetch(wordsUrl).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status + " for " + wordsUrl);
        return response.json();
      }).then(function (list) { return new Vocabulary(list); }),
    ]);

    let current = 0;
    let shown = [];
    let showing = 0;

    async function showMore(mine) {
      const next = shown.slice(showing, showing + PAGE_SIZE);
      showing += next.length;
      const items = await Promise.all(next.map(resultItem));
      if (mine !== current) return;
      items.forEach(function (item) { list.appendChild(item); });
      more.hidden = showing >= shown.length;
    }

    async function run(query, literal) {
      current += 1;
      const mine = current;
      panel.dataset.state = "searching";
      if (!words(query).length) {
        list.textContent = ""; notice.textContent = ""; status.textContent = ""; more.hidden = true;
        panel.dataset.state = "idle";
        return;
      }
      status.textContent = TEXT.searching;
      let searcher, vocabulary;
      try {
        [searcher, vocabulary] = await ready;
      } catch (error) {
        status.textContent = TEXT.failed;
        console.warn("Søket kunne ikke lastes.", error);
        return;
      }
      const understood = understand(query, vocabulary, literal);
      const found = await rank(searcher, understood);
      if (mine !== current) return;
      list.textContent = "";
      notice.textContent = "";
      shown = found.pages;
      showing = 0;
      if (understood.corrected || understood.also.length) {
        notice.appendChild(document.createTextNode(understood.corrected
          ? say(TEXT.corrected, { c: understood.searched.join(" ") }) + " "
          : say(TEXT.also, { c: understood.also.join(" ") }) + " "));
        const back = element("button", "site-search__literal",
                             say(understood.corrected ? TEXT.literal : TEXT.only, { q: query.trim() }));
        back.type = "button";
        back.addEventListener("click", function () { run(query, true); input.focus(); });
        notice.appendChild(back);
      }
      if (found.missing.length && found.pages.length) {
        notice.appendChild(element("span", "site-search__partial",
                                   say(TEXT.missing, { w: found.missing.join("», «") })));
      } else if (found.partial) {
        notice.appendChild(element("span", "site-search__partial",
                                   found.complete ? TEXT.fewer : TEXT.partial));
      }
      status.textContent = say(shown.length ? TEXT.count : TEXT.none, {
        n: shown.length, q: understood.corrected ? understood.searched.join(" ") : query.trim() });
      await showMore(mine);
      if (mine === current) {
        panel.dataset.state = "done";
        panel.dataset.query = query;
      }
    }

    let timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { run(input.value, false); }, 150);
    });
    clear.addEventListener("click", function () { input.value = ""; run("", false); input.focus(); });
    more.addEventListener("click", function () { showMore(current); });
    return input;
  }

  window.siteSearch = { create: create, words: words, contentWords: contentWords,
                        distance: distance, Vocabulary: Vocabulary, understand: understand };
})();
