package io.nanoclaw.runner.tools.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import org.junit.jupiter.api.Test;

class HtmlToMarkdownTest {
    private static final URI BASE = URI.create("https://example.org/docs/page.html");

    private static String md(String html) {
        return HtmlToMarkdown.convert(html, BASE);
    }

    @Test
    void headingsParagraphsLinksAndInlineMarks() {
        assertEquals("# Guide\n\nRead the [next page](https://example.org/docs/next.html) or"
                        + " [home](https://example.org/), **bold** and *em* and `x = 1`.\n\nSecond &"
                        + " last paragraph.",
                md("<html><head><title>T</title><style>p{}</style></head><body>"
                        + "<h1>Guide</h1>\n<p>Read the <a href=\"next.html\">next\n page</a> or"
                        + " <a href='/'>home</a>, <b>bold</b> and <em>em</em> and <code>x = 1</code>.</p>"
                        + "<p>Second &amp; last paragraph.</body></html>"));
    }

    @Test
    void listsNestAndNumber() {
        assertEquals("- one\n- two\n  - two a\n  - two b\n- three\n\n1. first\n2. second",
                md("<ul><li>one<li>two<ul><li>two a</li><li>two b</li></ul></li><li>three</ul>"
                        + "<ol><li>first</li><li>second</li></ol>"));
    }

    @Test
    void preKeepsItsWhitespaceInAFence() {
        assertEquals("Code:\n\n```\nif (a &lt; b) {\n    run();\n}\n```",
                md("<p>Code:</p><pre><code class=\"java\">if (a &amp;lt; b) {\n    run();\n}\n</code></pre>"));
    }

    @Test
    void noiseIsDropped() {
        assertEquals("# Title\n\nKept.",
                md("<head><title>Title</title><script>var x = '<p>no</p>';</script></head>"
                        + "<nav><a href=\"/\">Home</a></nav><!-- <p>comment</p> -->"
                        + "<p>Kept.</p><noscript>enable js</noscript><div hidden>secret</div>"
                        + "<span aria-hidden=\"true\">icon</span><button>Menu</button><svg><text>s</text></svg>"));
    }

    @Test
    void tablesBecomePipeRows() {
        assertEquals("| Name | Qty |\n| --- | --- |\n| apple | 3 |\n| pear \\| nashi | 5 |",
                md("<table><tr><th>Name</th><th>Qty</th></tr><tr><td>apple<td>3<tr><td>pear | nashi</td>"
                        + "<td>5</td></tr></table>"));
    }

    @Test
    void blockquotesBreaksAndOddLinks() {
        assertEquals("> quoted\n> line two\n\nfirst\nsecond\n\n[mail](mailto:a@b.c) top js ![a cat](https://example.org/cat.png)",
                md("<blockquote><p>quoted<br>line two</p></blockquote><p>first<br/>second</p>"
                        + "<p><a href=\"mailto:a@b.c\">mail</a> <a href=\"#top\">top</a>"
                        + " <a href=\"javascript:void(0)\">js</a> <img src=\"/cat.png\" alt=\"a cat\"><img src=x></p>"));
    }

    @Test
    void entitiesAndStrayTags() {
        assertEquals("caf\u00e9 \u2014 5 < 6 & \u201cquotes\u201d &unknown; \u00e9",
                md("</div>caf&eacute;".replace("&eacute;", "\u00e9") + " &mdash; 5 &lt; 6 &amp; &ldquo;quotes&rdquo;"
                        + " &unknown; &#233;</span>"));
    }
}
