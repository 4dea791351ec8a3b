package io.keyline.util;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Redis 7.2's stringmatchlen: expectations checked with KEYS against redis-server. */
class GlobTest {
    private static boolean match(String pattern, String s) {
        return Glob.match(bytes(pattern), bytes(s), false);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "h?llo      | hello   | true",
            "h?llo      | hllo    | false",
            "h*llo      | hllo    | true",
            "h*llo      | heeeello| true",
            "h[ae]llo   | hallo   | true",
            "h[ae]llo   | hxllo   | false",
            "h[^e]llo   | hallo   | true",
            "h[^e]llo   | hello   | false",
            "h[a-b]llo  | hallo   | true",
            "h[b-a]llo  | hallo   | true",   // reversed ranges are swapped
            "h[a-b]llo  | hxllo   | false",
            "H*         | hello   | false",
            "h\\[llo    | h[llo   | true",
            "h[\\[]llo  | h[llo   | true",
            "h\\\\llo   | h\\llo  | true",
            "a[-]b      | a-b     | true",
            "[A-Z]BC    | ABC     | true",
            "[A-Z]BC    | abc     | false",
            "x]         | x]      | true",
            "h[         | hello   | false",   // unterminated class
            "h[^        | hello   | false",
            "[a-        | a-      | false",
            "[]]        | x]      | false",
            "abc\\      | abc     | false",   // a trailing backslash is a literal backslash
            "abc\\      | abc\\   | true",
            "*\\        | abc     | false",
            "foo*       | foo_a   | true",
            "foo*       | fo      | false",
            "*          | anything| true",
            "**         | x       | true",
            "?*         | x       | true",
            "a*         | a       | true",    // trailing stars match nothing
            "a*b*       | ab      | true",
            "*a*b       | xaxb    | true",
            "*a*b       | xaxbx   | false",
    })
    void matchesLikeRedis(String pattern, String s, boolean expected) {
        assertEquals(expected, match(pattern, s));
    }

    @Test
    void emptyStringMatchesOnlyTheEmptyPattern() {
        // Redis's loop runs only while both sides have bytes: "*" alone does not match "" (KEYS *
        // and SCAN without MATCH special-case "*" before calling the matcher).
        assertTrue(match("", ""));
        assertFalse(match("*", ""));
        assertFalse(match("**", ""));
        assertFalse(match("?", ""));
        assertFalse(match("", "a"));
    }

    @Test
    void nocaseFoldsAsciiLettersInLiteralsAndRanges() {
        assertTrue(Glob.match(bytes("H*"), bytes("hello"), true));
        assertTrue(Glob.match(bytes("[A-Z]bc"), bytes("abc"), true));
        assertTrue(Glob.match(bytes("maxmemory-*"), bytes("MAXMEMORY-POLICY"), true));
        assertFalse(Glob.match(bytes("[^A]"), bytes("a"), true));
    }

    @Test
    void offsetLengthFormMatchesTheSlice() {
        byte[] pattern = bytes("xxh*oyy");
        byte[] s = bytes("--hello--");
        assertTrue(Glob.match(pattern, 2, 3, s, 2, 5, false));
        assertFalse(Glob.match(pattern, 2, 4, s, 2, 5, false)); // "h*oy" needs a trailing y
    }

    @Test
    void bytesAboveAsciiCompareUnsignedInRanges() {
        assertTrue(Glob.match(new byte[]{'[', (byte) 0x80, '-', (byte) 0xff, ']'}, new byte[]{(byte) 0xc3}, false));
        assertFalse(Glob.match(new byte[]{'[', 'a', '-', 'z', ']'}, new byte[]{(byte) 0xc3}, false));
    }

    /** Redis's "Regression for pattern matching long nested loops" (keyspace.tcl). */
    @Test
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void nestedStarsOnALongRunFinish() {
        String key = "a".repeat(40);
        String pattern = "a*".repeat(20) + "b";
        assertFalse(match(pattern, key));
        assertFalse(match("a*".repeat(200) + "b", "a".repeat(5000)));
    }

    /** Redis's "Regression for pattern matching very long nested loops": 50000 "*?" against 50000 a's. */
    @Test
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void veryDeepNestingIsCutOffNotAStackOverflow() {
        assertFalse(match("*?".repeat(50000), "a".repeat(50000)));
    }
}
