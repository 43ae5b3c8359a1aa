package io.nanoclaw.runner.selftest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SelfTestTest {
    @Test
    void selfTestPasses() {
        assertEquals(0, SelfTest.run());
    }
}
