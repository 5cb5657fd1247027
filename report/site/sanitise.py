"""MkDocs hook (named in mkdocs.yml): sanitise each page's content HTML with nh3 before the theme
wraps it.

Text from data/ and content/ is already escaped by the templates; this is the second wall for
what a chapter's Markdown could carry (raw HTML, attribute lists): no script, no event handler,
no javascript: URL and no image from another host reaches the page, whatever a maintainer
pastes into content/.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import nh3

TAGS = {
    "a", "abbr", "blockquote", "br", "button", "caption", "code", "dd", "del", "details", "div",
    "dl", "dt", "em", "fieldset", "figcaption", "figure", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "input", "label", "legend", "li", "mark", "nav", "ol", "p", "picture",
    "pre", "section", "small", "source", "span", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}
EVERYWHERE = {"class", "id", "title", "role", "lang", "hidden"}
ATTRIBUTES = {
    "*": EVERYWHERE,
    "a": EVERYWHERE | {"href", "download"},
    "img": EVERYWHERE | {"src", "alt", "loading", "width", "height", "fetchpriority", "decoding"},
    "source": {"media", "srcset"},  # a picture's other image (a chart's narrow fallback)
    "th": EVERYWHERE | {"scope", "colspan", "rowspan", "style"},
    "td": EVERYWHERE | {"colspan", "rowspan", "style"},
    "details": EVERYWHERE | {"open"},
    "ol": EVERYWHERE | {"start"},
    # the self-assessment's form (below: nothing in a form can send what it holds)
    "form": EVERYWHERE | {"autocomplete", "novalidate"},
    "input": EVERYWHERE | {"name", "value", "accept", "checked"},
    "label": EVERYWHERE | {"for"},
}
# An input is a choice or a local file, never one that loads an image or submits.
ONLY_VALUES = {"input": {"type": {"radio", "checkbox", "file"}}}
# Every form gets method="dialog", which outside a <dialog> sends nothing, and no action; every
# button is a plain button, never a submit.
FORCED = {"form": {"method": "dialog"}, "button": {"type": "button"}}


def own_origin(element: str, attribute: str, value: str) -> str | None:
    """An image's address only if it is on this site: a browser fetches an image by itself, so
    one from another host would be a request the reader never chose. Links stay (a click is).
    A srcset lists addresses, each before an optional size: every one must be on this site."""
    if (element, attribute) in {("img", "src"), ("source", "srcset")}:
        candidates = value.split(",") if attribute == "srcset" else [value]
        for candidate in candidates:
            address = urlsplit((candidate.split() or [""])[0])
            if address.scheme or address.netloc:
                return None
    return value


def sanitise(html: str) -> str:
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES,
                     generic_attribute_prefixes={"data-", "aria-"},
                     tag_attribute_values=ONLY_VALUES, set_tag_attribute_values=FORCED,
                     filter_style_properties={"text-align"}, link_rel=None,
                     url_schemes={"http", "https", "mailto"}, strip_comments=True,
                     attribute_filter=own_origin)


def on_page_content(html: str, page, config, files) -> str:  # noqa: ARG001 - MkDocs signature
    return sanitise(html)
