package io.keyline.store;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class StringEncodingTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void contentDecidesLikeTryObjectEncoding() {
        assertThat(StringEncoding.of(b("1"))).isEqualTo("int");
        assertThat(StringEncoding.of(b("-5"))).isEqualTo("int");
        assertThat(StringEncoding.of(b("9223372036854775807"))).isEqualTo("int");
        assertThat(StringEncoding.of(b("9223372036854775808"))).isEqualTo("embstr"); // overflows a long
        assertThat(StringEncoding.of(b("01"))).isEqualTo("embstr");
        assertThat(StringEncoding.of(b("-0"))).isEqualTo("embstr");
        assertThat(StringEncoding.of(b(" 1"))).isEqualTo("embstr");
        assertThat(StringEncoding.of(b("x".repeat(44)))).isEqualTo("embstr");
        assertThat(StringEncoding.of(b("x".repeat(45)))).isEqualTo("raw");
        assertThat(StringEncoding.of(new byte[0])).isEqualTo("embstr");
    }

    @Test
    void rawMarksOnlyThatArray() {
        byte[] appended = StringEncoding.raw(b("12"));
        assertThat(StringEncoding.of(appended)).isEqualTo("raw");
        assertThat(StringEncoding.of(b("12"))).isEqualTo("int"); // equal bytes, different object
        assertThat(StringEncoding.of(StringEncoding.raw(b("hello")))).isEqualTo("raw");
    }

    @Test
    void createdIsNeverInt() {
        assertThat(StringEncoding.of(StringEncoding.created(b("2")))).isEqualTo("embstr");
        assertThat(StringEncoding.of(StringEncoding.created(b("2.5")))).isEqualTo("embstr");
    }
}
