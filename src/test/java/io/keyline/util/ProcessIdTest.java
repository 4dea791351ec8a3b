package io.keyline.util;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProcessIdTest {
    @Test
    void isTheJdksPid() {
        assertEquals(ProcessHandle.current().pid(), ProcessId.current());
    }
}
