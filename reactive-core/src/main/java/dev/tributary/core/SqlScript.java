package dev.tributary.core;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The statements of an SQL script and the tables, views and sequences it creates. Statements end at a
 * {@code ;} outside quotes ({@code '...'}, {@code "..."}, {@code `...`}, PostgreSQL {@code $tag$...$tag$}) and
 * comments ({@code --} to the end of the line, {@code /* ... *&#47;}); comments are left out.
 */
record SqlScript(String name, List<String> statements) {

    private static final String IDENT = "(?:\"[^\"]+\"|`[^`]+`|[\\p{L}_][\\p{L}\\p{N}_$]*)";
    private static final Pattern CREATE = Pattern.compile("(?is)\\s*CREATE\\s+(?:OR\\s+REPLACE\\s+)?"
            + "(?:(?:GLOBAL|LOCAL)\\s+)?(?:(?:TEMPORARY|TEMP|CACHED|MEMORY|UNLOGGED)\\s+)?"
            + "(TABLE|VIEW|SEQUENCE)\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(" + IDENT + "(?:\\s*\\.\\s*" + IDENT + ")*)");

    SqlScript {
        statements = List.copyOf(statements);
    }

    /** The script {@code name} whose text is {@code sql}. */
    static SqlScript parse(String name, String sql) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end;
                current.append(' ');
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                current.append(' ');
            } else if (c == '\'' || c == '"' || c == '`') {
                int end = i + 1;
                while (end < n) {
                    if (sql.charAt(end) == c) {
                        if (end + 1 < n && sql.charAt(end + 1) == c) {
                            end += 2; // a doubled quote inside the literal
                            continue;
                        }
                        break;
                    }
                    end++;
                }
                end = Math.min(end + 1, n);
                current.append(sql, i, end);
                i = end;
            } else if (c == '$' && dollarTag(sql, i) != null) {
                String tag = dollarTag(sql, i);
                int close = sql.indexOf(tag, i + tag.length());
                int end = close < 0 ? n : close + tag.length();
                current.append(sql, i, end);
                i = end;
            } else if (c == ';') {
                add(statements, current);
                i++;
            } else {
                current.append(c);
                i++;
            }
        }
        add(statements, current);
        return new SqlScript(name, statements);
    }

    /** What the script creates, in creation order: {@code TABLE orders}, {@code VIEW "Big Orders"}, ... */
    List<Created> created() {
        List<Created> created = new ArrayList<>();
        for (String statement : statements) {
            Matcher m = CREATE.matcher(statement);
            if (m.lookingAt()) {
                created.add(new Created(m.group(1).toUpperCase(java.util.Locale.ROOT), m.group(2).replaceAll("\\s*\\.\\s*", ".")));
            }
        }
        return created;
    }

    /** An object a script creates: its kind ({@code TABLE}, {@code VIEW}, {@code SEQUENCE}) and name as written. */
    record Created(String kind, String name) {

        /** {@code DROP TABLE IF EXISTS orders}. */
        String dropSql() {
            return "DROP " + kind + " IF EXISTS " + name;
        }
    }

    private static void add(List<String> statements, StringBuilder current) {
        String statement = current.toString().trim();
        if (!statement.isEmpty()) {
            statements.add(statement);
        }
        current.setLength(0);
    }

    /** The dollar-quote tag starting at {@code i} ({@code $$}, {@code $body$}), or null. */
    private static @Nullable String dollarTag(String sql, int i) {
        int j = i + 1;
        while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
            j++;
        }
        if (j < sql.length() && sql.charAt(j) == '$' && (j == i + 1 || !Character.isDigit(sql.charAt(i + 1)))) {
            return sql.substring(i, j + 1);
        }
        return null;
    }
}
