package io.keyline.util;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits configuration values into words as {@code value.trim().split("\\s+")} does, without a regular
 * expression: the first {@code split} with a pattern of more than one character loads and initialises
 * {@code java.util.regex}, which the server's start path (bind addresses, protected mode, percentiles, output
 * buffer limits) paid on its critical threads for nothing else.
 */
public final class Words {
    private Words() {
    }

    /** The whitespace-separated words of {@code value}; a blank value gives one empty word, as {@code split} does. */
    public static String[] split(String value) {
        String v = value.trim();
        if (v.isEmpty()) return new String[] {""};
        List<String> words = new ArrayList<>(4);
        int start = -1;
        for (int i = 0; i < v.length(); i++) {
            if (isSpace(v.charAt(i))) {
                if (start >= 0) words.add(v.substring(start, i));
                start = -1;
            } else if (start < 0) {
                start = i;
            }
        }
        if (start >= 0) words.add(v.substring(start));
        return words.toArray(new String[0]);
    }

    /** The characters of the regex class {@code \s}. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }
}
