package io.nanoclaw.runner.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JsStringifyTest {
    @Test
    void matchesJavaScriptLayout() throws Exception {
        assertEquals("{\n  \"a\": 1,\n  \"b\": [\n    \"x\",\n    {}\n  ],\n  \"c\": []\n}",
                JsStringify.stringify(Json.parse("{\"a\":1,\"b\":[\"x\",{}],\"c\":[]}"), 2));
        assertEquals("{\"a\":[1,null,true]}", JsStringify.stringify(Json.parse("{\"a\":[1,null,true]}"), 0));
        assertEquals("null", JsStringify.stringify(null, 2));
    }

    @Test
    void numbersAndStringsAsJavaScriptWritesThem() throws Exception {
        assertEquals("[1,1.5,1e+21,1e-7,-0.25]", JsStringify.stringify(Json.parse("[1.0,1.5,1e21,1e-7,-0.25]"), 0));
        assertEquals("\"a\\\"b\\\\c\\nd\\u0001\u00e9\"", JsStringify.stringify(Json.parse("\"a\\\"b\\\\c\\nd\\u0001\u00e9\""), 0));
    }
}
