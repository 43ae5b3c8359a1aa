package io.nanoclaw.runner.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** agent-runner.md section 7, item 6. */
class InternalTagsTest {
    @Test
    void stripsSingleLineMultiLineAndSeveralBlocks() {
        assertEquals("answer", InternalTags.strip("<internal>thinking</internal>answer"));
        assertEquals("answer", InternalTags.strip("<internal>line 1\nline 2\n</internal>\nanswer"));
        assertEquals("a  b  c", InternalTags.strip("a <internal>x</internal> b <internal>y</internal> c"));
    }

    @Test
    void onlyInternalGivesEmpty() {
        assertEquals("", InternalTags.strip("<internal>all private</internal>"));
        assertEquals("", InternalTags.strip("  <internal>a</internal>\n<internal>b</internal>  "));
    }

    @Test
    void withoutTagsTheTextIsUnchangedApartFromTheEnds() {
        assertEquals("plain text", InternalTags.strip("plain text"));
        assertEquals("in  ner", InternalTags.strip("\n in  ner \n"));
    }

    @Test
    void anUnclosedTagStays() {
        assertEquals("<internal>open", InternalTags.strip("<internal>open"));
        assertEquals("x <internal>y", InternalTags.strip("<internal>a</internal>x <internal>y"));
    }
}
