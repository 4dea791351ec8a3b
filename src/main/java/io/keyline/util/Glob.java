package io.keyline.util;

/**
 * Glob-style matching exactly as Redis 7.2's {@code stringmatchlen} ({@code src/util.c}):
 * {@code *}, {@code ?}, {@code [abc]}, {@code [^abc]}, {@code [a-z]} and {@code \x} escapes, on bytes.
 *
 * <p>Bounded like Redis: a naive backtracking matcher takes exponential time on patterns such as
 * {@code a*a*a*...b} against a long run of {@code a}s and would stall the server. Two guards from
 * Redis make it bounded: once the rest of the pattern after a {@code *} fails to match at every
 * later position, no earlier {@code *} can help either (a longer match for it only moves the rest
 * further right), so the whole match stops ({@code skipLongerMatches}); and recursion deeper than
 * 1000 nested stars reports no match instead of exhausting the stack.
 */
public final class Glob {
    /** Redis's protection against abusive patterns: deeper nesting is "no match". */
    private static final int MAX_NESTING = 1000;

    private Glob() {
    }

    /** Whether {@code string} matches the glob {@code pattern} (ASCII case folding if {@code nocase}). */
    public static boolean match(byte[] pattern, byte[] string, boolean nocase) {
        return match(pattern, 0, pattern.length, string, 0, string.length, nocase);
    }

    /** The offset/length form: {@code pattern[pOff, pOff+pLen)} against {@code string[sOff, sOff+sLen)}. */
    public static boolean match(byte[] pattern, int pOff, int pLen, byte[] string, int sOff, int sLen, boolean nocase) {
        return new Matcher(pattern, pOff + pLen, string, sOff + sLen, nocase).match(pOff, sOff, 0);
    }

    /** One match: the inputs and the shared "skip longer matches" flag of {@code stringmatchlen_impl}. */
    private static final class Matcher {
        private final byte[] p;
        private final int pEnd;
        private final byte[] s;
        private final int sEnd;
        private final boolean nocase;
        private boolean skipLongerMatches;

        Matcher(byte[] p, int pEnd, byte[] s, int sEnd, boolean nocase) {
            this.p = p;
            this.pEnd = pEnd;
            this.s = s;
            this.sEnd = sEnd;
            this.nocase = nocase;
        }

        /** The pattern byte at {@code i}, or 0 past the end (Redis reads the sds's NUL terminator there). */
        private byte pat(int i) {
            return i < pEnd ? p[i] : 0;
        }

        boolean match(int pi, int si, int nesting) {
            if (nesting > MAX_NESTING) return false;
            while (pi < pEnd && si < sEnd) {
                switch (p[pi]) {
                    case '*' -> {
                        while (pi + 1 < pEnd && p[pi + 1] == '*') pi++;
                        if (pi + 1 == pEnd) return true; // a trailing star matches the rest
                        while (si < sEnd) {
                            if (match(pi + 1, si, nesting + 1)) return true;
                            if (skipLongerMatches) return false;
                            si++;
                        }
                        // The rest failed from every later position: no earlier star can do better.
                        skipLongerMatches = true;
                        return false;
                    }
                    case '?' -> si++;
                    case '[' -> {
                        pi++;
                        boolean not = pat(pi) == '^';
                        if (not) pi++;
                        boolean matched = false;
                        while (true) {
                            if (pat(pi) == '\\' && pEnd - pi >= 2) {
                                pi++;
                                if (p[pi] == s[si]) matched = true;
                            } else if (pat(pi) == ']') {
                                break;
                            } else if (pi >= pEnd) {
                                pi--; // unterminated class: step back so the outer advance ends the pattern
                                break;
                            } else if (pEnd - pi >= 3 && p[pi + 1] == '-') {
                                int start = p[pi] & 0xff;
                                int end = p[pi + 2] & 0xff;
                                int c = s[si] & 0xff;
                                if (start > end) {
                                    int t = start;
                                    start = end;
                                    end = t;
                                }
                                if (nocase) {
                                    start = lower(start);
                                    end = lower(end);
                                    c = lower(c);
                                }
                                pi += 2;
                                if (c >= start && c <= end) matched = true;
                            } else if (equal(p[pi], s[si])) {
                                matched = true;
                            }
                            pi++;
                        }
                        if (not) matched = !matched;
                        if (!matched) return false;
                        si++;
                    }
                    case '\\' -> {
                        if (pEnd - pi >= 2) pi++;
                        if (!equal(p[pi], s[si])) return false;
                        si++;
                    }
                    default -> {
                        if (!equal(p[pi], s[si])) return false;
                        si++;
                    }
                }
                pi++;
                if (si == sEnd) {
                    while (pi < pEnd && p[pi] == '*') pi++;
                    break;
                }
            }
            return pi == pEnd && si == sEnd;
        }

        private boolean equal(byte a, byte b) {
            return a == b || (nocase && lower(a & 0xff) == lower(b & 0xff));
        }

        /** C's {@code tolower} in the C locale: ASCII letters only. */
        private static int lower(int c) {
            return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
        }
    }
}
