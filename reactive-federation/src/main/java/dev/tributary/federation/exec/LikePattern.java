package dev.tributary.federation.exec;

import dev.tributary.core.TributaryException;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Internal: a compiled SQL {@code LIKE} pattern, matched on code points without regular expressions and
 * without allocating. Immutable and thread-safe; see {@link SqlValues#like}.
 */
public final class LikePattern {

    private static final int ANY_SEQUENCE = -1;
    private static final int ANY_ONE = -2;

    private final int[] tokens;

    private LikePattern(int[] tokens) {
        this.tokens = tokens;
    }

    /**
     * Compiles {@code pattern}; {@code escape == null} means the backslash, PostgreSQL's default.
     *
     * @throws TributaryException if the pattern ends with the escape character
     */
    public static LikePattern compile(String pattern, @Nullable Character escape) {
        int esc = escape == null ? '\\' : escape;
        int[] out = new int[pattern.length()];
        int n = 0;
        for (int i = 0; i < pattern.length(); ) {
            int c = pattern.codePointAt(i);
            i += Character.charCount(c);
            if (c == esc) {
                if (i >= pattern.length()) {
                    throw new TributaryException("LIKE pattern must not end with escape character: '" + pattern + "'");
                }
                c = pattern.codePointAt(i);
                i += Character.charCount(c);
                out[n++] = c;
            } else if (c == '%') {
                if (n == 0 || out[n - 1] != ANY_SEQUENCE) {
                    out[n++] = ANY_SEQUENCE;
                }
            } else {
                out[n++] = c == '_' ? ANY_ONE : c;
            }
        }
        return new LikePattern(Arrays.copyOf(out, n));
    }

    /** Whether {@code value} matches this pattern. */
    public boolean matches(String value) {
        int[] t = tokens;
        int p = 0;
        int v = 0;
        int starP = -1;
        int starV = 0;
        int length = value.length();
        while (v < length) {
            int c = value.codePointAt(v);
            if (p < t.length && (t[p] == ANY_ONE || t[p] == c)) {
                p++;
                v += Character.charCount(c);
            } else if (p < t.length && t[p] == ANY_SEQUENCE) {
                starP = p++;
                starV = v;
            } else if (starP >= 0) {
                p = starP + 1;
                starV += Character.charCount(value.codePointAt(starV));
                v = starV;
            } else {
                return false;
            }
        }
        while (p < t.length && t[p] == ANY_SEQUENCE) {
            p++;
        }
        return p == t.length;
    }
}
