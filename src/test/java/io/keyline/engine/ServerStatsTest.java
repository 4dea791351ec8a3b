package io.keyline.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServerStatsTest {
    @Test
    void errorCodeIsTheFirstWordElseErr() {
        ServerStats s = new ServerStats();
        s.countErrorCode("WRONGTYPE Operation against a key holding the wrong kind of value");
        s.countErrorCode("ERR syntax error");
        s.countErrorCode("no code here");
        s.countErrorCode("NOSPACE");
        s.countErrorCode("A".repeat(31) + " too long a code");
        assertThat(s.errorCodes.get("WRONGTYPE").sum()).isEqualTo(1);
        assertThat(s.errorCodes.get("ERR").sum()).isEqualTo(4);
        assertThat(s.errorCodes).hasSize(2);
    }

    @Test
    void the129thDistinctCodeDisablesErrorstatsUntilReset() {
        ServerStats s = new ServerStats();
        for (int i = 0; i < ServerStats.MAX_ERROR_CODES; i++) s.countErrorCode("CODE" + i + " x");
        assertThat(s.errorCodes).hasSize(128);
        s.countErrorCode("CODE0 again");
        assertThat(s.errorCodes).hasSize(128);
        s.countErrorCode("ONEMORE x");
        assertThat(s.errorCodes).containsOnlyKeys("ERRORSTATS_DISABLED");
        assertThat(s.errorCodes.get("ERRORSTATS_DISABLED").sum()).isEqualTo(1);
        s.countErrorCode("ERR still not counted");
        assertThat(s.errorCodes).containsOnlyKeys("ERRORSTATS_DISABLED");
        s.reset();
        s.countErrorCode("ERR counted again");
        assertThat(s.errorCodes).containsOnlyKeys("ERR");
    }
}
