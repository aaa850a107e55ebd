"""Playbook content is markdown written by the owner, by Claude, or imported from a file: it is
untrusted. Wherever it is shown as HTML it goes through `playbook_content_html`, the one place that
renders it: python-markdown turns it into HTML (raw HTML in the source passes through), then nh3
(the ammonia sanitizer) keeps only a safe subset. What survives:

- headings, paragraphs, line breaks, rules, lists, block quotes, emphasis, code and code blocks, tables;
- links to http, https and mailto URLs only, each with rel="noopener noreferrer" (relative and
  `javascript:` / `data:` URLs lose their href);
- nothing else: no script or style (their content is dropped too), no iframe, img, form or event
  handler attributes, no style or class attributes.
"""

import markdown
import nh3

ALLOWED_TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote",
    "ul", "ol", "li",
    "strong", "em", "b", "i", "code", "pre",
    "a",
    "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALIGNMENTS = {"left", "center", "right"}
URL_SCHEMES = {"http", "https", "mailto"}
MARKDOWN_EXTENSIONS = ["tables", "fenced_code", "sane_lists"]

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style"},
    attributes=ALLOWED_ATTRIBUTES,
    tag_attribute_values={"th": {"align": ALIGNMENTS}, "td": {"align": ALIGNMENTS}},
    url_schemes=URL_SCHEMES,
    url_relative="deny",
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def playbook_content_html(content: str) -> str:
    """Markdown → sanitized HTML, safe to mark safe in a template or return to a client."""
    html = markdown.markdown(content or "", extensions=MARKDOWN_EXTENSIONS, output_format="html",
                             extension_configs={"tables": {"use_align_attribute": True}})
    return _cleaner.clean(html)
