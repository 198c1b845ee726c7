package dev.tributary.samples.web;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The read-only guard of the free-form SQL endpoint: one statement, and it starts with {@code SELECT} or
 * {@code WITH} (after comments and opening parentheses). The federation engine refuses anything it cannot
 * run as a query anyway; this check answers early, with a message that says what the endpoint accepts.
 */
final class ReadOnlySql {

    private ReadOnlySql() {
    }

    /**
     * Checks {@code sql}.
     *
     * @throws NotReadOnlyException if it is empty, not a query, or more than one statement
     */
    static String require(@Nullable String sql) {
        if (sql == null) {
            throw new NotReadOnlyException("No SQL: send {\"sql\": \"SELECT ...\", \"params\": {...}}");
        }
        String keyword = firstKeyword(sql);
        if (keyword.isEmpty()) {
            throw new NotReadOnlyException("The SQL is empty; send one SELECT statement");
        }
        if (!keyword.equals("SELECT") && !keyword.equals("WITH")) {
            throw new NotReadOnlyException("Only read-only queries are accepted here: the statement starts with "
                    + keyword + ", expected SELECT (or WITH ... SELECT)");
        }
        if (hasSecondStatement(sql)) {
            throw new NotReadOnlyException("Only one statement is accepted; remove what follows the ';'");
        }
        return sql;
    }

    private static String firstKeyword(String sql) {
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else if (sql.startsWith("--", i)) {
                int eol = sql.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else {
                break;
            }
        }
        int start = i;
        while (i < n && Character.isLetter(sql.charAt(i))) {
            i++;
        }
        if (i == start && start < n) {
            i++;
        }
        return sql.substring(start, i).toUpperCase(Locale.ROOT);
    }

    /** Whether a {@code ;} outside quotes and comments is followed by anything but blanks and {@code ;}. */
    private static boolean hasSecondStatement(String sql) {
        int n = sql.length();
        boolean ended = false;
        for (int i = 0; i < n; i++) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                int close = sql.indexOf(c, i + 1);
                i = close < 0 ? n : close;
                if (ended) {
                    return true;
                }
            } else if (sql.startsWith("--", i)) {
                int eol = sql.indexOf('\n', i);
                i = eol < 0 ? n : eol;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 1;
            } else if (c == ';') {
                ended = true;
            } else if (ended && !Character.isWhitespace(c)) {
                return true;
            }
        }
        return false;
    }

    /** A statement the read-only endpoint refuses. */
    static final class NotReadOnlyException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        NotReadOnlyException(String message) {
            super(message);
        }
    }
}
