package dev.tributary.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * SQL written with {@code :name} parameters, translated to a dialect's bind markers. Text in single quotes,
 * double quotes, backticks, PostgreSQL dollar quotes and comments is left alone, as are {@code ::type} casts
 * and a colon not followed by a name ({@code :=}). A name used twice gets two markers and is bound twice.
 *
 * @param sql the statement with the dialect's markers
 * @param names the parameter names, one per marker, in order
 */
record NamedParameters(String sql, List<String> names) {

    /** Parses {@code sql}, writing markers for {@code dialect}. */
    static NamedParameters parse(String sql, Dialect dialect) {
        StringBuilder out = new StringBuilder(sql.length());
        List<String> names = new ArrayList<>();
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            int end;
            if (c == '\'' || c == '"' || c == '`') {
                end = closing(sql, i + 1, c);
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int nl = sql.indexOf('\n', i);
                end = nl < 0 ? n : nl + 1;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int close = sql.indexOf("*/", i + 2);
                end = close < 0 ? n : close + 2;
            } else if (c == '$' && dialect == Dialect.POSTGRESQL && (end = dollarQuoted(sql, i)) > i) {
                // end set by dollarQuoted
            } else if (c == ':' && i + 1 < n && sql.charAt(i + 1) == ':') {
                end = i + 2;
            } else if (c == ':' && i + 1 < n && isNameStart(sql.charAt(i + 1)) && (i == 0 || !isNamePart(sql.charAt(i - 1)))) {
                end = i + 2;
                while (end < n && isNamePart(sql.charAt(end))) {
                    end++;
                }
                out.append(dialect.bindMarker(names.size()));
                names.add(sql.substring(i + 1, end));
                i = end;
                continue;
            } else {
                end = i + 1;
            }
            out.append(sql, i, end);
            i = end;
        }
        return new NamedParameters(out.toString(), List.copyOf(names));
    }

    /**
     * The bind values in marker order.
     *
     * @throws IllegalArgumentException if a name has no entry in {@code params}
     */
    @Nullable Object[] binds(Map<String, ?> params) {
        Object[] binds = new Object[names.size()];
        for (int i = 0; i < binds.length; i++) {
            String name = names.get(i);
            if (!params.containsKey(name)) {
                throw new IllegalArgumentException("No value for parameter :" + name + " in " + sql
                        + "; parameters given: " + new TreeSet<>(params.keySet()));
            }
            binds[i] = params.get(name);
        }
        return binds;
    }

    /** The index after the quote closing the text opened before {@code from}; doubled quotes are escapes. */
    private static int closing(String sql, int from, char quote) {
        int i = from;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return sql.length();
    }

    /** The index after a dollar-quoted string starting at {@code start}, or {@code start} when there is none. */
    private static int dollarQuoted(String sql, int start) {
        int tagEnd = sql.indexOf('$', start + 1);
        if (tagEnd < 0) {
            return start;
        }
        for (int i = start + 1; i < tagEnd; i++) {
            char c = sql.charAt(i);
            if (!(i == start + 1 ? isNameStart(c) : isNamePart(c))) {
                return start;
            }
        }
        String tag = sql.substring(start, tagEnd + 1);
        int close = sql.indexOf(tag, tagEnd + 1);
        return close < 0 ? sql.length() : close + tag.length();
    }

    private static boolean isNameStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isNamePart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
