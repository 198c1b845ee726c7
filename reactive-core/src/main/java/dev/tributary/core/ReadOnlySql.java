package dev.tributary.core;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether a statement run through {@code query} only reads, decided conservatively: it must start with
 * {@code SELECT}, {@code VALUES}, {@code TABLE} or {@code SHOW}, or be a {@code WITH} query, and contain none of the
 * words {@code INTO}, {@code INSERT}, {@code UPDATE} (except in {@code FOR UPDATE}), {@code DELETE}, {@code MERGE},
 * {@code CALL}. Anything else counts as a write. A {@code SELECT} calling a function that writes is not detected: run
 * such calls with {@code update}.
 */
final class ReadOnlySql {

    private static final Pattern COMMENTS = Pattern.compile("(?s)/\\*.*?\\*/|--[^\\n]*");
    private static final Pattern WRITES = Pattern.compile("\\b(INTO|INSERT|DELETE|MERGE|CALL|UPDATE)\\b");
    private static final Pattern FOR_UPDATE = Pattern.compile("\\bFOR\\s+(NO\\s+KEY\\s+)?UPDATE\\b");

    private ReadOnlySql() {
    }

    static boolean isRead(String sql) {
        String s = COMMENTS.matcher(sql).replaceAll(" ").trim().toUpperCase(Locale.ROOT);
        while (s.startsWith("(")) {
            s = s.substring(1).trim();
        }
        boolean reading = s.startsWith("SELECT") || s.startsWith("WITH") || s.startsWith("VALUES")
                || s.startsWith("TABLE") || s.startsWith("SHOW");
        return reading && !WRITES.matcher(FOR_UPDATE.matcher(s).replaceAll(" ")).find();
    }
}
