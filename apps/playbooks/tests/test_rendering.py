"""Playbook content is markdown anyone with the key can write: shown as HTML it goes through one
sanitizing renderer (apps.playbooks.rendering.playbook_content_html), in the API's content_html and
in the admin's preview alike."""

from html.parser import HTMLParser

import pytest

from apps.playbooks.rendering import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES, playbook_content_html

# --- the renderer (a pure function) --------------------------------------------------------------

def test_the_safe_subset_renders():
    html = playbook_content_html(
        "# Title\n\n## Steps\n\nSome *emphasis*, **strong** and `code`.\n\n"
        "1. first\n2. second\n\n- a\n- b\n\n> quoted\n\n```\nprint(1)\n```\n\n---\n\n"
        "| who | when |\n|:----|-----:|\n| Maria | Friday |\n"
    )
    for fragment in ("<h1>Title</h1>", "<h2>Steps</h2>", "<em>emphasis</em>", "<strong>strong</strong>",
                     "<code>code</code>", "<ol>\n<li>first</li>", "<ul>\n<li>a</li>", "<blockquote>",
                     "<pre><code>print(1)\n</code></pre>", "<hr>", "<table>", '<th align="left">who</th>',
                     '<td align="right">Friday</td>'):
        assert fragment in html, fragment


@pytest.mark.parametrize("url", ["https://example.com/guide", "http://example.com", "mailto:david@example.com"])
def test_http_https_and_mailto_links_keep_their_href_with_rel_noopener(url):
    html = playbook_content_html(f"See [the guide]({url}).")
    assert f'<a href="{url}" rel="noopener noreferrer">the guide</a>' in html


class _Tags(HTMLParser):
    """Every element and its attributes, as a browser would parse the rendered HTML."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.comments: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag

    def handle_comment(self, data):
        self.comments.append(data)


def _assert_only_the_safe_subset(html: str) -> list[tuple[str, dict]]:
    parsed = _Tags(html)
    assert not parsed.comments, html
    for tag, attrs in parsed.tags:
        assert tag in ALLOWED_TAGS, (tag, html)
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set()) \
            | ({"align"} if tag in ("th", "td") else set())
        assert set(attrs) <= allowed, (tag, attrs, html)
        if "href" in attrs:
            assert attrs["href"].split(":", 1)[0].lower() in URL_SCHEMES, html
        if tag == "a":
            assert attrs["rel"] == "noopener noreferrer"
    return parsed.tags


@pytest.mark.parametrize(("source", "kept"), [
    ("<script>alert(1)</script>Hello", "Hello"),
    ("Hello <script>document.cookie</script>", "Hello"),
    ('<img src="x" onerror="alert(1)">', None),
    ("<img src=x onerror=alert(1)>", None),
    ('<p onclick="alert(1)" onmouseover="alert(2)">Hello</p>', "Hello"),
    ('<iframe src="https://evil.example"></iframe>Hello', "Hello"),
    ('<iframe srcdoc="<script>alert(1)</script>"></iframe>Hello', "Hello"),
    ('<svg onload="alert(1)"><circle /></svg>Hello', "Hello"),
    ("<style>body { display: none }</style>Hello", "Hello"),
    ('<object data="https://evil.example/x.swf"></object>Hello', "Hello"),
    ('<form action="https://evil.example"><input name="pw"></form>Hello', "Hello"),
    ('<div style="background:url(javascript:alert(1))">Hello</div>', "Hello"),
    ("<!-- <script>alert(1)</script> -->Hello", "Hello"),
    ('[x](https://ok.example "t\\" onmouseover=\\"alert(1)")', "x"),
    ("# Guide\n\n<script>alert(1)</script>\n\n<iframe src=//evil.example></iframe>\n\nSteps", "Steps"),
])
def test_dangerous_html_is_stripped(source, kept):
    html = playbook_content_html(source)
    _assert_only_the_safe_subset(html)
    for gone in ("<script", "<iframe", "<img", "<svg", "<style", "<object", "<form", "<input", "document.cookie",
                 "display: none"):
        assert gone not in html.lower(), (gone, html)
    if kept:
        assert kept in html


@pytest.mark.parametrize("href", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "javascript&#58;alert(1)", "jav&#x61;script:alert(1)",
    " javascript:alert(1)", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "vbscript:msgbox(1)",
    "/relative/path", "//evil.example/x",
])
def test_links_other_than_http_https_mailto_lose_their_href(href):
    for source in (f"[click]({href})", f'<a href="{href}">click</a>', f"<{href}>"):
        html = playbook_content_html(source)
        tags = _assert_only_the_safe_subset(html)
        assert all("href" not in attrs for _, attrs in tags), (source, html)


def test_empty_content_renders_empty():
    assert playbook_content_html("") == ""


# --- where it is shown -----------------------------------------------------------------------------

def test_detail_response_carries_the_sanitized_html(tenant_a):
    playbook = tenant_a.make("playbooks.playbook",
                             content="# Guide\n\n<script>alert(1)</script>[x](javascript:alert(1))")
    body = tenant_a.api().get(f"/api/playbooks/{playbook.pk}").json()
    assert body["content"].startswith("# Guide")  # the markdown itself is served as written
    assert body["content_html"] == '<h1>Guide</h1>\n\n<p><a rel="noopener noreferrer">x</a></p>'


def test_admin_change_form_shows_the_rendered_preview_read_only(tenant_a, admin_client):
    playbook = tenant_a.make(
        "playbooks.playbook", name="previewed",
        content="# Preview me\n\n- one\n\n<img src=x onerror=alert('pwned')><script>alert('pwned')</script>")
    response = admin_client.get(f"/admin/playbooks/playbook/{playbook.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    preview = page.split('<div class="playbook-content">', 1)[1].split("</div>", 1)[0]
    assert preview.startswith("<h1>Preview me</h1>\n<ul>\n<li>one</li>\n</ul>")
    _assert_only_the_safe_subset(preview)
    assert "<script" not in preview and "<img" not in preview
    assert "<script>alert(" not in page and "<img src=x" not in page  # the textarea escapes the raw markdown
    # read-only: no form field for it; the markdown stays editable in its textarea
    assert 'name="content_preview"' not in page and 'name="content"' in page
